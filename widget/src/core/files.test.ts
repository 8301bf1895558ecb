import { describe, expect, it } from 'vitest';
import { fileRefs, safeFileName } from './files.js';

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
