import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bundledPackageDirs, renderNotice } from './notice.js';

describe('NOTICE (npm run build first)', () => {
  it('lists exactly the third-party packages in the current bundle: regenerate with `npm run notice`', () => {
    const notice = readFileSync(new URL('../../NOTICE', import.meta.url), 'utf8');
    expect(notice).toBe(renderNotice(bundledPackageDirs()));
  });

  it('names the packages the widget is known to bundle, and calls out stream-chat’s terms', () => {
    const names = [
      'lit-html',
      'stream-chat',
      'axios',
      '@virgilsecurity/e3kit-browser',
      'virgil-sdk',
      'virgil-crypto',
    ];
    const notice = renderNotice(bundledPackageDirs());
    for (const name of [...names, 'idb', 'uqr', '@zxcvbn-ts/core']) expect(notice).toContain(`- ${name}@`);
    expect(notice).toMatch(/stream-chat@[\d.]+\n {2}License: SEE LICENSE IN LICENSE\n {2}Terms: Not an OSI/);
  });
});
