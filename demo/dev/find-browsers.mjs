// Finds the three engines the browser tests run in, from Debian's packages or from paths a developer sets.
// Shared by ensure-browsers.mjs, the test-runner config and the Node-side browser tests.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { findChromium } from './find-chromium.mjs';

export { findChromium };

/** The engines, in the order the suite runs them. */
export const ENGINES = /** @type {const} */ (['chromium', 'firefox', 'webkit']);

/** @param {string | undefined} path */
const usable = (path) => (path && existsSync(path) ? path : undefined);

/** @returns {string | undefined} $FIREFOX_PATH, then Debian's firefox-esr, then a plain firefox. */
export function findFirefox(env = process.env) {
  return usable(env.FIREFOX_PATH) ?? ['/usr/bin/firefox-esr', '/usr/bin/firefox'].find((p) => existsSync(p));
}

/** MiniBrowser lives in the multiarch folder of webkit2gtk-4.1 (or 4.0), e.g. /usr/lib/x86_64-linux-gnu/. */
function findMiniBrowser() {
  const roots = ['/usr/lib', '/usr/libexec'];
  for (const root of roots) {
    if (!existsSync(root)) continue;
    const dirs = [
      root,
      ...readdirSync(root)
        .filter((d) => d.endsWith('-linux-gnu'))
        .map((d) => join(root, d)),
    ];
    for (const dir of dirs) {
      for (const api of ['webkit2gtk-4.1', 'webkit2gtk-4.0', 'webkitgtk-6.0']) {
        const path = join(dir, api, 'MiniBrowser');
        if (existsSync(path)) return path;
      }
    }
  }
  return undefined;
}

/**
 * WebKitGTK: the WebDriver server ($WEBKIT_DRIVER_PATH or Debian's WebKitWebDriver) and the browser it drives
 * ($WEBKIT_BROWSER_PATH or WebKitGTK's MiniBrowser).
 * @returns {{ driver: string, browser: string } | undefined}
 */
export function findWebKit(env = process.env) {
  const driver = usable(env.WEBKIT_DRIVER_PATH) ?? usable('/usr/bin/WebKitWebDriver');
  const browser = usable(env.WEBKIT_BROWSER_PATH) ?? findMiniBrowser();
  return driver && browser ? { driver, browser } : undefined;
}

/** MiniBrowser has no headless mode: without a display it runs under xvfb-run. */
export function needsXvfb(env = process.env) {
  return !env.DISPLAY && !env.WAYLAND_DISPLAY;
}

/** @returns {string | undefined} */
export function findXvfbRun() {
  return usable('/usr/bin/xvfb-run');
}

/**
 * The engines to test: $BROWSERS (comma-separated, e.g. `chromium,firefox`), else all three.
 * @returns {Array<'chromium' | 'firefox' | 'webkit'>}
 */
export function selectedEngines(env = process.env) {
  if (!env.BROWSERS) return [...ENGINES];
  const wanted = env.BROWSERS.split(',').map((name) => name.trim().toLowerCase());
  const unknown = wanted.filter((name) => !ENGINES.includes(/** @type {never} */ (name)));
  if (unknown.length)
    throw new Error(`BROWSERS names unknown engines: ${unknown.join(', ')} (use ${ENGINES})`);
  return ENGINES.filter((engine) => wanted.includes(engine));
}
