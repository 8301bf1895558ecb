// Which browser test files run in which engine, and how they are split into shards (several runners per engine,
// side by side) so that `npm test` stays within its time budget. See docs/browsers.md.
import { readFileSync } from 'node:fs';
import { globSync } from 'tinyglobby';

const root = new URL('../../', import.meta.url).pathname;

/**
 * Chromium runs every browser test. Firefox and WebKit run the widget's own (everything a patient's browser does)
 * and the framework examples, but not:
 * - the stand-ins' protocol tests (demo/local-cloud), which check the stand-ins against the real clients, which
 *   behave the same in every engine;
 * - the suites run again in frame isolation (widget/test/frame-mode), which repeat in-page suites through the
 *   frame's proxy; frame isolation itself is tested in every engine (frame-isolation.browser.test.ts).
 */
export const EVERY_BROWSER_TEST = ['{widget,demo}/**/*.browser.test.ts'];
export const CROSS_ENGINE_TESTS = ['widget/**/*.browser.test.ts', 'demo/examples/**/*.browser.test.ts'];
const CHROMIUM_ONLY = ['widget/test/frame-mode/**'];

/**
 * The test files for a runner of `engines`: `$WTR_FILES` (a glob) when set, else the set above (every test only
 * when the runner drives Chromium alone).
 * @param {readonly string[]} engines
 */
export function browserTestFiles(engines, env = process.env) {
  const chromiumOnly = engines.every((engine) => engine === 'chromium');
  const patterns = env.WTR_FILES ? [env.WTR_FILES] : chromiumOnly ? EVERY_BROWSER_TEST : CROSS_ENGINE_TESTS;
  const ignore = ['**/node_modules/**', ...(chromiumOnly || env.WTR_FILES ? [] : CHROMIUM_ONLY)];
  return globSync(patterns, { cwd: root, ignore }).sort();
}

/** Seconds each file took per engine in a recorded run (`RECORD_TIMES=1 npm run test:browser`). */
export function recordedTimes() {
  try {
    return JSON.parse(readFileSync(new URL('browser-test-times.json', import.meta.url), 'utf8'));
  } catch {
    return {};
  }
}

/** A file with no recorded time counts as this many seconds. */
const UNKNOWN_SECONDS = 20;

/**
 * Splits `files` into `count` shards of about equal recorded time: longest first, each to the shard with the least
 * so far. Deterministic, so a failing shard can be run again alone with the same files.
 * @param {string[]} files
 * @param {number} count
 * @param {Record<string, number>} seconds
 * @returns {{ files: string[], seconds: number }[]}
 */
export function shard(files, count, seconds = {}) {
  const shards = Array.from({ length: Math.max(1, Math.min(count, files.length)) }, () => ({
    files: /** @type {string[]} */ ([]),
    seconds: 0,
  }));
  const weight = (file) => seconds[file] ?? UNKNOWN_SECONDS;
  const byWeight = [...files].sort((a, b) => weight(b) - weight(a) || a.localeCompare(b));
  for (const file of byWeight) {
    const lightest = shards.reduce((min, next) => (next.seconds < min.seconds ? next : min));
    lightest.files.push(file);
    lightest.seconds += weight(file);
  }
  for (const { files: list } of shards) list.sort();
  return shards;
}
