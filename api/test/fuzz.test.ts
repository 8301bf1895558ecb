import { beforeAll, describe, expect, it } from 'vitest';
import { ORIGIN, portalToken, testApp, testSecrets } from './helpers.js';

/** Small seeded PRNG (mulberry32) so a failing case can be replayed from its seed. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CASES = 4000;
let env: Record<string, string>;
let good: string;
let badTokens: string[];
beforeAll(async () => {
  env = testSecrets({
    RATE_LIMIT_PER_IP: '1000000',
    RATE_LIMIT_PER_USER: '100000',
    BODY_LIMIT_BYTES: '2048',
  }).env;
  good = await portalToken(env.PORTAL_JWT_SECRET!, {
    peers: ['dr-house', { sub: 'nurse-joy', name: 'Joy' }, { sub: 7 }, null],
  });
  badTokens = [
    await portalToken('y'.repeat(64)),
    await portalToken(env.PORTAL_JWT_SECRET!, { exp: 1 }),
    await portalToken(env.PORTAL_JWT_SECRET!, { aud: 'x' }),
    await portalToken(env.PORTAL_JWT_SECRET!, { iss: 'x' }),
    good.slice(0, -3) + 'abc',
    good.split('.').slice(0, 2).join('.') + '.',
  ];
});

describe('fuzzing the request surface', () => {
  it(`${CASES} random requests: never a 500, never a token without a valid session and an allowed origin`, async () => {
    // A fixed seed keeps the run the same on every machine and clock; FUZZ_SEED explores others.
    const seed = Number(process.env.FUZZ_SEED ?? 1);
    const random = prng(seed);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const junk = (max: number) => {
      let out = '';
      const length = Math.floor(random() * max);
      for (let i = 0; i < length; i++) out += String.fromCharCode(Math.floor(random() * 0x7f));
      return out;
    };
    const { app, errors } = testApp(env);
    const statuses = new Map<number, number>();

    for (let i = 0; i < CASES; i++) {
      const origin = pick([
        ORIGIN,
        ORIGIN,
        'http://localhost:5173',
        undefined,
        'https://evil.example',
        'null',
        `${ORIGIN}.evil`,
        junk(40),
      ]);
      const validOrigin = origin === ORIGIN || origin === 'http://localhost:5173';
      const auth = pick([
        `Bearer ${good}`,
        `Bearer ${good}`,
        `bearer ${good}`,
        good,
        `Bearer ${pick(badTokens)}`,
        `Bearer ${junk(300)}`,
        junk(50),
        undefined,
      ]);
      const validAuth = auth === `Bearer ${good}`;
      const method = pick(['POST', 'POST', 'POST', 'GET', 'OPTIONS', 'PUT', 'DELETE', 'PATCH']);
      const path = pick([
        '/v1/session',
        '/v1/stream-credentials',
        '/v1/virgil-credentials',
        '/v1/channels',
        '/healthz',
        '/v1/',
        `/v1/${junk(20)}`,
        '/v1//session',
        '/V1/session',
      ]);
      const body = pick([
        undefined,
        '',
        '{}',
        '{"peers":["dr-house"]}',
        '{"peers":["nurse-joy","dr-house"]}',
        '{"peers":["stranger"]}',
        JSON.stringify({ peers: Array.from({ length: Math.floor(random() * 30) }, () => junk(12)) }),
        '{"name":"Mallory","user_id":"admin"}',
        junk(100),
        'x'.repeat(3000),
        '[',
        'null',
      ]);
      const headers = new Headers();
      for (const [name, value] of [
        ['origin', origin],
        ['authorization', auth],
      ] as const) {
        if (value === undefined) continue;
        try {
          headers.set(name, value);
        } catch {
          // Header values the fetch API itself rejects never reach a server.
        }
      }
      if (random() < 0.5)
        headers.set(
          'content-type',
          pick([
            'application/json',
            'text/plain',
            'multipart/form-data; boundary=x',
            junk(20).replace(/[^\x20-\x7e]/g, ''),
          ]),
        );
      if (random() < 0.2) headers.set('content-length', String(Math.floor(random() * 5000)));
      if (random() < 0.2)
        headers.set(
          'access-control-request-method',
          pick(['POST', 'GET', junk(8).replace(/[^A-Za-z]/g, '') || 'X']),
        );
      let request: Request;
      try {
        request = new Request(`http://api.test${path}`, {
          method,
          headers,
          ...(body !== undefined && method !== 'GET' ? { body } : {}),
        });
      } catch {
        continue; // not a request any client could send
      }
      const res = await app.request(request);
      const text = await res.text();
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      const context = `seed=${seed} case=${i} ${method} ${path} origin=${String(origin).slice(0, 30)} status=${res.status}`;
      expect(res.status, context).toBeLessThan(500);
      if (!validOrigin || !validAuth) {
        expect(text.includes('"token"'), context).toBe(false);
      }
      if (res.status !== 204 && path !== '/healthz' && res.status >= 400) {
        expect(JSON.parse(text), context).toEqual({
          error: { code: expect.any(String), message: expect.any(String) },
        });
      }
    }
    expect(errors).toEqual([]);
    // The run must have reached every layer, or it proved nothing.
    for (const status of [200, 204, 400, 401, 403, 404, 413])
      expect(statuses.get(status) ?? 0, `status ${status}`).toBeGreaterThan(10);
  });
});
