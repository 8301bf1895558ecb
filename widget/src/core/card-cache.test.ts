import { describe, expect, it } from 'vitest';
import { CardCache } from './card-cache.js';

function setup(ttlMs = 1000) {
  let now = 0;
  const directory = new Map<string, string>([
    ['a', 'card-a1'],
    ['b', 'card-b1'],
  ]);
  const requests: string[][] = [];
  const changes: string[] = [];
  const cache = new CardCache<string>({
    fetch: async (ids) => {
      requests.push([...ids]);
      return new Map(ids.flatMap((id) => (directory.has(id) ? [[id, directory.get(id) as string]] : [])));
    },
    cardId: (c) => c,
    ttlMs,
    now: () => now,
    onKeyChange: (id) => changes.push(id),
  });
  return { cache, directory, requests, changes, advance: (ms: number) => (now += ms) };
}

describe('CardCache', () => {
  it('reuses cards within the TTL and refetches after it', async () => {
    const t = setup();
    await t.cache.get(['a', 'b']);
    await t.cache.get(['a']);
    expect(t.requests).toEqual([['a', 'b']]);
    t.advance(1000);
    t.directory.set('a', 'card-a2');
    expect((await t.cache.get(['a'])).get('a')).toBe('card-a2');
    expect(t.requests).toEqual([['a', 'b'], ['a']]);
    expect(t.changes).toEqual(['a']);
  });

  it('refetches a member on demand (after a verification failure)', async () => {
    const t = setup();
    await t.cache.get(['a', 'b']);
    t.directory.set('b', 'card-b2');
    expect((await t.cache.get(['a', 'b'], ['b'])).get('b')).toBe('card-b2');
    expect(t.requests).toEqual([['a', 'b'], ['b']]);
  });

  it('shares one request between concurrent lookups and leaves unknown users out', async () => {
    const t = setup();
    const [x, y] = await Promise.all([t.cache.get(['a', 'nobody']), t.cache.get(['a'])]);
    expect(t.requests).toEqual([['a', 'nobody']]);
    expect([...x.keys()]).toEqual(['a']);
    expect(y.get('a')).toBe('card-a1');
  });

  it('forgets entries on invalidate and clear', async () => {
    const t = setup();
    await t.cache.get(['a']);
    t.cache.invalidate('a');
    await t.cache.get(['a']);
    t.cache.clear();
    await t.cache.get(['a']);
    expect(t.requests).toEqual([['a'], ['a'], ['a']]);
  });
});
