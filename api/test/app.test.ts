import { generateKeyPairSync } from 'node:crypto';
import { createLocalJWKSet, exportJWK, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { MemoryRateLimitStore } from '../src/rate-limit.js';
import type { RateLimitRule } from '../src/rate-limit.js';
import { chatUserId } from '../src/identity.js';
import { AUDIENCE, ISSUER, ORIGIN, jwtPayload, portalToken, post, testApp, testSecrets } from './helpers.js';
import type { TestSecrets } from './helpers.js';
import { verifyHs256, verifyVirgilJwt } from './verifiers.js';

let secrets: TestSecrets;
let env: Record<string, string>;
let token: string;
beforeAll(async () => {
  secrets = testSecrets();
  env = secrets.env;
  token = await portalToken(env.PORTAL_JWT_SECRET!, {
    name: 'Ada Patient',
    peers: ['dr-house', { sub: 'nurse-joy', name: 'Nurse Joy' }, 42],
  });
});

describe('POST /v1/session', () => {
  it('issues a Stream and a Virgil token for the portal user, both verified by the real verifiers', async () => {
    const { app, audit } = testApp(env);
    const res = await app.request(post('/v1/session', { token }));
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = await res.json();
    const userId = await chatUserId('patient-4711', env.USER_ID_SECRET!);
    expect(body.user).toEqual({ id: userId, name: 'Ada Patient' });
    expect(body.contacts).toEqual([
      { id: await chatUserId('dr-house', env.USER_ID_SECRET!), sub: 'dr-house' },
      { id: await chatUserId('nurse-joy', env.USER_ID_SECRET!), sub: 'nurse-joy', name: 'Nurse Joy' },
    ]);
    expect(body.stream).toMatchObject({ apiKey: env.STREAM_API_KEY, baseURL: env.STREAM_BASE_URL });
    expect(body.virgil.apiUrl).toBe(env.VIRGIL_API_URL);

    expect(verifyHs256(body.stream.token, env.STREAM_API_SECRET!)).toBe(true);
    const streamClaims = jwtPayload(body.stream.token);
    expect(streamClaims).toMatchObject({ user_id: userId });
    expect(Object.keys(streamClaims).sort()).toEqual(['exp', 'iat', 'user_id']);
    // iat is backdated a minute so a token API clock slightly ahead of Stream's does not get the token refused.
    expect((streamClaims.exp as number) - (streamClaims.iat as number)).toBe(3600 + 60);
    expect(streamClaims.iat as number).toBeLessThanOrEqual(Date.now() / 1000 - 59);
    expect(body.stream.expiresAt).toBe(new Date((streamClaims.exp as number) * 1000).toISOString());

    const virgil = await verifyVirgilJwt(body.virgil.token, {
      appKeyId: env.VIRGIL_APP_KEY_ID!,
      publicKey: secrets.virgilPublicKey,
    });
    expect(virgil).toEqual({ ok: true, identity: userId });
    const virgilClaims = jwtPayload(body.virgil.token);
    expect(virgilClaims.iss).toBe(`virgil-${env.VIRGIL_APP_ID}`);
    expect((virgilClaims.exp as number) - (virgilClaims.iat as number)).toBe(1200);

    expect(audit.events).toEqual([
      {
        time: expect.any(String),
        userId,
        origin: ORIGIN,
        route: 'POST /v1/session',
        outcome: 'issued',
        reason: 'session',
      },
    ]);
    expect(JSON.stringify(audit.events)).not.toContain(body.stream.token);
  });

  it('a Virgil token signed with another key fails the real verifier (the check is not vacuous)', async () => {
    const other = testSecrets();
    const { app } = testApp(env);
    const body = await (await app.request(post('/v1/session', { token }))).json();
    const result = await verifyVirgilJwt(body.virgil.token, {
      appKeyId: env.VIRGIL_APP_KEY_ID!,
      publicKey: other.virgilPublicKey,
    });
    expect(result.ok).toBe(false);
    expect(verifyHs256(body.stream.token, other.env.STREAM_API_SECRET!)).toBe(false);
  });

  it('ignores a display name or user id in the request body', async () => {
    const { app } = testApp(env);
    const plain = await portalToken(env.PORTAL_JWT_SECRET!);
    const res = await app.request(
      post('/v1/session', {
        token: plain,
        body: JSON.stringify({ name: 'Mallory', userId: 'admin', user_id: 'admin' }),
      }),
    );
    const body = await res.json();
    expect(body.user).toEqual({ id: await chatUserId('patient-4711', env.USER_ID_SECRET!) });
    expect(body.contacts).toEqual([]);
  });

  it('takes the display name from the configured claim only', async () => {
    const { app } = testApp({ ...env, PORTAL_NAME_CLAIM: 'display_name' });
    const custom = await portalToken(env.PORTAL_JWT_SECRET!, { name: 'Wrong', display_name: 'Right' });
    expect((await (await app.request(post('/v1/session', { token: custom }))).json()).user.name).toBe(
      'Right',
    );
  });
});

describe('frame isolation: FRAME_ORIGINS and the embedding origins', () => {
  const CDN = 'https://widget-cdn.example';

  it('lists the embedding origins in the session, and serves the frame origin without listing it', async () => {
    const { app } = testApp({ ...env, FRAME_ORIGINS: CDN });
    const res = await app.request(post('/v1/session', { token, origin: CDN }));
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(CDN);
    expect((await res.json()).allowedOrigins).toEqual([ORIGIN, 'http://localhost:5173']);
  });

  it('refuses the frame origin when FRAME_ORIGINS does not list it', async () => {
    const { app } = testApp(env);
    const res = await app.request(post('/v1/session', { token, origin: CDN }));
    expect(res.status).toBe(403);
  });
});

describe('POST /v1/stream-credentials and /v1/virgil-credentials', () => {
  it('issues only the Stream credentials', async () => {
    const { app } = testApp({ ...env, STREAM_TOKEN_TTL_S: '120' });
    const res = await app.request(post('/v1/stream-credentials', { token }));
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(Object.keys(body).sort()).toEqual([
      'apiKey',
      'baseURL',
      'expiresAt',
      'serverTime',
      'token',
      'user',
    ]);
    expect(body.user).toEqual({
      id: await chatUserId('patient-4711', env.USER_ID_SECRET!),
      name: 'Ada Patient',
    });
    expect(verifyHs256(body.token, env.STREAM_API_SECRET!)).toBe(true);
    const claims = jwtPayload(body.token);
    expect((claims.exp as number) - (claims.iat as number)).toBe(120 + 60);
  });

  it('issues only the Virgil credentials', async () => {
    const { app } = testApp(env);
    const res = await app.request(post('/v1/virgil-credentials', { token }));
    const body = await res.json();
    expect(Object.keys(body).sort()).toEqual(['apiUrl', 'expiresAt', 'serverTime', 'token']);
    const result = await verifyVirgilJwt(body.token, {
      appKeyId: env.VIRGIL_APP_KEY_ID!,
      publicKey: secrets.virgilPublicKey,
    });
    expect(result).toEqual({ ok: true, identity: await chatUserId('patient-4711', env.USER_ID_SECRET!) });
  });
});

describe('token lifetimes end with the portal session', () => {
  const nowS = () => Math.floor(Date.now() / 1000);
  /** The `exp` of every token the three routes issue for `portal`, with the `expiresAt` each answer reports. */
  async function issuedExpiries(portal: string) {
    const { app } = testApp(env);
    const session = await (await app.request(post('/v1/session', { token: portal }))).json();
    const stream = await (await app.request(post('/v1/stream-credentials', { token: portal }))).json();
    const virgil = await (await app.request(post('/v1/virgil-credentials', { token: portal }))).json();
    const expOf = (token: string) => jwtPayload(token).exp as number;
    const issued = [session.stream, session.virgil, stream, virgil] as Array<{
      token: string;
      expiresAt: string;
    }>;
    for (const { token, expiresAt } of issued)
      expect(expiresAt).toBe(new Date(expOf(token) * 1000).toISOString());
    return {
      stream: [expOf(session.stream.token), expOf(stream.token)],
      virgil: [expOf(session.virgil.token), expOf(virgil.token)],
    };
  }

  it('keeps the configured TTLs (1 h Stream, 20 min Virgil) while the session lasts longer', async () => {
    const before = nowS();
    const { stream, virgil } = await issuedExpiries(
      await portalToken(env.PORTAL_JWT_SECRET!, { exp: before + 7200 }),
    );
    const after = nowS();
    const lifetimes = (exps: number[], start: number) => exps.map((exp) => exp - start);
    for (const lifetime of lifetimes(stream, before)) expect(lifetime).toBeGreaterThanOrEqual(3600);
    for (const lifetime of lifetimes(stream, after)) expect(lifetime).toBeLessThanOrEqual(3600);
    for (const lifetime of lifetimes(virgil, before)) expect(lifetime).toBeGreaterThanOrEqual(1200);
    for (const lifetime of lifetimes(virgil, after)) expect(lifetime).toBeLessThanOrEqual(1200);
  });

  it('ends the tokens at the portal exp when the session ends before their TTL', async () => {
    const exp = nowS() + 600; // before both TTLs
    expect(await issuedExpiries(await portalToken(env.PORTAL_JWT_SECRET!, { exp }))).toEqual({
      stream: [exp, exp],
      virgil: [exp, exp],
    });
    const between = nowS() + 1800; // after the Virgil TTL, before the Stream TTL
    const capped = await issuedExpiries(await portalToken(env.PORTAL_JWT_SECRET!, { exp: between }));
    expect(capped.stream).toEqual([between, between]);
    for (const virgilExp of capped.virgil) expect(virgilExp).toBeLessThan(between);
  });

  it('an almost-expired portal session yields tokens that expire with it, still valid for the verifiers', async () => {
    const exp = nowS() + 3;
    const portal = await portalToken(env.PORTAL_JWT_SECRET!, { exp });
    expect(await issuedExpiries(portal)).toEqual({ stream: [exp, exp], virgil: [exp, exp] });
    const { app } = testApp(env);
    const body = await (await app.request(post('/v1/session', { token: portal }))).json();
    expect(verifyHs256(body.stream.token, env.STREAM_API_SECRET!)).toBe(true);
    expect(
      await verifyVirgilJwt(body.virgil.token, {
        appKeyId: env.VIRGIL_APP_KEY_ID!,
        publicKey: secrets.virgilPublicKey,
      }),
    ).toMatchObject({ ok: true });
  });

  it('a session accepted only through the clock leeway gets tokens that have already expired', async () => {
    const exp = nowS() - 5;
    const portal = await portalToken(env.PORTAL_JWT_SECRET!, { exp });
    expect(await issuedExpiries(portal)).toEqual({ stream: [exp, exp], virgil: [exp, exp] });
  });
});

describe('GET /healthz', () => {
  it('answers without auth, with security headers', async () => {
    const { app } = testApp(env);
    const res = await app.request('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('strict-transport-security')).toBeTruthy();
  });
});

describe('authentication refusals', () => {
  const cases: Array<[string, () => Promise<string | undefined>, string]> = [
    ['no token', async () => undefined, 'token-missing'],
    ['a malformed token', async () => 'not-a-jwt', 'token-malformed'],
    ['a bad signature', async () => portalToken('x'.repeat(64)), 'token-signature'],
    [
      'an expired token',
      async () => portalToken(env.PORTAL_JWT_SECRET!, { exp: Math.floor(Date.now() / 1000) - 120 }),
      'token-expired',
    ],
    [
      'a token not yet valid',
      async () => portalToken(env.PORTAL_JWT_SECRET!, { nbf: Math.floor(Date.now() / 1000) + 600 }),
      'token-claim-nbf',
    ],
    [
      'the wrong issuer',
      async () => portalToken(env.PORTAL_JWT_SECRET!, { iss: 'https://evil.example' }),
      'token-claim-iss',
    ],
    [
      'the wrong audience',
      async () => portalToken(env.PORTAL_JWT_SECRET!, { aud: 'other-app' }),
      'token-claim-aud',
    ],
    ['no exp', async () => portalToken(env.PORTAL_JWT_SECRET!, { exp: undefined }), 'token-claim-exp'],
    ['no subject', async () => portalToken(env.PORTAL_JWT_SECRET!, { sub: undefined }), 'token-claim-sub'],
    ['alg none', async () => unsignedToken(), 'token-key'],
  ];
  for (const [label, makeToken, reason] of cases) {
    it(`refuses ${label} with 401 on every token route`, async () => {
      const { app, audit } = testApp(env);
      const bad = await makeToken();
      for (const route of [
        '/v1/session',
        '/v1/stream-credentials',
        '/v1/virgil-credentials',
        '/v1/channels',
      ]) {
        const req = post(route, {
          ...(bad ? { headers: { authorization: `Bearer ${bad}` } } : {}),
          body: '{"peers":["dr-house"]}',
        });
        const res = await app.request(req);
        expect(res.status).toBe(401);
        const body = await res.json();
        expect(body).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
      }
      expect(audit.events.map((e) => [e.outcome, e.reason])).toEqual(Array(4).fill(['refused', reason]));
      expect(audit.events.every((e) => e.userId === undefined)).toBe(true);
    });
  }

  it('accepts a token within the clock leeway', async () => {
    const { app } = testApp(env);
    const late = await portalToken(env.PORTAL_JWT_SECRET!, { exp: Math.floor(Date.now() / 1000) - 5 });
    expect((await app.request(post('/v1/virgil-credentials', { token: late }))).status).toBe(200);
  });

  it('verifies RS256/ES256/EdDSA portal tokens from a JWKS', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' };
    const { PORTAL_JWT_SECRET: _unused, ...rest } = env;
    const { app } = testApp(
      { ...rest, PORTAL_JWKS_URL: 'https://portal.example/jwks.json' },
      { portalKeys: createLocalJWKSet({ keys: [jwk] }) },
    );
    const now = Math.floor(Date.now() / 1000);
    const es = await new SignJWT({ sub: 'patient-4711' })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime(now + 60)
      .sign(privateKey);
    expect((await app.request(post('/v1/virgil-credentials', { token: es }))).status).toBe(200);
    // An HS256 token signed with the public key's bytes must not pass (algorithm confusion).
    const hs = await portalToken(JSON.stringify(jwk));
    expect((await app.request(post('/v1/virgil-credentials', { token: hs }))).status).toBe(401);
  });
});

describe('origin restriction', () => {
  it('refuses a missing Origin with 403 and no token', async () => {
    const { app, audit } = testApp(env);
    const res = await app.request(post('/v1/session', { origin: null, token }));
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: { code: 'forbidden-origin', message: expect.any(String) } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(audit.events[0]).toMatchObject({ origin: null, outcome: 'refused', reason: 'origin-missing' });
  });

  it('refuses an unlisted or almost-matching Origin', async () => {
    const { app, audit } = testApp(env);
    for (const origin of [
      'https://evil.example',
      'https://portal.example.evil.example',
      'http://portal.example',
      'https://portal.example/',
      'null',
    ]) {
      const res = await app.request(post('/v1/stream-credentials', { origin, token }));
      expect(res.status).toBe(403);
      expect(await res.text()).not.toContain('token"');
    }
    expect(audit.events.every((e) => e.reason === 'origin-not-allowed')).toBe(true);
  });

  it('answers a preflight from an allowed origin, and refuses one from any other', async () => {
    const { app, audit } = testApp(env);
    const preflight = (origin: string) =>
      app.request('/v1/session', {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type',
        },
      });
    const ok = await preflight('http://localhost:5173');
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(ok.headers.get('access-control-allow-headers')).toContain('Authorization');
    expect(ok.headers.get('access-control-allow-credentials')).toBeNull();
    const bad = await preflight('https://evil.example');
    expect(bad.status).toBe(403);
    expect(bad.headers.get('access-control-allow-origin')).toBeNull();
    expect(audit.events).toEqual([
      expect.objectContaining({
        route: 'OPTIONS /v1/session',
        outcome: 'refused',
        reason: 'preflight-origin-not-allowed',
      }),
    ]);
  });
});

