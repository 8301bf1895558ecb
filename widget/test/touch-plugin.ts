/**
 * A @web/test-runner plugin with one server command, `secure-chat-tap`, that taps a point of the page with an
 * emulated touchscreen (CDP `Input.synthesizeTapGesture`: Chromium sends the touch and pointer events, then the
 * click, as on a phone). Only the Playwright launcher (Chromium) can: the Firefox and
 * WebKit launchers answer `false`, and tests there say so instead of tapping.
 */
interface TapPayload {
  x: number;
  y: number;
}

interface CdpSession {
  send(method: string, params?: Record<string, unknown>): Promise<unknown>;
  detach(): Promise<void>;
}

interface PlaywrightPage {
  context(): { newCDPSession(page: unknown): Promise<CdpSession> };
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
      const cdp = await page.context().newCDPSession(page);
      try {
        // A tap as a touchscreen makes it: touch and pointer events, then the click the gesture turns into.
        await cdp.send('Input.synthesizeTapGesture', { x, y, gestureSourceType: 'touch' });
      } finally {
        await cdp.detach().catch(() => undefined);
      }
      return true;
    },
  };
}
