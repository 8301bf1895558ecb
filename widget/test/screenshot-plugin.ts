/**
 * A @web/test-runner plugin with one server command, `secure-chat-screenshot`, that saves a PNG of the page (or
 * of one element, shadow DOM included) to `dist/screenshots/`, so browser tests can record the main screens.
 * Only the Playwright launcher (Chromium) records them: the docs show one engine's pictures, and the Firefox and
 * WebKit launchers answer `false` (nothing taken) so the same tests run there unchanged.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checkScreenshotName, playwrightCommand } from './playwright-command.js';

interface ScreenshotPayload {
  name: string;
  selector?: string;
}

interface PlaywrightPage {
  screenshot(opts: { path: string }): Promise<unknown>;
  locator(selector: string): { screenshot(opts: { path: string }): Promise<unknown> };
}

export function screenshotPlugin(dir = resolve('dist/screenshots')) {
  return playwrightCommand<PlaywrightPage, ScreenshotPayload, boolean>(
    'secure-chat-screenshot',
    async (page, { name, selector }) => {
      checkScreenshotName(name);
      mkdirSync(dir, { recursive: true });
      const path = join(dir, `${name}.png`);
      await (selector ? page.locator(selector).screenshot({ path }) : page.screenshot({ path }));
      return true;
    },
    ({ name }) => {
      checkScreenshotName(name);
      return false;
    },
  );
}
