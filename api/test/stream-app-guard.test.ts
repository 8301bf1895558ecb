import { describe, expect, it } from 'vitest';
import { createStreamAppGuard } from '../src/stream-app/guard.js';
import { checkStreamApp, setupStreamApp } from '../src/stream-app/setup.js';
import { FakeStreamApp } from './fake-stream-app.js';
import { portalToken, post, productionSecrets, testApp, testSecrets } from './helpers.js';

const production = () => productionSecrets().env;
const okFetch: typeof fetch = async () => new Response('{"cards":[]}', { status: 200 });

describe('the token API refuses an unsafe Stream app in production', () => {
  it('answers 503 with one clear log line while members could change membership, and issues tokens once fixed', async () => {
    const env = production();
    const streamApp = new FakeStreamApp();
    const log: string[] = [];
    let now = 1_000_000;
    const { app, audit } = testApp(env, { streamApp, log: (line) => log.push(line), now: () => now });
    const token = await portalToken(env.PORTAL_JWT_SECRET!);

    for (const route of ['/v1/session', '/v1/stream-credentials', '/v1/virgil-credentials']) {
      const res = await app.request(post(route, { token }));
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('30');
      const body = await res.json();
      expect(body).toEqual({ error: { code: 'unavailable', message: expect.any(String) } });
    }
    expect(audit.events.map((e) => e.reason)).toEqual(Array(3).fill('stream-app-unsafe'));
    // One line, naming the critical problems by id, for three refused requests.
    expect(log).toHaveLength(1);
    expect(log[0]).toMatch(
      /^\[token-api\] refusing to issue tokens: the Stream app is not configured safely \(/,
    );
    expect(log[0]).toContain('grants.user.create-channel');
    expect(log[0]).not.toContain(env.STREAM_API_SECRET!);

    await setupStreamApp(streamApp, () => {});
    now += 30_000; // the refusal is kept for 30 s, then checked again
    expect((await app.request(post('/v1/session', { token }))).status).toBe(200);
    expect(log.at(-1)).toBe('[token-api] Stream app configuration checked: safe');
  });

  it('refuses while the app cannot be read, without caching the failure for long', async () => {
    const env = production();
    const streamApp = new FakeStreamApp();
    await setupStreamApp(streamApp, () => {});
    streamApp.failing = true;
    const log: string[] = [];
    let now = 0;
    const { app, audit } = testApp(env, { streamApp, log: (line) => log.push(line), now: () => now });
    const token = await portalToken(env.PORTAL_JWT_SECRET!);
    expect((await app.request(post('/v1/virgil-credentials', { token }))).status).toBe(503);
    expect(audit.events.at(-1)?.reason).toBe('stream-app-unchecked');
    expect(log).toEqual([
      '[token-api] refusing to issue tokens: could not check the Stream app configuration (Stream GET /app answered HTTP 503)',
    ]);
    streamApp.failing = false;
    now += 30_000;
    expect((await app.request(post('/v1/virgil-credentials', { token }))).status).toBe(200);
  });

  it('does not check outside production unless STREAM_APP_CHECK=enforce', async () => {
    const streamApp = new FakeStreamApp();
    const env = testSecrets().env;
    const token = await portalToken(env.PORTAL_JWT_SECRET!);
    const { app } = testApp(env, { streamApp, log: () => {} });
    expect((await app.request(post('/v1/session', { token }))).status).toBe(200);
    expect(streamApp.calls).toEqual([]);
    const enforced = testApp({ ...env, STREAM_APP_CHECK: 'enforce' }, { streamApp, log: () => {} });
    expect((await enforced.app.request(post('/v1/session', { token }))).status).toBe(503);
  });

  it('logs why a check failed without the error text: Stream code and status, or the network error code', async () => {
    const log: string[] = [];
    const failures = [
      Object.assign(new Error('StreamChat error code 5: GetApp failed with error: "token u1 secret-ish"'), {
        code: 5,
        status: 401,
      }),
      Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), { code: 'ECONNREFUSED' }),
      new TypeError('fetch failed for https://chat.example/?api_key=k'),
    ];
    for (const failure of failures) {
      const guard = createStreamAppGuard({
        check: () => Promise.reject(failure),
        now: () => 0,
        log: (l) => log.push(l),
      });
      expect(await guard.verdict()).toEqual({
        status: 'unchecked',
        problems: [],
        reason: expect.any(String),
      });
    }
    expect(log.map((line) => line.replace(/^.*configuration /, ''))).toEqual([
      '(Stream error code 5, HTTP 401)',
      '(Error ECONNREFUSED)',
      '(TypeError)',
    ]);
  });

  it('shares one check among concurrent requests and keeps a safe verdict', async () => {
    const streamApp = new FakeStreamApp();
    await setupStreamApp(streamApp, () => {});
    streamApp.calls.length = 0;
    let now = 0;
    const guard = createStreamAppGuard({
      check: () => checkStreamApp(streamApp),
      now: () => now,
      log: () => {},
    });
    const verdicts = await Promise.all([guard.verdict(), guard.verdict(), guard.verdict()]);
    expect(verdicts.map((v) => v.status)).toEqual(['safe', 'safe', 'safe']);
    expect(streamApp.calls.filter((c) => c === 'GET /app')).toHaveLength(1);
    now += 9 * 60_000;
    await guard.verdict();
    expect(streamApp.calls.filter((c) => c === 'GET /app')).toHaveLength(1);
    now += 2 * 60_000;
    await guard.verdict();
    expect(streamApp.calls.filter((c) => c === 'GET /app')).toHaveLength(2);
  });
});