describe('rate limits', () => {
  it('limits per user with 429 and Retry-After', async () => {
    let now = 1_000_000;
    const { app, audit } = testApp(
      { ...env, RATE_LIMIT_PER_USER: '3', RATE_LIMIT_WINDOW_S: '60' },
      { now: () => now },
    );
    const t = await portalToken(env.PORTAL_JWT_SECRET!);
    for (let i = 0; i < 3; i++)
      expect((await app.request(post('/v1/stream-credentials', { token: t }))).status).toBe(200);
    const limited = await app.request(post('/v1/stream-credentials', { token: t }));
    expect(limited.status).toBe(429);
    // 3 per 60 s: the burst is spent, and the next request fits 60 / 3 = 20 s later.
    expect(limited.headers.get('retry-after')).toBe('20');
    expect((await limited.json()).error.code).toBe('rate-limited');
    expect(audit.events.at(-1)).toMatchObject({
      outcome: 'refused',
      reason: 'rate-limit-user',
      userId: expect.stringMatching(/^u[0-9a-f]{32}$/),
    });
    // Another user is unaffected.
    const other = await portalToken(env.PORTAL_JWT_SECRET!, { sub: 'someone-else' });
    expect((await app.request(post('/v1/stream-credentials', { token: other }))).status).toBe(200);
    const statuses = async (n: number) => {
      const seen: number[] = [];
      for (let i = 0; i < n; i++)
        seen.push((await app.request(post('/v1/stream-credentials', { token: t }))).status);
      return seen;
    };
    // One request comes back every 20 s; a quiet full window brings the whole burst back, and no more.
    now += 20_000;
    expect(await statuses(2)).toEqual([200, 429]);
    now += 60_000;
    expect(await statuses(4)).toEqual([200, 200, 200, 429]);
  });

  it('limits per IP, before authentication', async () => {
    const store = new MemoryRateLimitStore();
    const { app, audit } = testApp(
      { ...env, RATE_LIMIT_PER_IP: '2', TRUSTED_PROXY_HOPS: '1', RATE_LIMIT_IP_HEADER: 'X-Real-IP' },
      { rateLimitStore: store },
    );
    const from = (ip: string) => post('/v1/session', { headers: { 'x-real-ip': ip } });
    expect((await app.request(from('10.0.0.1'))).status).toBe(401);
    expect((await app.request(from('10.0.0.1'))).status).toBe(401);
    const limited = await app.request(from('10.0.0.1'));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(audit.events.at(-1)?.reason).toBe('rate-limit-ip');
    expect((await app.request(from('10.0.0.2'))).status).toBe(401);
  });
});

