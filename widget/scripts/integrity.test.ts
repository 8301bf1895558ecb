import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { widgetDist } from './bundle-size.js';

const dist = widgetDist();
const sha384 = (file: string) =>
  `sha384-${createHash('sha384')
    .update(readFileSync(join(dist, file)))
    .digest('base64')}`;

describe('Subresource Integrity (npm run build first)', () => {
  it('writes the script-tag integrity of the entry, matching its bytes', () => {
    expect(existsSync(join(dist, 'secure-chat.js.sri')), 'run `npm run build` before the tests').toBe(true);
    const integrity = readFileSync(join(dist, 'secure-chat.js.sri'), 'utf8').trim();
    expect(integrity).toMatch(/^sha384-[A-Za-z0-9+/]{64}$/);
    expect(integrity).toBe(sha384('secure-chat.js'));
  });

  it('lists every JS chunk in integrity.json with its hash', () => {
    const manifest = JSON.parse(readFileSync(join(dist, 'integrity.json'), 'utf8')) as Record<string, string>;
    expect(Object.keys(manifest)).toContain('secure-chat.js');
    expect(Object.keys(manifest).some((file) => /^chunks\/e3kit-/.test(file))).toBe(true);
    for (const [file, integrity] of Object.entries(manifest)) expect(integrity, file).toBe(sha384(file));
  });
});
