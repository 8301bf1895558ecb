/**
 * A @web/test-runner plugin with one server command, `secure-chat-screenshot`, that saves a PNG of the page (or
 * of one element, shadow DOM included) to `dist/screenshots/`, so browser tests can record the main screens.
 * Only the Playwright launcher (Chromium) records them: the docs show one engine's pictures, and the Firefox and
 * WebKit launchers answer `false` (nothing taken) so the same tests run there unchanged.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

interface ScreenshotPayload {
  name: string;
  selector?: string;
}

interface PlaywrightPage {
  screenshot(opts: { path: string }): Promise<unknown>;
  locator(selector: string): { screenshot(opts: { path: string }): Promise<unknown> };
}

export function screenshotPlugin(dir = resolve('dist/screenshots')) {
  return {
    name: 'secure-chat-screenshot',
    async executeCommand({
      command,
      payload,
      session,
    }: {
      command: string;
      payload: unknown;
      session: { id: string; browser: { type: string; getPage?: (id: string) => PlaywrightPage } };
    }) {
      if (command !== 'secure-chat-screenshot') return undefined;
      const { name, selector } = payload as ScreenshotPayload;
      if (!/^[\w-]+$/.test(name)) throw new Error('screenshot names are letters, digits, - and _');
      if (session.browser.type !== 'playwright') return false;
      const page = session.browser.getPage?.(session.id);
      if (!page) throw new Error('screenshots need the Playwright launcher');
      mkdirSync(dir, { recursive: true });
      const path = join(dir, `${name}.png`);
      await (selector ? page.locator(selector).screenshot({ path }) : page.screenshot({ path }));
      return true;
    },
  };
}
