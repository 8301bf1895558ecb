import { describe, expect, it } from 'vitest';
import { createTokenApi } from './token-api.js';

function api(respond: (url: string, init: RequestInit) => Response | Promise<Response>) {
  const calls: { url: string; init: RequestInit }[] = [];
  const port = createTokenApi({
    apiUrl: 'https://api.test/',
    sessionToken: async () => 'portal-jwt',
    fetch: (async (url: string, init: RequestInit) => {
      calls.push({ url, init });
      return respond(url, init);
    }) as typeof fetch,
  });
  return { port, calls };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('token API adapter', () => {
  it('posts with the portal session token and returns the credentials', async () => {
    const { port, calls } = api(() => json(200, { token: 'stream-token', expiresAt: 1 }));
    expect(await port.streamToken()).toBe('stream-token');
    expect(calls[0]?.url).toBe('https://api.test/v1/stream-credentials');
    expect(calls[0]?.init.method).toBe('POST');
    expect((calls[0]?.init.headers as Record<string, string>).authorization).toBe('Bearer portal-jwt');
  });

  it('sends peers to /v1/channels', async () => {
    const { port, calls } = api(() => json(200, { cid: 'messaging:c', members: ['a', 'b'] }));
    expect(await port.openChannel(['dr-bob'])).toEqual({ cid: 'messaging:c', members: ['a', 'b'] });
    expect(JSON.parse(String(calls[0]?.init.body))).toEqual({ peers: ['dr-bob'] });
  });

  it.each([
    [401, 'unauthorized'],
    [403, 'forbidden'],
    [429, 'rate-limited'],
    [500, 'token-fetch-failed'],
  ])('maps HTTP %i to %s', async (status, code) => {
    const { port } = api(() => json(status, { error: { code: 'x', message: 'no' } }));
    await expect(port.session()).rejects.toMatchObject({ name: 'SecureChatError', code });
  });

  it('reports a refused origin or network failure as a recoverable network error', async () => {
    const { port } = api(() => {
      throw new TypeError('Failed to fetch');
    });
    await expect(port.virgilToken()).rejects.toMatchObject({ code: 'network', recoverable: true });
  });

  it('rejects an incomplete session', async () => {
    const { port } = api(() => json(200, { user: { id: 'u' } }));
    await expect(port.session()).rejects.toMatchObject({ code: 'token-fetch-failed' });
  });
});
