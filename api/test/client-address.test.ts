import { describe, expect, it } from 'vitest';
import { clientAddress } from '../src/client-address.js';

const connection = '10.0.0.2';

describe('clientAddress', () => {
  it('ignores the forwarded header without a trusted proxy: the connection address decides', () => {
    for (const forwarded of [undefined, '203.0.113.9', '1.1.1.1, 203.0.113.9'])
      expect(clientAddress({ forwarded, trustedProxyHops: 0, connection })).toBe(connection);
  });

  it('takes the N-th entry from the right with N trusted proxies', () => {
    const forwarded = '192.0.2.1, 203.0.113.9, 10.1.0.1, 10.2.0.1';
    expect(clientAddress({ forwarded, trustedProxyHops: 1, connection })).toBe('10.2.0.1');
    expect(clientAddress({ forwarded, trustedProxyHops: 2, connection })).toBe('10.1.0.1');
    expect(clientAddress({ forwarded, trustedProxyHops: 3, connection })).toBe('203.0.113.9');
    expect(clientAddress({ forwarded, trustedProxyHops: 4, connection })).toBe('192.0.2.1');
  });

  it('is not moved by entries the client put in front (the left-most values)', () => {
    for (const spoofed of ['', '6.6.6.6, ', '1.2.3.4, 5.6.7.8, ', 'unknown, ', 'x'.repeat(500) + ', '])
      expect(
        clientAddress({ forwarded: `${spoofed}203.0.113.9, 10.1.0.1`, trustedProxyHops: 2, connection }),
      ).toBe('203.0.113.9');
  });

  it('falls back to the connection address when the list is shorter than the trusted hops, or the entry is empty', () => {
    expect(clientAddress({ forwarded: '203.0.113.9', trustedProxyHops: 2, connection })).toBe(connection);
    expect(clientAddress({ forwarded: undefined, trustedProxyHops: 1, connection })).toBe(connection);
    expect(clientAddress({ forwarded: '203.0.113.9, ', trustedProxyHops: 1, connection })).toBe(connection);
    expect(clientAddress({ forwarded: undefined, trustedProxyHops: 1, connection: undefined })).toBe(
      'unknown',
    );
  });

  it('keeps at most 64 characters of an entry', () => {
    const long = 'a'.repeat(100);
    expect(clientAddress({ forwarded: long, trustedProxyHops: 1, connection })).toBe('a'.repeat(64));
  });
});
