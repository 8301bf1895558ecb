/**
 * Touch screens for the browser tests, in Chromium through the Chrome DevTools Protocol (the other launchers answer
 * `false`, and the tests say what they skipped):
 * - `secure-chat-emulate-pointer` makes the page a touch screen (`(pointer: coarse)` matches, no hover) or undoes it;
 * - `secure-chat-tap` taps a point as a finger would: touch start and end, from which Chromium makes the pointer
 *   events and the click, as on a phone. The page is a touch screen while it taps, and what it was afterwards.
 */
import { playwrightCommand } from './playwright-command.js';

interface CdpSession {
  send(method: string, params?: unknown): Promise<unknown>;
}
interface PlaywrightPage {
  context(): { newCDPSession(page: PlaywrightPage): Promise<CdpSession> };
  waitForTimeout(ms: number): Promise<void>;
}

/** One DevTools session per page (emulation lasts as long as the session that set it), and whether it is coarse. */
const sessions = new WeakMap<PlaywrightPage, { cdp: Promise<CdpSession>; coarse: boolean }>();

function devtools(page: PlaywrightPage) {
  let state = sessions.get(page);
  if (!state) sessions.set(page, (state = { cdp: page.context().newCDPSession(page), coarse: false }));
  return state;
}

/** Touch emulation makes Blink's primary pointer coarse and its hover none, as on a phone. */
async function emulateTouch(page: PlaywrightPage, enabled: boolean): Promise<void> {
  await (await devtools(page).cdp).send('Emulation.setTouchEmulationEnabled', { enabled, maxTouchPoints: 5 });
}

export function touchPlugins() {
  return [
    playwrightCommand<PlaywrightPage, { x: number; y: number }, boolean>(
      'secure-chat-tap',
      async (page, { x, y }) => {
        const state = devtools(page);
        const cdp = await state.cdp;
        if (!state.coarse) await emulateTouch(page, true);
        const point = [{ x, y, id: 1, radiusX: 1, radiusY: 1, force: 1 }];
        await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: point });
        await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
        // The click follows the touch end in the renderer; let it land before the page stops being a touch screen.
        await page.waitForTimeout(100);
        if (!state.coarse) await emulateTouch(page, false);
        return true;
      },
      () => false,
    ),
    playwrightCommand<PlaywrightPage, { coarse: boolean }, boolean>(
      'secure-chat-emulate-pointer',
      async (page, { coarse }) => {
        devtools(page).coarse = coarse;
        await emulateTouch(page, coarse);
        return true;
      },
      () => false,
    ),
  ];
}
