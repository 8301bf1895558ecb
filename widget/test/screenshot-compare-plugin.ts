/**
 * A @web/test-runner plugin with one server command, `secure-chat-compare`: it takes a PNG of one element (shadow DOM
 * included) with animations stopped and the caret hidden, and compares it pixel by pixel (pixelmatch) with the
 * committed baseline in `docs/screenshots/<name>.png`, which is also what the docs show. With `UPDATE_SCREENSHOTS=1`
 * it writes the baseline instead (`npm run screenshots:update`). A failed comparison leaves the new picture and a
 * diff beside each other in `dist/screenshots/` for review.
 *
 * Chromium only: baselines are pixels of one rendering engine (fonts, anti-aliasing, form controls differ between
 * engines), so comparing Firefox or WebKit against them would fail on engine differences, not regressions. The other
 * launchers answer `{ skipped: true }`.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import { checkScreenshotName, playwrightCommand } from './playwright-command.js';

/** Per-pixel colour distance pixelmatch still calls equal (0–1; its default is 0.1). */
export const PIXEL_THRESHOLD = 0.1;
/** Share of pixels that may differ before a comparison fails: text anti-aliasing noise, not a changed screen. */
export const MAX_DIFF_RATIO = 0.002;

interface ComparePayload {
  name: string;
  selector: string;
}

export interface CompareResult {
  skipped?: boolean;
  updated?: boolean;
  missing?: boolean;
  sizeChanged?: string;
  diffPixels?: number;
  ratio?: number;
}

interface PlaywrightPage {
  locator(selector: string): {
    screenshot(opts: { animations: 'disabled'; caret: 'hide'; scale: 'css' }): Promise<Buffer>;
  };
}

export function screenshotComparePlugin(
  baselines = resolve('docs/screenshots'),
  failures = resolve('dist/screenshots'),
  update = process.env.UPDATE_SCREENSHOTS === '1',
) {
  return playwrightCommand<PlaywrightPage, ComparePayload, CompareResult>(
    'secure-chat-compare',
    async (page, { name, selector }) => {
      checkScreenshotName(name);
      const shot = await page
        .locator(selector)
        .screenshot({ animations: 'disabled', caret: 'hide', scale: 'css' });
      const baseline = join(baselines, `${name}.png`);
      if (update) {
        mkdirSync(baselines, { recursive: true });
        writeFileSync(baseline, shot);
        return { updated: true };
      }
      if (!existsSync(baseline)) return { missing: true };
      const expected = PNG.sync.read(readFileSync(baseline));
      const actual = PNG.sync.read(shot);
      const keep = () => {
        mkdirSync(failures, { recursive: true });
        writeFileSync(join(failures, `${name}.actual.png`), shot);
      };
      if (expected.width !== actual.width || expected.height !== actual.height) {
        keep();
        return { sizeChanged: `${expected.width}×${expected.height} → ${actual.width}×${actual.height}` };
      }
      const { width, height } = actual;
      const diff = new PNG({ width, height });
      const diffPixels = pixelmatch(expected.data, actual.data, diff.data, width, height, {
        threshold: PIXEL_THRESHOLD,
      });
      const ratio = diffPixels / (width * height);
      if (ratio > MAX_DIFF_RATIO) {
        keep();
        writeFileSync(join(failures, `${name}.diff.png`), PNG.sync.write(diff));
      }
      return { diffPixels, ratio };
    },
    ({ name }) => {
      checkScreenshotName(name);
      return { skipped: true };
    },
  );
}
