import { describe, expect, it } from 'vitest';
import { fileRefs, openFile, safeFileName } from './files.js';
import type { ChatPort, CryptoPort } from './ports.js';

describe('safeFileName', () => {
  it('drops path parts and control characters and bounds the length', () => {
    expect(safeFileName('../../etc/passwd')).toBe('passwd');
    expect(safeFileName('C:\\Users\\x\\scan.pdf')).toBe('scan.pdf');
    expect(safeFileName('a\u0000b\u0007c\u0085.txt')).toBe('abc.txt');
    expect(safeFileName('x'.repeat(300))).toHaveLength(200);
    expect(safeFileName('/')).toBe('file');
  });

  it('strips bidirectional controls, so a name cannot show a different extension than it has', () => {
    // Rendered with the override, "invoice\u202Efdp.exe" reads "invoiceexe.pdf".
    expect(safeFileName('invoice\u202Efdp.exe')).toBe('invoicefdp.exe');
    for (const control of ['\u202A', '\u202B', '\u202C', '\u202D', '\u2066', '\u2067', '\u2068', '\u2069'])
      expect(safeFileName(`lab${control}results.pdf`)).toBe('labresults.pdf');
    expect(safeFileName('\u200Fscan\u200E.png\u061C')).toBe('scan.png');
    // Letters of right-to-left scripts are kept: only the invisible controls go.
    expect(safeFileName('تقرير.pdf')).toBe('تقرير.pdf');
  });

  it('applies to names read from a decrypted envelope', () => {
    const [ref] = fileRefs(
      [{ att: 0, sha256: 'h', name: 'x\u202Egnp.js', type: 'image/png', size: 3 }],
      ['https://cdn.test/0'],
    );
    expect(ref?.name).toBe('xgnp.js');
  });
});

describe('openFile', () => {
  const ref = { url: 'https://cdn.test/0', name: 'scan.pdf', type: 'application/pdf', size: 3 };

  it('aborts the download and the decryption when its signal aborts, and never returns the file', async () => {
    const abort = new AbortController();
    const seen: Array<AbortSignal | undefined> = [];
    let decrypted = 0;
    const chat = {
      download: async (_url: string, _progress?: unknown, signal?: AbortSignal) => {
        seen.push(signal);
        abort.abort(); // the widget locks while the bytes arrive
        return new Blob(['sealed']);
      },
    } as unknown as ChatPort;
    const crypto = {
      encryptFile: async () => new Blob(),
      decryptFile: async () => {
        decrypted++;
        return new Blob(['plain']);
      },
    } as unknown as CryptoPort;
    const opened = openFile(crypto, chat, ref, 'bob', new Date(), undefined, abort.signal);
    await expect(opened).rejects.toMatchObject({ code: 'aborted' });
    expect(seen).toEqual([abort.signal]);
    expect(decrypted).toBe(0);
    // Already aborted: nothing is fetched.
    await expect(
      openFile(crypto, chat, ref, 'bob', new Date(), undefined, abort.signal),
    ).rejects.toMatchObject({
      code: 'aborted',
    });
    expect(seen).toHaveLength(1);
  });
});
