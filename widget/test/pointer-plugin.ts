/**
 * A @web/test-runner plugin with one server command, `secure-chat-emulate-pointer`, that makes the page a touch
 * screen (`(pointer: coarse)` matches) or undoes it, through the Chrome DevTools Protocol's touch emulation. Only
 * the Playwright launcher (Chromium) can: the others answer `false` and the test skips.
 */
interface CdpSession {
  send(method: string, params?: unknown): Promise<unknown>;
}
interface PlaywrightPage {
  context(): { newCDPSession(page: PlaywrightPage): Promise<CdpSession> };
}

/** One DevTools session per page: emulation lasts as long as the session that set it. */
const sessions = new WeakMap<PlaywrightPage, Promise<CdpSession>>();

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
      const { coarse } = payload as { coarse: boolean };
      let cdp = sessions.get(page);
      if (!cdp) sessions.set(page, (cdp = page.context().newCDPSession(page)));
      // Touch emulation makes Blink's primary pointer coarse and its hover none, as on a phone.
      await (await cdp).send('Emulation.setTouchEmulationEnabled', { enabled: coarse, maxTouchPoints: 5 });
      return true;
    },
  };
}