describe('when the rate-limit store fails', () => {
  const failingStore = {
    hit: () => Promise.reject(Object.assign(new Error('down'), { code: 'ECONNREFUSED' })),
  };
  const shared = { RATE_LIMIT_STORE: 'redis', REDIS_URL: 'redis://127.0.0.1:9' };

  it('closed (the default): 503 with Retry-After, audited, one throttled JSON line without the client', async () => {
    let now = 1_000_000;
    const lines: string[] = [];
    const { app, audit } = testApp(
      { ...env, ...shared, TRUSTED_PROXY_HOPS: '1', RATE_LIMIT_IP_HEADER: 'X-Real-IP' },
      { rateLimitStore: failingStore, log: (line) => lines.push(line), now: () => now },
    );
    const ask = () => app.request(post('/v1/session', { token, headers: { 'x-real-ip': '198.51.100.4' } }));
    const res = await ask();
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(await res.json()).toEqual({ error: { code: 'unavailable', message: expect.any(String) } });
    expect(audit.events.at(-1)).toMatchObject({ outcome: 'failed', reason: 'rate-limit-store' });
    await ask();
    now += 10_000;
    await ask();
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({
        event: 'rate-limit-store-error',
        store: 'redis',
        policy: 'closed',
        suppressed: 0,
      }),
      expect.objectContaining({ event: 'rate-limit-store-error', code: 'ECONNREFUSED', suppressed: 1 }),
    ]);
    expect(lines.join('\n')).not.toContain('198.51.100.4');
    // The plain health check never touches the store; the deep one is limited through it.
    expect((await app.request('/healthz')).status).toBe(200);
    expect((await app.request('/healthz?deep=1')).status).toBe(503);
  });

  it('open: the request goes on as if unlimited', async () => {
    const lines: string[] = [];
    const { app } = testApp(
      { ...env, ...shared, RATE_LIMIT_ON_STORE_ERROR: 'open' },
      { rateLimitStore: failingStore, log: (line) => lines.push(line) },
    );
    expect((await app.request(post('/v1/session', { token }))).status).toBe(200);
    expect(JSON.parse(lines[0]!)).toMatchObject({ event: 'rate-limit-store-error', policy: 'open' });
  });
});

