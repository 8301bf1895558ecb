// Finds a Chromium or Chrome binary for the browser tests. Shared by ensure-browsers.mjs (via find-browsers.mjs) and the tests.
import { existsSync } from 'node:fs';

const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/google-chrome',
  '/snap/bin/chromium',
];

/** @returns {string | undefined} the first usable browser: $CHROMIUM_PATH, then the usual install paths. */
export function findChromium(env = process.env) {
  if (env.CHROMIUM_PATH && existsSync(env.CHROMIUM_PATH)) return env.CHROMIUM_PATH;
  return CANDIDATES.find((path) => existsSync(path));
}
