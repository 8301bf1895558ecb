// Makes sure the test suite has its programs, the way `playwright install --with-deps` would, but from Debian:
// Playwright's own Firefox and WebKit builds cannot be used (nor downloaded here). For each engine in $BROWSERS
// (default: all three) that is missing, and for the compilers that run the README's examples, as root on Debian it
// installs the package with apt-get; otherwise it prints the exact command, or the variable that points at another
// binary.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import {
  findChromium,
  findFirefox,
  findWebKit,
  findXvfbRun,
  needsXvfb,
  selectedEngines,
} from './find-browsers.mjs';

/** What each engine needs, how to check it, and how a developer points at their own copy. */
const NEEDS = {
  chromium: { found: () => !!findChromium(), packages: ['chromium'], override: 'CHROMIUM_PATH' },
  firefox: { found: () => !!findFirefox(), packages: ['firefox-esr'], override: 'FIREFOX_PATH' },
  webkit: {
    found: () => !!findWebKit() && (!needsXvfb() || !!findXvfbRun()),
    // MiniBrowser has no headless mode: Xvfb gives it a display.
    packages: ['webkit2gtk-driver', ...(needsXvfb() ? ['xvfb', 'xauth'] : [])],
    override: 'WEBKIT_DRIVER_PATH and WEBKIT_BROWSER_PATH',
  },
};

const onPath = (command) =>
  (process.env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, command)));

/** Not engines: programs the Node tests run. The README's C# example is compiled with Mono (widget/scripts/readme.test.ts). */
const TOOLS = {
  mono: {
    found: () => onPath('mcs') && onPath('mono'),
    packages: ['mono-mcs'],
    override: 'PATH (mcs and mono)',
  },
};
Object.assign(NEEDS, TOOLS);

const missing = [...selectedEngines(), ...Object.keys(TOOLS)].filter((need) => !NEEDS[need].found());
if (missing.length === 0) process.exit(0);

const packages = missing.flatMap((engine) => NEEDS[engine].packages);
const others = selectedEngines().filter((engine) => !missing.includes(engine));
const howTo =
  `Install them with "sudo apt-get update && sudo apt-get install -y ${packages.join(' ')}", ` +
  `or set ${missing.map((engine) => NEEDS[engine].override).join(', ')}` +
  (others.length ? `, or test fewer engines with BROWSERS=${others.join(',')}.` : '.');

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!isRoot || !existsSync('/usr/bin/apt-get')) {
  console.error(`[secure-chat] The tests need ${missing.join(', ')}. ${howTo}`);
  process.exit(1);
}

console.log(
  `[secure-chat] Installing Debian packages for ${missing.join(', ')}: ${packages.join(' ')} (apt-get)…`,
);
try {
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', ...packages], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
} catch {
  console.error(`[secure-chat] Installing ${packages.join(' ')} failed. ${howTo}`);
  process.exit(1);
}
const stillMissing = missing.filter((engine) => !NEEDS[engine].found());
if (stillMissing.length) {
  console.error(`[secure-chat] Installed, but still no usable ${stillMissing.join(', ')}. ${howTo}`);
  process.exit(1);
}
