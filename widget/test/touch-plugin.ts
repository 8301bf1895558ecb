/**
 * Touch screens for the browser tests, in Chromium through Playwright (the other launchers answer `false`, and the
 * tests say what they skipped):
 * - `secure-chat-tap` taps a point with Playwright's emulated touchscreen (the Chromium context has `hasTouch`), so
 *   Chromium sends touch and pointer events, then the click, as on a phone;
 * - `secure-chat-emulate-pointer` makes the page a touch screen (`(pointer: coarse)` matches, no hover) or undoes it,
 *   through the Chrome DevTools Protocol's touch emulation.
 */
import { playwrightCommand } from './playwright-command.js';

interface CdpSession {
  send(method: string, params?: unknown): Promise<unknown>;
}
interface PlaywrightPage {
  touchscreen: { tap(x: number, y: number): Promise<void> };
  context(): { newCDPSession(page: PlaywrightPage): Promise<CdpSession> };
}

/** One DevTools session per page: emulation lasts as long as the session that set it. */
const sessions = new WeakMap<PlaywrightPage, Promise<CdpSession>>();

export function touchPlugins() {
  return [
    playwrightCommand<PlaywrightPage, { x: number; y: number }, boolean>(
      'secure-chat-tap',
      async (page, { x, y }) => {
        await page.touchscreen.tap(x, y);
        return true;
      },
      () => false,
    ),
    playwrightCommand<PlaywrightPage, { coarse: boolean }, boolean>(
      'secure-chat-emulate-pointer',
      async (page, { coarse }) => {
        let cdp = sessions.get(page);
        if (!cdp) sessions.set(page, (cdp = page.context().newCDPSession(page)));
        // Touch emulation makes Blink's primary pointer coarse and its hover none, as on a phone.
        await (await cdp).send('Emulation.setTouchEmulationEnabled', { enabled: coarse, maxTouchPoints: 5 });
        return true;
      },
      () => false,
    ),
  ];
}
