/**
 * The Durable Object rate-limit store in workerd (miniflare), configured by api/wrangler.toml: two Workers — two
 * isolates, each with its own app — share one limit through the RATE_LIMITS namespace, and a Durable Object that
 * throws degrades as RATE_LIMIT_ON_STORE_ERROR says, with a JSON log line that names no client.
 */
import { Miniflare } from 'miniflare';
import type { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { ORIGIN, testSecrets } from './helpers.js';
import { bundleWorker, readWranglerConfig, workerOptions } from './wrangler.js';
import type { DurableObjectOptions, WranglerConfig } from './wrangler.js';

let config: WranglerConfig;
let script: string;
beforeAll(async () => {
  config = readWranglerConfig();
  script = await bundleWorker(config);
}, 60_000);

/**
 * The deployed vars plus test secrets. NODE_ENV is the one var overridden: production refuses the loopback http:
 * URLs the tests point Stream and Virgil at (nothing here reaches them: these requests stop at the rate limit or
 * at authentication).
 */
function bindings(extra: Record<string, string> = {}): Record<string, string> {
  return testSecrets({ NODE_ENV: 'development', AUDIT_LOG: 'off', ...extra }).env;
}

const CLIENT = '203.0.113.5';
/** An unauthenticated token request from CLIENT to the Worker that serves `host` (miniflare routes by host). */
const ask = (mf: Miniflare, host = 'api.test') =>
  mf
    .dispatchFetch(`http://${host}/v1/session`, {
      method: 'POST',
      headers: { origin: ORIGIN, 'cf-connecting-ip': CLIENT },
    })
    .then(async (res) => ({
      status: res.status,
      retryAfter: res.headers.get('retry-after'),
      body: await res.text(),
    }));

describe('api/wrangler.toml', () => {
  it('deploys the Durable Object store: binding, migrated SQLite class, vars', () => {
    expect(config.vars).toMatchObject({
      RATE_LIMIT_STORE: 'durable-object',
      RATE_LIMIT_ON_STORE_ERROR: 'closed',
    });
    expect(config.durable_objects?.bindings).toEqual([
      { name: 'RATE_LIMITS', class_name: 'RateLimitDurableObject' },
    ]);
    expect(config.migrations?.flatMap((m) => m.new_sqlite_classes ?? [])).toContain('RateLimitDurableObject');
    expect(script).toMatch(/export\s*\{[^}]*RateLimitDurableObject/);
  });
});

describe('Durable Object rate-limit store (workerd via miniflare)', () => {
  it('two Worker isolates on one namespace enforce one per-IP limit (with memory stores they do not)', async () => {
    const pair = (store: Record<string, string>) => {
      const env = bindings({ RATE_LIMIT_PER_IP: '3', ...store });
      const a = { ...workerOptions(config, script, env), name: 'api-a', routes: ['api-a.test/*'] };
      const b = { ...workerOptions(config, script, env), name: 'api-b', routes: ['api-b.test/*'] };
      // The second Worker reaches the first one's class, as every isolate of a deployment reaches the same objects.
      const shared: Record<string, DurableObjectOptions> = {};
      for (const [binding, options] of Object.entries(a.durableObjects))
        shared[binding] = { ...(options as DurableObjectOptions), scriptName: 'api-a' };
      return new Miniflare({ workers: [a, { ...b, durableObjects: shared }] });
    };
    const statuses = async (mf: Miniflare) => {
      const seen: { status: number; retryAfter: string | null }[] = [];
      for (let i = 0; i < 4; i++) {
        const { status, retryAfter } = await ask(mf, i % 2 ? 'api-b.test' : 'api-a.test');
        seen.push({ status, retryAfter });
      }
      return seen;
    };
    const durable = pair({});
    const memory = pair({ RATE_LIMIT_STORE: 'memory', RATE_LIMIT_ON_STORE_ERROR: '' });
    try {
      // Unauthenticated, so 401 — until the shared limit of 3 per 60 s is spent; the next fits 20 s after the first.
      const seen = await statuses(durable);
      expect(seen.map(({ status }) => status)).toEqual([401, 401, 401, 429]);
      expect(Number(seen[3]!.retryAfter)).toBeGreaterThanOrEqual(15);
      expect(Number(seen[3]!.retryAfter)).toBeLessThanOrEqual(20);
      expect((await statuses(memory)).map((seen) => seen.status)).toEqual([401, 401, 401, 401]);
    } finally {
      await Promise.all([durable.dispose(), memory.dispose()]);
    }
  });

  describe('when the Durable Object throws', () => {
    /** A class of the same name whose every call throws, bound in place of the real one. */
    const brokenStore = {
      name: 'broken-store',
      modules: true,
      script: `export class RateLimitDurableObject { async fetch() { throw new Error('storage unavailable'); } }
               export default { fetch: () => new Response('') };`,
      compatibilityDate: '2025-09-01',
    };
    const withBrokenStore = (policy: 'closed' | 'open') => {
      let stderr = '';
      const api = workerOptions(config, script, bindings({ RATE_LIMIT_ON_STORE_ERROR: policy }));
      const durableObjects = {
        RATE_LIMITS: { className: 'RateLimitDurableObject', scriptName: 'broken-store' },
      };
      const mf = new Miniflare({
        workers: [{ ...api, durableObjects }, brokenStore],
        handleRuntimeStdio: (_out: Readable, err: Readable) =>
          err.on('data', (chunk) => (stderr += String(chunk))),
      });
      return { mf, stderr: () => stderr };
    };
    const storeErrors = (stderr: string) =>
      stderr
        .split('\n')
        .filter((line) => line.includes('"event":"rate-limit-store-error"'))
        .map((line) => JSON.parse(line.slice(line.indexOf('{'))) as Record<string, unknown>);

    it('closed (as deployed): 503 with Retry-After, one JSON line without the client', async () => {
      const { mf, stderr } = withBrokenStore('closed');
      try {
        const first = await ask(mf);
        expect(first.status).toBe(503);
        expect(first.retryAfter).toBe('5');
        expect(JSON.parse(first.body)).toEqual({
          error: { code: 'unavailable', message: expect.any(String) },
        });
        expect((await ask(mf)).status).toBe(503);
        await expect.poll(() => storeErrors(stderr()).length).toBe(1);
        expect(storeErrors(stderr())[0]).toMatchObject({
          level: 'error',
          event: 'rate-limit-store-error',
          store: 'durable-object',
          policy: 'closed',
          error: 'RateLimitStoreError',
          code: 'FAILED',
        });
        expect(stderr()).not.toContain(CLIENT);
      } finally {
        await mf.dispose();
      }
    });

    it('open: the request goes on to authentication, and the failure is logged', async () => {
      const { mf, stderr } = withBrokenStore('open');
      try {
        expect((await ask(mf)).status).toBe(401);
        await expect
          .poll(() => storeErrors(stderr())[0])
          .toMatchObject({ store: 'durable-object', policy: 'open' });
      } finally {
        await mf.dispose();
      }
    });
  });

  it('refuses to start without the RATE_LIMITS binding: 500 without detail, the binding named on stderr', async () => {
    let stderr = '';
    const mf = new Miniflare({
      ...workerOptions(config, script, bindings()),
      durableObjects: {},
      handleRuntimeStdio: (_out: Readable, err: Readable) =>
        err.on('data', (chunk) => (stderr += String(chunk))),
    });
    try {
      const res = await mf.dispatchFetch('http://api.test/healthz');
      expect(res.status).toBe(500);
      expect(await res.json()).toEqual({ error: { code: 'internal', message: 'Internal error.' } });
      await expect.poll(() => stderr).toContain('RATE_LIMIT_STORE=durable-object needs the RATE_LIMITS');
    } finally {
      await mf.dispose();
    }
  });
});
