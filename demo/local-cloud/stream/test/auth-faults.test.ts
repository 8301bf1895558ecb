import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreamChat } from 'stream-chat';
import { signToken, userToken } from '../auth.js';
import { API_KEY, API_SECRET, newClient, nextEvent, startHarness, waitFor, type Harness } from './helpers.js';

describe('auth: tokens, expiry and refresh', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(['alice', 'bob']);
    await h.server
      .channel('messaging', 'auth', { members: ['alice', 'bob'], created_by_id: 'alice' })
      .create();
  });
  afterAll(() => h.stop());

  it('an expired token on the WebSocket gets code 40 and the tokenProvider is asked again', async () => {
    let calls = 0;
    const provider = async () =>
      ++calls === 1 ? userToken(API_SECRET, 'alice', -10) : userToken(API_SECRET, 'alice', 3600);
    const alice = await h.connect('alice', provider);
    expect(calls).toBe(2);
    expect(alice.user?.id).toBe('alice');
  });

  it('an expired token on REST gets code 40, the provider refreshes and the request is retried', async () => {
    let calls = 0;
    const provider = async () =>
      ++calls === 1 ? userToken(API_SECRET, 'bob', 1) : userToken(API_SECRET, 'bob', 3600);
    const bob = await h.connect('bob', provider);
    await new Promise((r) => setTimeout(r, 1100));
    const state = await bob.channel('messaging', 'auth').watch();
    expect(state.channel.cid).toBe('messaging:auth');
    expect(calls).toBe(2);
  });

  it('refuses a static expired token (40), a bad signature (43) and a wrong api key (2)', async () => {
    const expired = newClient(h.cloud.url);
    await expect(expired.connectUser({ id: 'alice' }, userToken(API_SECRET, 'alice', -10))).rejects.toThrow(
      /"code":40/,
    );
    const forged = newClient(h.cloud.url);
    await expect(
      forged.connectUser({ id: 'alice' }, signToken('wrong-secret', { user_id: 'alice' })),
    ).rejects.toThrow(/"code":43/);
    const res = await fetch(`${h.cloud.url}/channels?api_key=nope`, {
      method: 'POST',
      headers: { authorization: userToken(API_SECRET, 'alice') },
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 2, StatusCode: 401 });
  });

  it('answers an unimplemented endpoint with a clear Stream error, never a fake success', async () => {
    const alice = await h.connect('alice');
    await expect(alice.getDevices()).rejects.toMatchObject({
      status: 501,
      code: 16,
      message: expect.stringContaining('not implemented'),
    });
  });
});

describe('faults: restart and dropped sockets', () => {
  let h: Harness;
  let alice: StreamChat, bob: StreamChat;
  beforeAll(async () => {
    h = await startHarness(['alice', 'bob']);
    await h.server.channel('messaging', 'ft', { members: ['alice', 'bob'], created_by_id: 'alice' }).create();
    [alice, bob] = await Promise.all([h.connect('alice'), h.connect('bob')]);
    await alice.channel('messaging', 'ft').watch();
    await bob.channel('messaging', 'ft').watch();
  });
  afterAll(() => h.stop());

  const texts = (c: StreamChat) => c.channel('messaging', 'ft').state.messages.map((m) => m.text);

  it('a restart closes sockets with 1001; both clients reconnect, recover, and nothing is lost or duplicated', async () => {
    await alice.channel('messaging', 'ft').sendMessage({ text: 'before' });
    await waitFor(() => texts(bob).includes('before'));
    const closeCodes: number[] = [];
    for (const c of [alice, bob])
      (c.wsConnection as unknown as { ws: { on(e: string, f: (code: number) => void): void } }).ws.on(
        'close',
        (code) => closeCodes.push(code),
      );
    const recovered = Promise.all([
      nextEvent(alice, 'connection.recovered', undefined, 8000),
      nextEvent(bob, 'connection.recovered', undefined, 8000),
    ]);
    await h.restart();
    // Written while the clients are still away: they must get it through recovery.
    // The server client's keep-alive socket died with the old process: like any HTTP client, retry once on a reset.
    const sendDuring = () =>
      h.server.channel('messaging', 'ft').sendMessage({ text: 'during', user_id: 'bob' });
    await sendDuring().catch((err: { code?: string }) => {
      if (err.code !== 'ECONNRESET') throw err;
      return sendDuring();
    });
    await recovered;
    expect(closeCodes).toEqual([1001, 1001]);
    await bob.channel('messaging', 'ft').sendMessage({ text: 'after' });
    await waitFor(
      () => texts(alice).includes('after') && texts(bob).includes('after'),
      3000,
      'after on both',
    );
    for (const c of [alice, bob]) expect(texts(c)).toEqual(['before', 'during', 'after']);
  });

  it('a dropped WebSocket reconnects and recovers messages sent meanwhile', async () => {
    const ws = (alice.wsConnection as unknown as { ws: { terminate(): void } }).ws;
    const recovered = nextEvent(alice, 'connection.recovered', undefined, 8000);
    ws.terminate();
    await bob.channel('messaging', 'ft').sendMessage({ text: 'while dropped' });
    await recovered;
    await waitFor(() => texts(alice).includes('while dropped'));
    expect(texts(alice)).toEqual(['before', 'during', 'after', 'while dropped']);
    expect(texts(bob)).toEqual(['before', 'during', 'after', 'while dropped']);
  });

  it('persists everything across the restart', () => {
    const dump = h.cloud.inspect();
    expect(dump.messages.map((m) => m.text)).toEqual(['before', 'during', 'after', 'while dropped']);
    expect(dump.users.map((u) => u.id).sort()).toEqual(['alice', 'bob']);
    expect(API_KEY).toBeTruthy();
  });
});
