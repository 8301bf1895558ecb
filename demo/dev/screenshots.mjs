// Runs the screenshot tests (widget/test/screenshots.browser.test.ts) in Chromium. ensure-browsers.mjs installs
// Chromium and the fonts the baselines were drawn with (DejaVu Sans, Noto Color Emoji) from Debian when missing.
// `--update` rewrites docs/screenshots/ instead of comparing (`npm run screenshots:update`).
// Chromium only: the baselines are one engine's pixels (see widget/test/screenshot-compare-plugin.ts).
import { spawnSync } from 'node:child_process';

const update = process.argv.includes('--update');
const env = {
  ...process.env,
  BROWSERS: 'chromium',
  WTR_FILES: 'widget/test/screenshots.browser.test.ts',
  ...(update ? { UPDATE_SCREENSHOTS: '1' } : {}),
};
for (const step of ['demo/dev/ensure-browsers.mjs', 'demo/dev/test-browsers.mjs']) {
  const run = spawnSync(process.execPath, [step], { stdio: 'inherit', env });
  if (run.status !== 0) process.exit(run.status ?? 1);
}
if (update) console.log('[secure-chat] docs/screenshots/ updated: look at the pictures, then commit them.');
