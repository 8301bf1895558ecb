import { describe, expect, it } from 'vitest';
import type { MessageResponse } from 'stream-chat';
import { rateLimitWait, toWire } from './stream-chat.js';

describe('stream-chat adapter', () => {
  it('reads the attachment links by position and the e2ee pointer', () => {
    const wire = toWire(
      {
        id: 'm1',
        created_at: '2026-06-01T12:00:00Z',
        user: { id: 'u1' },
        attachments: [
          { type: 'file', asset_url: 'https://us-east.stream-io-cdn.com/a?sig=1' },
          { type: 'file' },
        ],
        e2ee: { v: 1, att: 1, sha256: 'abc' },
      } as unknown as MessageResponse,
      'messaging:x',
    );
    expect(wire.attachments).toEqual(['https://us-east.stream-io-cdn.com/a?sig=1', '']);
    expect(wire.secure).toEqual({ v: 1, att: 1, sha256: 'abc' });
  });

  it('ignores a pointer without a hash or with a bad index', () => {
    const secure = (e2ee: unknown) =>
      toWire({ id: 'm', created_at: '2026-06-01T12:00:00Z', e2ee } as unknown as MessageResponse, 'c').secure;
    expect(secure({ v: 1, att: 0 })).toEqual({ v: 1 });
    expect(secure({ v: 1, att: -1, sha256: 'x' })).toEqual({ v: 1 });
  });

  it("takes a 429's wait from Retry-After, else X-RateLimit-Reset, within a minute", () => {
    const now = Date.parse('2026-06-01T12:00:00Z');
    expect(rateLimitWait({ 'retry-after': '3' }, now)).toBe(3000);
    expect(rateLimitWait({ 'x-ratelimit-reset': String(now / 1000 + 20) }, now)).toBe(20_000);
    // A reset in the past or far ahead (a browser clock that is off) is not trusted: the outbox backs off.
    expect(rateLimitWait({ 'x-ratelimit-reset': String(now / 1000 - 5) }, now)).toBeUndefined();
    expect(rateLimitWait({ 'x-ratelimit-reset': String(now / 1000 + 600) }, now)).toBeUndefined();
    expect(rateLimitWait(undefined, now)).toBeUndefined();
    expect(rateLimitWait({ 'x-ratelimit-reset': `${now / 1000 + 5}, ${now / 1000 + 9}` }, now)).toBe(9000);
    expect(rateLimitWait({ get: (n: string) => (n === 'retry-after' ? '2' : null) }, now)).toBe(2000);
  });
});
