import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreamChat } from 'stream-chat';
import { userToken } from '../auth.js';
import { startStreamCloud } from '../server.js';
import { API_KEY, API_SECRET, startHarness, type Harness } from './helpers.js';

/** A raw request as a user, to read the response headers the client does not surface on success. */
async function rawSend(h: Harness, user: string, text: string): Promise<Response> {
  return fetch(`${h.cloud.url}/channels/messaging/rl/message?api_key=${API_KEY}`, {
    method: 'POST',
    headers: { authorization: userToken(API_SECRET, user), 'content-type': 'application/json' },
    body: JSON.stringify({ message: { text } }),
  });
}

const sleepUntil = (epochSeconds: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.max(0, epochSeconds * 1000 - Date.now()) + 50));

describe('rate limits (429 code 9, X-RateLimit-* headers)', () => {
  let h: Harness;
  let alice: StreamChat, bob: StreamChat;
  beforeAll(async () => {
    h = await startHarness(['alice', 'bob']);
    await h.server.channel('messaging', 'rl', { members: ['alice', 'bob'], created_by_id: 'alice' }).create();
    [alice, bob] = await Promise.all([h.connect('alice'), h.connect('bob')]);
  });
  afterAll(() => h.stop());

  it("every response carries the headers; by default a user's binding limit is Stream's 60 per minute", async () => {
    const first = await rawSend(h, 'alice', 'one');
    expect(first.status).toBe(201);
    expect(first.headers.get('x-ratelimit-limit')).toBe('60');
    expect(first.headers.get('x-ratelimit-remaining')).toBe('59');
    const reset = Number(first.headers.get('x-ratelimit-reset'));
    expect(reset - Date.now() / 1000).toBeGreaterThan(55);
    expect(reset - Date.now() / 1000).toBeLessThanOrEqual(61);
    expect((await rawSend(h, 'alice', 'two')).headers.get('x-ratelimit-remaining')).toBe('58');
    const query = await fetch(`${h.cloud.url}/app?api_key=${API_KEY}`, {
      headers: { authorization: userToken(API_SECRET, 'alice') },
    });
    expect(query.headers.get('x-ratelimit-limit')).toBe('60');
  });

  it('a tiny per-user limit for sendMessage: the third send answers 429 code 9, then succeeds after the reset', async () => {
    h.cloud.configure({ rateLimits: { SendMessage: { userLimit: 2, windowSeconds: 2 } } });
    const ch = alice.channel('messaging', 'rl');
    await ch.sendMessage({ text: '1' });
    await ch.sendMessage({ text: '2' });
    const refused = await ch.sendMessage({ text: '3' }).then(
      () => undefined,
      (err: { code?: number; status?: number; response?: { data?: unknown } }) => err,
    );
    expect(refused).toMatchObject({ code: 9, status: 429 });
    expect(refused?.response?.data).toMatchObject({
      code: 9,
      StatusCode: 429,
      more_info: expect.any(String),
    });
    const raw = await rawSend(h, 'alice', '3 again');
    expect(raw.status).toBe(429);
    expect(raw.headers.get('x-ratelimit-remaining')).toBe('0');
    // Other users and other endpoints have their own windows.
    await bob.channel('messaging', 'rl').sendMessage({ text: 'bob is fine' });
    await ch.sendReaction((await ch.query({})).messages[0]!.id, { type: 'like' });
    await sleepUntil(Number(raw.headers.get('x-ratelimit-reset')));
    expect((await ch.sendMessage({ text: '3, later' })).message.text).toBe('3, later');
    expect(
      h.cloud
        .inspect()
        .messages.filter((m) => m.text.startsWith('3'))
        .map((m) => m.text),
    ).toEqual(['3, later']);
  });

  it('server-side calls have no user limit but share the app limit; GET /rate_limits reports usage', async () => {
    h.cloud.configure({ rateLimits: { SendMessage: { limit: 3, userLimit: 1 } } });
    const server = h.server.channel('messaging', 'rl');
    for (const text of ['s1', 's2', 's3']) await server.sendMessage({ text, user_id: 'alice' });
    await expect(server.sendMessage({ text: 's4', user_id: 'alice' })).rejects.toMatchObject({
      code: 9,
      status: 429,
    });
    const usage = await h.server.getRateLimits({ serverSide: true, endpoints: ['SendMessage'] });
    expect(usage.server_side?.SendMessage).toMatchObject({ limit: 3, remaining: 0 });
    h.cloud.configure({ rateLimits: {} });
    await server.sendMessage({ text: 's4', user_id: 'alice' });
  });

  it('"*" overrides every endpoint, and a named endpoint wins over it', async () => {
    h.cloud.configure({ rateLimits: { '*': { userLimit: 1000 }, SendMessage: { userLimit: 1 } } });
    const send = await rawSend(h, 'bob', 'once');
    expect(send.headers.get('x-ratelimit-limit')).toBe('1');
    const app = await fetch(`${h.cloud.url}/app?api_key=${API_KEY}`, {
      headers: { authorization: userToken(API_SECRET, 'bob') },
    });
    expect(app.headers.get('x-ratelimit-limit')).toBe('1000');
    h.cloud.configure({ rateLimits: {} });
  });

  it('reads LOCAL_STREAM_RATE_LIMITS at start', async () => {
    process.env.LOCAL_STREAM_RATE_LIMITS = JSON.stringify({ QueryUsers: { userLimit: 1 } });
    const cloud = await startStreamCloud({
      dataDir: `${h.dataDir}/env`,
      apiKey: API_KEY,
      apiSecret: API_SECRET,
    });
    delete process.env.LOCAL_STREAM_RATE_LIMITS;
    try {
      const get = () =>
        fetch(`${cloud.url}/users?api_key=${API_KEY}`, {
          headers: { authorization: userToken(API_SECRET, 'alice') },
        });
      expect((await get()).status).toBe(200);
      const second = await get();
      expect(second.status).toBe(429);
      expect(await second.json()).toMatchObject({ code: 9, StatusCode: 429 });
    } finally {
      await cloud.close();
    }
  });
});
