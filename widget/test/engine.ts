// Which engine a browser test runs in, and skips that say why an engine cannot run a test (docs/browsers.md).

export type Engine = 'chromium' | 'firefox' | 'webkit';

function detect(ua: string): Engine {
  if (/Firefox\//.test(ua)) return 'firefox';
  if (/Chrome\//.test(ua)) return 'chromium';
  return 'webkit';
}

export const engine: Engine = detect(navigator.userAgent);

/**
 * Skips the running test in the given engines. The reason (what the engine or its driver lacks) goes into the
 * test's title, so the runner's report says why, not only that it was skipped.
 */
export function skipIn(ctx: Mocha.Context, engines: Engine[], reason: string): void {
  if (engines.includes(engine)) skipBecause(ctx, `in ${engine}: ${reason}`);
}

/** Skips the running test, with the reason in its title. */
export function skipBecause(ctx: Mocha.Context, reason: string): never {
  if (ctx.test) ctx.test.title += ` (skipped ${reason})`;
  ctx.skip();
}

/** The reason for tests that need @web/test-runner-commands' emulateMedia (CDP or Playwright only). */
export const NO_MEDIA_EMULATION =
  'the runner emulates prefers-color-scheme and prefers-reduced-motion through CDP or Playwright only; ' +
  'Firefox is driven over WebDriver BiDi and WebKitGTK over classic WebDriver, which have no such command';

/** The reason for tests that need WebAuthn, which WebKitGTK is built without (Safari has it). */
export const NO_WEBAUTHN =
  'WebKitGTK has no WebAuthn (navigator.credentials and PublicKeyCredential are undefined), so no passkey exists ' +
  'there; passkey-absent.browser.test.ts checks that the widget offers none';
