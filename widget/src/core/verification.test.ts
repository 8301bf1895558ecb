import { describe, expect, it } from 'vitest';
import { warningMs } from '../controllers/idle-controller.js';
import { trustFor } from './verification.js';

describe('trustFor', () => {
  it('is unverified without a verification, verified for the same key, key-changed otherwise', () => {
    expect(trustFor(undefined, 'aa')).toBe('unverified');
    expect(trustFor('aa', 'aa')).toBe('verified');
    expect(trustFor('aa', 'bb')).toBe('key-changed');
    expect(trustFor('aa', undefined)).toBe('key-changed');
  });

  it('without a verification, is key-changed only when the current key differs from the pinned one', () => {
    expect(trustFor(undefined, 'aa', 'aa')).toBe('unverified');
    expect(trustFor(undefined, 'bb', 'aa')).toBe('key-changed');
    expect(trustFor(undefined, undefined, 'aa')).toBe('unverified'); // no key now: nothing to trust or show
    // A verification decides over the pin.
    expect(trustFor('bb', 'bb', 'aa')).toBe('verified');
  });
});

describe('idle warning lead time', () => {
  it('is a minute for long timeouts and a quarter of short ones', () => {
    expect(warningMs(900_000)).toBe(60_000);
    expect(warningMs(8_000)).toBe(2_000);
  });
});
