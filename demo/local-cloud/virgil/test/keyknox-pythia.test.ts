import { initPythia, VirgilBrainKeyCrypto } from '@virgilsecurity/pythia-crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestCloud, uniqueIdentity } from './harness.js';

const env = new TestCloud();
beforeAll(async () => {
  await initPythia();
  await env.start();
});
afterAll(() => env.dispose());

const b64 = (text: string) => Buffer.from(text).toString('base64');

describe('Keyknox v1', () => {
  it('versions pushes, requires the previous hash and resets', async () => {
    const identity = uniqueIdentity('v1');
    const empty = await env.request('GET', '/keyknox/v1', { identity });
    expect(empty.json).toEqual({ meta: '', value: '', version: '1.0' });
    const emptyHash = empty.headers.get('virgil-keyknox-hash');
    expect(emptyHash).toBeTruthy();

    const first = await env.request('PUT', '/keyknox/v1', {
      identity,
      body: { meta: b64('m1'), value: b64('v1') },
      headers: { 'Virgil-Keyknox-Previous-Hash': emptyHash as string },
    });
    expect(first.json).toEqual({ meta: b64('m1'), value: b64('v1'), version: '1.0' });
    const hash1 = first.headers.get('virgil-keyknox-hash') as string;

    const withoutHash = await env.request('PUT', '/keyknox/v1', {
      identity,
      body: { meta: b64('x'), value: b64('x') },
    });
    expect(withoutHash.status).toBe(409);
    expect(withoutHash.json).toMatchObject({ code: 50010 });

    const second = await env.request('PUT', '/keyknox/v1', {
      identity,
      body: { meta: b64('m2'), value: b64('v2') },
      headers: { 'Virgil-Keyknox-Previous-Hash': hash1 },
    });
    expect(second.json).toMatchObject({ version: '2.0' });
    const stale = await env.request('PUT', '/keyknox/v1', {
      identity,
      body: { meta: b64('m3'), value: b64('v3') },
      headers: { 'Virgil-Keyknox-Previous-Hash': hash1 },
    });
    expect(stale.json).toMatchObject({ code: 50010 });

    const reset = await env.request('POST', '/keyknox/v1/reset', { identity });
    expect(reset.json).toEqual({ meta: '', value: '', version: '3.0' });
    expect(reset.headers.get('virgil-keyknox-hash')).toBeTruthy();
    expect((await env.request('GET', '/keyknox/v1', { identity })).json).toEqual({
      meta: '',
      value: '',
      version: '3.0',
    });
    // Another identity sees only its own blob.
    expect(
      (await env.request('GET', '/keyknox/v1', { identity: uniqueIdentity('other') })).json,
    ).toMatchObject({ value: '' });
  });
});

describe('Keyknox v2', () => {
  it('keeps one copy per recipient and filters keys by who holds a copy', async () => {
    const [owner, bob, carol] = [uniqueIdentity('owner'), uniqueIdentity('bob'), uniqueIdentity('carol')];
    const address = { root: 'group-sessions', path: 'session-1', key: '0' };
    const push = (identities: string[], value: string, hash?: string) =>
      env.request('POST', '/keyknox/v2/push', {
        identity: owner,
        body: { ...address, identities, meta: b64('meta'), value: b64(value) },
        ...(hash ? { headers: { 'Virgil-Keyknox-Previous-Hash': hash } } : {}),
      });

    const created = await push([owner, bob, owner], 'for owner and bob');
    expect(created.json).toMatchObject({ owner, ...address, identities: [owner, bob] });
    expect((await push([owner], 'again')).json).toMatchObject({ code: 50010 });
    // A new recipient needs no hash of an existing copy... but carries the owner's, as e3kit does.
    const added = await push([carol], 'for carol', created.headers.get('virgil-keyknox-hash') as string);
    expect(added.json).toMatchObject({ identities: [owner, bob, carol] });

    const pull = (caller: string) =>
      env.request('POST', '/keyknox/v2/pull', { identity: caller, body: { ...address, identity: owner } });
    expect((await pull(bob)).json).toMatchObject({
      value: b64('for owner and bob'),
      identities: [owner, bob, carol],
    });
    expect((await pull(carol)).json).toMatchObject({ value: b64('for carol') });
    const stranger = await pull(uniqueIdentity('stranger'));
    expect(stranger.json).toMatchObject({ value: '', meta: '', identities: [] });
    expect(stranger.headers.get('virgil-keyknox-hash')).toBeTruthy();

    const keys = (caller: string) =>
      env.request('POST', '/keyknox/v2/keys', {
        identity: caller,
        body: { root: address.root, path: address.path, identity: owner },
      });
    expect((await keys(bob)).json).toEqual(['0']);
    const removed = await env.request('POST', '/keyknox/v2/reset', {
      identity: owner,
      body: { root: address.root, path: address.path, identity: bob },
    });
    expect(removed.json).toMatchObject({ owner, key: '', identities: [owner, carol], meta: '', value: '' });
    expect((await keys(bob)).json).toEqual([]);
    expect((await keys(carol)).json).toEqual(['0']);

    // Only the owner's entries are reset.
    await env.request('POST', '/keyknox/v2/reset', { identity: carol, body: { root: address.root } });
    expect((await keys(carol)).json).toEqual(['0']);
    await env.request('POST', '/keyknox/v2/reset', {
      identity: owner,
      body: { root: address.root, path: address.path },
    });
    expect((await keys(carol)).json).toEqual([]);
  });
});

describe('Pythia brainkey', () => {
  it('derives the same key from the same password across a restart, and different keys otherwise', async () => {
    const client = new VirgilBrainKeyCrypto();
    const deblinded = async (identity: string, password: string, brainkeyId?: string) => {
      const { blindedPassword, blindingSecret } = client.blind(password);
      const { status, json } = await env.request('POST', '/pythia/v1/brainkey', {
        identity,
        body: {
          blinded_password: blindedPassword.toString('base64'),
          ...(brainkeyId ? { brainkey_id: brainkeyId } : {}),
        },
      });
      expect(status).toBe(200);
      const seed = (json as { seed: string }).seed;
      return client
        .deblind({ transformedPassword: Buffer.from(seed, 'base64'), blindingSecret })
        .toString('hex');
    };
    const alice = uniqueIdentity('alice');
    const before = await deblinded(alice, 'correct horse');
    expect(await deblinded(alice, 'correct horse')).toBe(before);
    expect(await deblinded(alice, 'wrong horse')).not.toBe(before);
    expect(await deblinded(uniqueIdentity('bob'), 'correct horse')).not.toBe(before);
    expect(await deblinded(alice, 'correct horse', 'other-id')).not.toBe(before);
    await env.restart();
    expect(await deblinded(alice, 'correct horse')).toBe(before);
  });

  it('rejects a blinded password of the wrong size', async () => {
    const { status, json } = await env.request('POST', '/pythia/v1/brainkey', {
      body: { blinded_password: b64('short') },
    });
    expect(status).toBe(400);
    expect(json).toMatchObject({ code: 40000 });
  });
});
