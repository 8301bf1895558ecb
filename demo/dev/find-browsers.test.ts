import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findFirefox, findWebKit, needsXvfb, selectedEngines } from './find-browsers.mjs';

describe('browser discovery for the tests', () => {
  const dir = mkdtempSync(join(tmpdir(), 'secure-chat-browsers-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const fakeBinary = (name: string) => {
    const path = join(dir, name);
    writeFileSync(path, '#!/bin/sh\n');
    chmodSync(path, 0o755);
    return path;
  };

  it('tests all three engines unless BROWSERS names some, and refuses unknown names', () => {
    expect(selectedEngines({})).toEqual(['chromium', 'firefox', 'webkit']);
    expect(selectedEngines({ BROWSERS: 'WebKit, chromium' })).toEqual(['chromium', 'webkit']);
    expect(() => selectedEngines({ BROWSERS: 'safari' })).toThrow(/unknown engines: safari/);
  });

  it('prefers the binaries a developer points at', () => {
    const firefox = fakeBinary('my-firefox');
    const driver = fakeBinary('MyWebKitWebDriver');
    const browser = fakeBinary('MyMiniBrowser');
    expect(findFirefox({ FIREFOX_PATH: firefox })).toBe(firefox);
    expect(findWebKit({ WEBKIT_DRIVER_PATH: driver, WEBKIT_BROWSER_PATH: browser })).toEqual({
      driver,
      browser,
    });
  });

  it('runs MiniBrowser under Xvfb only without a display', () => {
    expect(needsXvfb({})).toBe(true);
    expect(needsXvfb({ DISPLAY: ':0' })).toBe(false);
    expect(needsXvfb({ WAYLAND_DISPLAY: 'wayland-0' })).toBe(false);
  });
});
