// Trust on first use for every contact, with verification on top: pins, key changes, acknowledging, and the state
// kept per signed-in user on the device (the in-memory store stands in for IndexedDB).
import { describe, expect, it } from 'vitest';
import { MemoryKeyStore } from '../../test/fakes/fake-key-stores.js';
import type { VerificationState } from './audit.js';
import { KeyTrust } from './key-trust.js';

/** A session of `owner` on the device `store`, seeing each contact's current fingerprint in `keys`. */
function session(store: MemoryKeyStore, keys: Map<string, string>, owner = 'alice') {
  const audit: Array<[string, VerificationState]> = [];
  const lookups: Array<[string, boolean]> = [];
  const trust = new KeyTrust({
    owner,
    verified: store,
    pinned: store,
    fingerprint: async (id, refresh) => {
      lookups.push([id, refresh]);
      return keys.get(id);
    },
    onChange: (contact, state) => state && audit.push([contact, state]),
  });
  return { trust, audit, lookups };
}

describe('KeyTrust (trust on first use)', () => {
  it('pins the first key seen for a contact, per signed-in user, and trusts it again in later sessions', async () => {
    const store = new MemoryKeyStore();
    const keys = new Map([['bob', 'fp-1']]);
    const first = session(store, keys);
    expect(await first.trust.check('bob')).toEqual({
      trust: 'unverified',
      fingerprint: 'fp-1',
      wasVerified: false,
    });
    expect(store.pinned.get('alice/bob')).toBe('fp-1');
    expect(first.trust.changed.size).toBe(0);
    // Checked once per session; concurrent checks share the lookup.
    await Promise.all([first.trust.check('bob'), first.trust.check('bob')]);
    expect(first.lookups).toEqual([['bob', false]]);

    const later = session(store, keys);
    const writes = store.writes;
    expect((await later.trust.check('bob'))?.trust).toBe('unverified');
    expect(store.writes).toBe(writes);
    // Another user on the same device has pinned nothing yet.
    const carol = session(store, new Map([['bob', 'fp-other']]), 'carol');
    expect((await carol.trust.check('bob'))?.trust).toBe('unverified');
    expect(store.pinned.get('carol/bob')).toBe('fp-other');
    expect(store.pinned.get('alice/bob')).toBe('fp-1');
  });

  it('reports a different later key of a never-verified contact as a key change until it is acknowledged', async () => {
    const store = new MemoryKeyStore();
    await session(store, new Map([['bob', 'fp-1']])).trust.check('bob');

    const keys = new Map([['bob', 'fp-2']]);
    const { trust, audit } = session(store, keys);
    expect(await trust.check('bob')).toEqual({
      trust: 'key-changed',
      fingerprint: 'fp-2',
      wasVerified: false,
    });
    expect([...trust.changed]).toEqual(['bob']);
    expect(audit).toEqual([['bob', 'key-changed']]);
    // Still changed in the next session: the pin did not move by itself.
    expect((await session(store, keys).trust.check('bob'))?.trust).toBe('key-changed');

    await trust.acknowledge('bob');
    expect(trust.changed.size).toBe(0);
    expect(trust.state('bob')?.trust).toBe('unverified');
    expect(store.pinned.get('alice/bob')).toBe('fp-2');
    expect(audit).toEqual([
      ['bob', 'key-changed'],
      ['bob', 'acknowledged'],
    ]);
    expect((await session(store, keys).trust.check('bob'))?.trust).toBe('unverified');
  });

  it('keeps a verified contact distrusted after a key change until verified again, or accepted (unverified)', async () => {
    const store = new MemoryKeyStore();
    const keys = new Map([['bob', 'fp-1']]);
    const first = session(store, keys);
    await first.trust.check('bob');
    await first.trust.verify('bob');
    expect(first.trust.state('bob')?.trust).toBe('verified');
    expect(store.verified.get('alice/bob')).toBe('fp-1');

    keys.set('bob', 'fp-2');
    const changed = session(store, keys);
    expect(await changed.trust.check('bob')).toEqual({
      trust: 'key-changed',
      fingerprint: 'fp-2',
      wasVerified: true,
    });
    await changed.trust.verify('bob');
    expect(changed.trust.state('bob')?.trust).toBe('verified');
    expect(store.verified.get('alice/bob')).toBe('fp-2');
    expect(store.pinned.get('alice/bob')).toBe('fp-2');

    keys.set('bob', 'fp-3');
    const again = session(store, keys);
    expect((await again.trust.check('bob'))?.trust).toBe('key-changed');
    await again.trust.acknowledge('bob');
    expect(again.trust.state('bob')).toEqual({
      trust: 'unverified',
      fingerprint: 'fp-3',
      wasVerified: false,
    });
    expect(store.verified.has('alice/bob')).toBe(false);
    expect(again.audit.map(([, s]) => s)).toEqual(['key-changed', 'acknowledged']);
  });

  it('treats a verification stored before pins existed as the pinned key', async () => {
    const store = new MemoryKeyStore();
    await store.set('alice', 'bob', 'fp-verified');
    expect((await session(store, new Map([['bob', 'fp-verified']])).trust.check('bob'))?.trust).toBe(
      'verified',
    );
    expect((await session(store, new Map([['bob', 'fp-new']])).trust.check('bob'))?.trust).toBe(
      'key-changed',
    );
  });

  it('distrusts at once when the card cache sees a new key of a known contact, then checks it', async () => {
    const store = new MemoryKeyStore();
    const keys = new Map([['bob', 'fp-1']]);
    const { trust, lookups } = session(store, keys);
    await trust.check('bob');
    keys.set('bob', 'fp-2');
    trust.keyChanged('bob');
    // Synchronously: before the message that made the cache look is rendered.
    expect(trust.changed.has('bob')).toBe(true);
    await new Promise((r) => setTimeout(r, 0));
    expect(trust.state('bob')?.fingerprint).toBe('fp-2');
    expect(lookups.at(-1)).toEqual(['bob', true]);
    // Accepting right after the change waits for the new key: the new key is pinned, never the old one.
    keys.set('bob', 'fp-3');
    trust.keyChanged('bob');
    await trust.acknowledge('bob');
    expect(store.pinned.get('alice/bob')).toBe('fp-3');
    expect(trust.changed.has('bob')).toBe(false);
    // A contact never seen before is only checked (and pinned), not distrusted.
    trust.keyChanged('carol');
    expect(trust.changed.has('carol')).toBe(false);
  });

  it('ignores answers that arrive after the session closed', async () => {
    const store = new MemoryKeyStore();
    const { trust } = session(store, new Map([['bob', 'fp-1']]));
    const pending = trust.check('bob');
    trust.close();
    expect(await pending).toBe(undefined);
    expect(trust.state('bob')).toBe(undefined);
    expect(store.pinned.size).toBe(0);
  });
});
