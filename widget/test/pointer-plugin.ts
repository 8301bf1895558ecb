/**
 * A @web/test-runner plugin with one server command, `secure-chat-emulate-pointer`, that makes the page match
 * `(pointer: coarse)` and `(hover: none)` (a touch screen) or undoes it, through the Chrome DevTools Protocol's
 * media emulation. Only the Playwright launcher (Chromium) can: the others answer `false` and the test skips.
 */
interface CdpSession {
  send(method: string, params?: unknown): Promise<unknown>;
}
interface PlaywrightPage {
  context(): { newCDPSession(page: PlaywrightPage): Promise<CdpSession> };
}

export function pointerPlugin() {
  return {
    name: 'secure-chat-emulate-pointer',
    async executeCommand({
      command,
      payload,
      session,
    }: {
      command: string;
      payload: unknown;
      session: { id: string; browser: { type: string; getPage?: (id: string) => PlaywrightPage } };
    }) {
      if (command !== 'secure-chat-emulate-pointer') return undefined;
      if (session.browser.type !== 'playwright') return false;
      const page = session.browser.getPage?.(session.id);
      if (!page) return false;
      const { coarse, colorScheme } = payload as { coarse: boolean; colorScheme?: 'light' | 'dark' };
      const cdp = await page.context().newCDPSession(page);
      const features = coarse
        ? [
            { name: 'pointer', value: 'coarse' },
            { name: 'any-pointer', value: 'coarse' },
            { name: 'hover', value: 'none' },
            { name: 'any-hover', value: 'none' },
          ]
        : [];
      if (colorScheme) features.push({ name: 'prefers-color-scheme', value: colorScheme });
      await cdp.send('Emulation.setEmulatedMedia', { features });
      return true;
    },
  };
}
