import { beforeAll, describe, expect, it } from 'vitest';
import { chatUserId } from '../src/identity.js';
import { portalToken, post, testApp, testSecrets } from './helpers.js';

let env: Record<string, string>;
let token: string;
let id: (sub: string) => Promise<string>;
beforeAll(async () => {
  env = testSecrets().env;
  token = await portalToken(env.PORTAL_JWT_SECRET!, {
    peers: ['dr-house', { sub: 'nurse-joy', name: 'Nurse Joy' }],
  });
  id = (sub) => chatUserId(sub, env.USER_ID_SECRET!);
});

const channels = (body: unknown, t = token) => post('/v1/channels', { token: t, body: JSON.stringify(body) });

describe('POST /v1/channels', () => {
  it('creates the distinct channel of the caller and allowed peers, by opaque ids only', async () => {
    const { app, channels: directory, audit } = testApp(env);
    const res = await app.request(
      channels({ peers: ['dr-house', 'nurse-joy'], name: 'Ada & Dr House', image: 'x' }),
    );
    expect(res.status).toBe(200);
    const body = await res.json();
    const me = await id('patient-4711');
    expect(directory.calls).toEqual([
      { createdBy: me, members: [me, await id('dr-house'), await id('nurse-joy')] },
    ]);
    expect(body.cid).toMatch(/^messaging:/);
    expect([...body.members].sort()).toEqual([me, await id('dr-house'), await id('nurse-joy')].sort());
    // Case-sensitive for "Ada": case-insensitively it also matches the hex digits "ada" inside a chat id.
    expect(JSON.stringify(directory.calls)).not.toMatch(/[Hh]ouse|[Jj]oy|Ada|[Pp]atient/);
    expect(audit.events).toEqual([
      expect.objectContaining({ userId: me, outcome: 'issued', reason: 'channel' }),
    ]);
  });

  it('returns the same channel when it already exists', async () => {
    const { app, channels: directory } = testApp(env);
    const first = await (await app.request(channels({ peers: ['dr-house'] }))).json();
    const second = await (await app.request(channels({ peers: ['dr-house'] }))).json();
    expect(second).toEqual(first);
    expect(directory.channels.size).toBe(1);
  });

  it('refuses peers outside the peers claim with 403', async () => {
    const { app, channels: directory, audit } = testApp(env);
    const res = await app.request(channels({ peers: ['dr-house', 'someone-else'] }));
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe('forbidden');
    expect(directory.calls).toEqual([]);
    expect(audit.events[0]).toMatchObject({ outcome: 'refused', reason: 'peers-not-allowed' });
  });

  it('refuses every channel when the session has no peers claim', async () => {
    const { app, channels: directory } = testApp(env);
    const noClaim = await portalToken(env.PORTAL_JWT_SECRET!);
    expect((await app.request(channels({ peers: ['dr-house'] }, noClaim))).status).toBe(403);
    expect(directory.calls).toEqual([]);
  });

  it('lets a policy hook decide instead of the claim', async () => {
    const seen: Array<[string, readonly string[]]> = [];
    const { app } = testApp(env, {
      channelPolicy: (caller, peers) => {
        seen.push([caller.sub, peers]);
        return peers.every((p) => p.startsWith('dr-'));
      },
    });
    const noClaim = await portalToken(env.PORTAL_JWT_SECRET!);
    expect((await app.request(channels({ peers: ['dr-who'] }, noClaim))).status).toBe(200);
    expect((await app.request(channels({ peers: ['nurse-joy'] }, noClaim))).status).toBe(403);
    expect(seen).toEqual([
      ['patient-4711', ['dr-who']],
      ['patient-4711', ['nurse-joy']],
    ]);
  });

  it('refuses invalid bodies with 400', async () => {
    const { app, channels: directory } = testApp(env);
    const bad = [
      {},
      { peers: [] },
      { peers: 'dr-house' },
      { peers: [1] },
      { peers: [''] },
      { peers: ['dr-house', 'dr-house'] },
      { peers: Array.from({ length: 20 }, (_, i) => `p${i}`) },
      { peers: ['patient-4711'] },
    ];
    for (const body of bad) expect((await app.request(channels(body))).status).toBe(400);
    expect((await app.request(post('/v1/channels', { token }))).status).toBe(400);
    expect(directory.calls).toEqual([]);
  });

  it('answers 502 without detail when the chat service fails', async () => {
    const { app, channels: directory, audit } = testApp(env);
    directory.failing = true;
    const res = await app.request(channels({ peers: ['dr-house'] }));
    expect(res.status).toBe(502);
    expect(await res.json()).toEqual({ error: { code: 'upstream-failed', message: expect.any(String) } });
    expect(audit.events[0]).toMatchObject({ outcome: 'failed', reason: 'chat-service-failed' });
  });
});
