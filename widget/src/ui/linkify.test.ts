import { describe, expect, it } from 'vitest';
import { linkify, safeHref } from './linkify.js';

describe('linkify', () => {
  it('keeps plain text as one string', () => {
    expect(linkify('no links here <b>bold</b>')).toEqual(['no links here <b>bold</b>']);
  });

  it('finds https links and leaves trailing punctuation as text', () => {
    expect(linkify('See https://example.org/a?b=1. Or (https://x.test/path), ok')).toEqual([
      'See ',
      { href: 'https://example.org/a?b=1', text: 'https://example.org/a?b=1' },
      '. Or (',
      { href: 'https://x.test/path', text: 'https://x.test/path' },
      '), ok',
    ]);
  });

  it('leaves plain http: addresses as text', () => {
    expect(linkify('Results at http://portal.test/labs')).toEqual(['Results at http://portal.test/labs']);
    expect(safeHref('http://portal.test/labs')).toBeUndefined();
  });

  it('never links other schemes', () => {
    for (const text of [
      'javascript:alert(1)',
      'data:text/html,<script>',
      'vbscript:x',
      'file:///etc/passwd',
    ]) {
      expect(linkify(text)).toEqual([text]);
    }
    expect(safeHref('javascript:alert(1)')).toBeUndefined();
    expect(safeHref('https://ok.test')).toBe('https://ok.test/');
  });

  it('stops a link at quotes and angle brackets', () => {
    const parts = linkify('"><a href="https://evil.test/"onmouseover=alert(1)>');
    const links = parts.filter((p) => typeof p !== 'string');
    expect(links).toEqual([{ href: 'https://evil.test/', text: 'https://evil.test/' }]);
    expect(parts.map((p) => (typeof p === 'string' ? p : p.text)).join('')).toBe(
      '"><a href="https://evil.test/"onmouseover=alert(1)>',
    );
  });
});
