/**
 * A @web/test-runner plugin with one server command, `secure-chat-tap`, that taps a point of the page with
 * Playwright's emulated touchscreen (the Chromium context has `hasTouch`): Chromium sends touch and pointer events,
 * then the click, as on a phone. Only the Playwright launcher (Chromium) can: the Firefox and WebKit launchers answer
 * `false`, and tests there say so instead of tapping.
 */
interface TapPayload {
  x: number;
  y: number;
}

interface PlaywrightPage {
  touchscreen: { tap(x: number, y: number): Promise<void> };
}

export function touchPlugin() {
  return {
    name: 'secure-chat-tap',
    async executeCommand({
      command,
      payload,
      session,
    }: {
      command: string;
      payload: unknown;
      session: { id: string; browser: { type: string; getPage?: (id: string) => PlaywrightPage } };
    }) {
      if (command !== 'secure-chat-tap') return undefined;
      if (session.browser.type !== 'playwright') return false;
      const page = session.browser.getPage?.(session.id);
      if (!page) return false;
      const { x, y } = payload as TapPayload;
      await page.touchscreen.tap(x, y);
      return true;
    },
  };
}
