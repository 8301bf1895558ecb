// Makes sure the browser tests have a Chromium, the way `playwright install --with-deps` would:
// if none is found and we are root on Debian, install Debian's `chromium`; otherwise say exactly what to do.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { findChromium } from './find-chromium.mjs';

const found = findChromium();
if (found) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = existsSync('/usr/bin/apt-get');
const howTo =
  'Install Debian\'s Chromium with "sudo apt-get update && sudo apt-get install -y chromium", ' +
  'or set CHROMIUM_PATH to a Chromium or Chrome binary.';

if (!isRoot || !hasApt) {
  console.error(`[secure-chat] No Chromium or Chrome found for the browser tests. ${howTo}`);
  process.exit(1);
}

console.log('[secure-chat] No Chromium found: installing Debian\'s "chromium" package (apt-get)…');
try {
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
} catch {
  console.error(`[secure-chat] Installing chromium failed. ${howTo}`);
  process.exit(1);
}
if (!findChromium()) {
  console.error(`[secure-chat] chromium was installed but no binary was found. ${howTo}`);
  process.exit(1);
}
