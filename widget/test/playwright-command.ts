/**
 * The shape every server command of the browser tests shares: a @web/test-runner plugin that answers one command by
 * acting on the test's Playwright page. Only the Playwright launcher (Chromium) has one; on the Firefox and WebKit
 * launchers the command answers what `unavailable` returns, so the same tests run there and say what they skipped.
 */
interface CommandSession<Page> {
  id: string;
  browser: { type: string; getPage?: (id: string) => Page };
}

export function playwrightCommand<Page, Payload, Result>(
  name: string,
  run: (page: Page, payload: Payload) => Promise<Result>,
  unavailable: (payload: Payload) => Result,
) {
  return {
    name,
    async executeCommand({
      command,
      payload,
      session,
    }: {
      command: string;
      payload: unknown;
      session: CommandSession<Page>;
    }): Promise<Result | undefined> {
      if (command !== name) return undefined;
      const page = session.browser.type === 'playwright' ? session.browser.getPage?.(session.id) : undefined;
      return page ? run(page, payload as Payload) : unavailable(payload as Payload);
    },
  };
}

/** Screenshot names become file names: letters, digits, `-` and `_` only. */
export function checkScreenshotName(name: string): void {
  if (!/^[\w-]+$/.test(name)) throw new Error('screenshot names are letters, digits, - and _');
}