describe('the per-IP key behind proxies', () => {
  /** A store that remembers which keys were counted. */
  function recordingStore() {
    const inner = new MemoryRateLimitStore();
    const keys: string[] = [];
    return {
      keys,
      hit: (key: string, rule: RateLimitRule, nowMs: number) => (keys.push(key), inner.hit(key, rule, nowMs)),
    };
  }
  const socket = '10.0.0.2';
  const forwardedFrom = (xff: string) => post('/v1/session', { headers: { 'x-forwarded-for': xff } });

  it('without TRUSTED_PROXY_HOPS, keys on the connection address and ignores X-Forwarded-For', async () => {
    const store = recordingStore();
    const { app } = testApp(
      { ...env, RATE_LIMIT_PER_IP: '2' },
      { rateLimitStore: store, clientIp: () => socket },
    );
    expect((await app.request(forwardedFrom('203.0.113.1'))).status).toBe(401);
    expect((await app.request(forwardedFrom('203.0.113.2'))).status).toBe(401);
    // A third "client" by its own account is still the same connection.
    expect((await app.request(forwardedFrom('203.0.113.3'))).status).toBe(429);
    expect(store.keys).toEqual(Array(3).fill(`ip:${socket}`));
  });

  it('keys on the N-th entry from the right with N trusted hops; spoofed left entries change nothing', async () => {
    const store = recordingStore();
    const { app } = testApp(
      { ...env, RATE_LIMIT_PER_IP: '2', TRUSTED_PROXY_HOPS: '2' },
      { rateLimitStore: store, clientIp: () => socket },
    );
    // What the load balancer appended (203.0.113.9), then what the inner proxy appended (the balancer, 10.1.0.1).
    expect((await app.request(forwardedFrom('203.0.113.9, 10.1.0.1'))).status).toBe(401);
    expect((await app.request(forwardedFrom('1.1.1.1, 203.0.113.9, 10.1.0.1'))).status).toBe(401);
    expect((await app.request(forwardedFrom('2.2.2.2, 3.3.3.3, 203.0.113.9, 10.1.0.1'))).status).toBe(429);
    expect((await app.request(forwardedFrom('203.0.113.10, 10.1.0.1'))).status).toBe(401);
    expect(store.keys).toEqual(['ip:203.0.113.9', 'ip:203.0.113.9', 'ip:203.0.113.9', 'ip:203.0.113.10']);
  });

  it('falls back to the connection address when the list has fewer entries than trusted hops', async () => {
    const store = recordingStore();
    const { app } = testApp(
      { ...env, TRUSTED_PROXY_HOPS: '2' },
      { rateLimitStore: store, clientIp: () => socket },
    );
    await app.request(forwardedFrom('203.0.113.9'));
    await app.request(post('/v1/session'));
    expect(store.keys).toEqual([`ip:${socket}`, `ip:${socket}`]);
  });
});

