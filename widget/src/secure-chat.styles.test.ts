// Right-to-left layouts work only if no style names a physical side: this guards every stylesheet and inline style
// in the widget's UI, including ones added later.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Declarations naming a horizontal side (top/bottom do not flip in RTL, so they are fine). */
const PHYSICAL = [
  /\b(?:margin|padding|border|inset|scroll-margin|scroll-padding)-(?:left|right)\b/,
  /(?:^|[\s;{"'`])(?:left|right)\s*:/,
  /\b(?:text-align|float|clear)\s*:\s*(?:left|right)\b/,
];

function physicalSides(source: string): string[] {
  return source
    .split('\n')
    .filter((line) => PHYSICAL.some((re) => re.test(line)))
    .map((line) => line.trim());
}

describe('widget styles', () => {
  it('use logical properties for inline sides (no left/right), so RTL flips the layout', () => {
    const dir = join(import.meta.dirname, 'ui');
    const files = [
      join(import.meta.dirname, 'secure-chat.styles.ts'),
      join(import.meta.dirname, 'secure-chat.ts'),
      ...readdirSync(dir)
        .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
        .map((f) => join(dir, f)),
    ];
    const found = files.flatMap((file) =>
      physicalSides(readFileSync(file, 'utf8')).map((line) => `${file.split('/src/')[1]}: ${line}`),
    );
    expect(found).toEqual([]);
  });
});