describe('GET /healthz?deep=1', () => {
  it('reports the Stream app check and the reachability of Stream and Virgil', async () => {
    const streamApp = new FakeStreamApp();
    const virgilCalls: string[] = [];
    const fetchVirgil: typeof fetch = async (input, init) => {
      virgilCalls.push(
        `${init?.method} ${String(input)} ${new Headers(init?.headers).get('authorization')?.split(' ')[0]}`,
      );
      return new Response('{"cards":[]}', { status: 200 });
    };
    const env = testSecrets().env;
    const { app } = testApp(env, { streamApp, fetch: fetchVirgil, log: () => {} });

    const unsafe = await app.request('/healthz?deep=1');
    expect(unsafe.status).toBe(503);
    const report = await unsafe.json();
    expect(report).toMatchObject({
      status: 'unavailable',
      streamApp: { status: 'unsafe', problems: expect.arrayContaining(['grants.user.create-channel']) },
      stream: { reachable: true },
      virgil: { reachable: true },
    });
    expect(virgilCalls).toEqual([`POST ${env.VIRGIL_API_URL}/card/v5/actions/search Virgil`]);
    expect(JSON.stringify(report)).not.toContain(env.STREAM_API_SECRET!);

    // The plain probe never calls out.
    const calls = streamApp.calls.length;
    expect(await (await app.request('/healthz')).json()).toEqual({ status: 'ok' });
    expect(streamApp.calls.length).toBe(calls);
  });

  it('answers 200 when everything holds, names a failing vendor, and keeps a report for a few seconds', async () => {
    const streamApp = new FakeStreamApp();
    await setupStreamApp(streamApp, () => {});
    let now = 0;
    let virgilStatus = 200;
    const { app } = testApp(testSecrets().env, {
      streamApp,
      now: () => now,
      fetch: async () => new Response('', { status: virgilStatus }),
      log: () => {},
    });
    const ok = await app.request('/healthz?deep=1');
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ status: 'ok', streamApp: { status: 'safe', problems: [] } });

    virgilStatus = 401;
    expect((await app.request('/healthz?deep=1')).status).toBe(200); // kept
    now += 10_000;
    const down = await app.request('/healthz?deep=1');
    expect(down.status).toBe(503);
    expect((await down.json()).virgil).toEqual({
      reachable: false,
      ms: 0,
      error: 'Virgil POST /card/v5/actions/search answered HTTP 401',
    });
  });

  it('is rate-limited per IP, as it calls the vendors', async () => {
    const { app } = testApp(
      {
        ...testSecrets().env,
        RATE_LIMIT_PER_IP: '2',
        TRUSTED_PROXY_HOPS: '1',
        RATE_LIMIT_IP_HEADER: 'x-real-ip',
      },
      { streamApp: new FakeStreamApp(), fetch: okFetch, log: () => {} },
    );
    const deep = () => app.request('/healthz?deep=1', { headers: { 'x-real-ip': '10.0.0.7' } });
    await deep();
    await deep();
    expect((await deep()).status).toBe(429);
    expect((await app.request('/healthz', { headers: { 'x-real-ip': '10.0.0.7' } })).status).toBe(200);
  });
});
