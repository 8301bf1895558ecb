// Source rules a compiler does not check: small modules (no widget source file past 400 lines, tests excluded; split
// it by responsibility), and a class named "…Controller" is a Lit ReactiveController.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const MAX_LINES = 400;
const SRC = join(import.meta.dirname, '..', 'src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('widget source files', () => {
  it(`are at most ${MAX_LINES} lines each`, () => {
    const long = sources(SRC)
      .map((path) => ({ path, lines: readFileSync(path, 'utf8').split('\n').length - 1 }))
      .filter((file) => file.lines > MAX_LINES)
      .map((file) => `${file.path.slice(SRC.length + 1)}: ${file.lines}`);
    expect(long).toEqual([]);
  });

  it('name a class "…Controller" only when it is a ReactiveController', () => {
    const misnamed = sources(SRC).flatMap((path) =>
      [...readFileSync(path, 'utf8').matchAll(/class (\w+Controller)\b([^{]*)\{/g)]
        .filter(([, , heritage]) => !/implements[^{]*\bReactiveController\b/.test(heritage ?? ''))
        .map(([, name]) => `${path.slice(SRC.length + 1)}: ${name}`),
    );
    expect(misnamed).toEqual([]);
  });
});
