import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { withoutE3kitGroups } from './e3kit-without-groups.js';

const e3kitBundle = readFileSync(
  createRequire(import.meta.url).resolve('@virgilsecurity/e3kit-browser/dist/browser.es.js'),
  'utf8',
);

describe('E3Kit without its group store (build-time trim)', () => {
  const { code, removedChars } = withoutE3kitGroups(e3kitBundle);

  it('drops the LevelDB stack that only E3Kit groups use', () => {
    expect(removedChars).toBeGreaterThan(200_000);
    expect(code).not.toContain('function LevelUP');
    expect(code).not.toContain("var DEFAULT_PREFIX = 'level-js-'");
    expect(code).not.toContain('leveljs(opts.groupStorageName)');
  });

  it('keeps everything E3Kit itself needs', () => {
    for (const kept of [
      'class EThree extends AbstractEThree',
      'class AbstractEThree',
      'class CardManager',
      'class PrivateKeyLoader',
      'class KeyEntryStorage',
      'class IndexedDbStorageAdapter',
    ]) {
      expect(code, kept).toContain(kept);
    }
  });

  it("hands virgil-sdk's connection the browser's fetch instead of the bundled ponyfill", () => {
    expect(e3kitBundle).toContain('var fetchBrowser = createCommonjsModule(');
    expect(code).not.toContain('var fetchBrowser = ');
    expect(code).not.toContain('function fetchPonyfill(');
    expect(code).toContain('const fetch = (input, init) => globalThis.fetch(input, init);');
    // The connection itself is unchanged: it still calls `fetch` and builds `Headers`.
    expect(code).toContain('return fetch(this.prefix + endpoint, Object.assign({ method }, params));');
    expect(code).toContain('const headers = new Headers();');
  });

  it('replaces the group store with one that cleans up fine and refuses group use', () => {
    expect(code).toMatch(/class GroupLocalStorage \{\s+async reset\(\) \{\}/);
    expect(code).toContain('secure-chat build: E3Kit groups are not bundled');
  });

  it('fails the build when E3Kit is not the version it was written for', () => {
    expect(() =>
      withoutE3kitGroups(e3kitBundle.replace('class GroupLocalStorage {', 'class Other {')),
    ).toThrow(/E3Kit changed/);
  });
});