describe('bodies', () => {
  it('refuses malformed JSON with 400', async () => {
    const { app } = testApp(env);
    for (const body of ['{', 'nope', '[1]', '"str"', 'null']) {
      const res = await app.request(post('/v1/session', { token, body }));
      expect(res.status).toBe(400);
      expect((await res.json()).error.code).toBe('bad-request');
    }
  });

  it('refuses oversized bodies with 413, with or without Content-Length', async () => {
    const { app, audit } = testApp({ ...env, BODY_LIMIT_BYTES: '1024' });
    const big = JSON.stringify({ peers: ['x'.repeat(2000)] });
    const res = await app.request(post('/v1/channels', { token, body: big }));
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe('payload-too-large');
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(big));
        controller.close();
      },
    });
    const chunked = new Request('http://api.test/v1/session', {
      method: 'POST',
      headers: { origin: ORIGIN, authorization: `Bearer ${token}` },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect((await app.request(chunked)).status).toBe(413);
    expect(audit.events.map((e) => e.reason)).toEqual(['body-too-large', 'body-too-large']);
  });

  it('answers unknown routes with a JSON 404', async () => {
    const { app } = testApp(env);
    const res = await app.request(post('/v1/nope', { token }));
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not-found', message: 'No such endpoint.' } });
    expect((await app.request('/other')).status).toBe(404);
  });
});

function unsignedToken(): string {
  const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${enc({ alg: 'none', typ: 'JWT' })}.${enc({ sub: 'patient-4711', iss: ISSUER, aud: AUDIENCE, exp: now + 60 })}.`;
}
