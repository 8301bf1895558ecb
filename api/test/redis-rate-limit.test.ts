/**
 * The Redis rate-limit store against a real redis-server that the test starts (see redis-server.ts): instances
 * sharing one Redis share one limit, the Lua script is GCRA on Redis's clock, and an outage degrades as
 * `RATE_LIMIT_ON_STORE_ERROR` says, with a JSON log line that names no client.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectingAuditSink } from '../src/audit.js';
import { startNodeApi } from '../src/entries/node.js';
import type { RunningApi } from '../src/entries/node.js';
import { openRedisRateLimitStore } from '../src/entries/redis-rate-limit-store.js';
import type { OpenedRedisStore } from '../src/entries/redis-rate-limit-store.js';
import { ORIGIN, portalToken, post, testApp, testSecrets } from './helpers.js';
import { redisMissing, startRedis } from './redis-server.js';
import type { TestRedis } from './redis-server.js';

let redis: TestRedis;
const opened: OpenedRedisStore[] = [];
const open = async (log: (line: string) => void = () => {}) => {
  const store = await openRedisRateLimitStore(redis.url, log);
  opened.push(store);
  return store;
};

describe.skipIf(redisMissing)(
  `Redis rate-limit store${redisMissing ? ` (skipped: ${redisMissing})` : ''}`,
  () => {
    beforeAll(async () => {
      redis = await startRedis();
    });
    afterAll(async () => {
      await Promise.all(opened.map((store) => store.close()));
      await redis?.stop();
    });

    it('two Node API servers on one Redis enforce one per-IP limit (two with memory stores do not)', async () => {
      const env = (store: Record<string, string>) =>
        testSecrets({ RATE_LIMIT_PER_IP: '3', AUDIT_LOG: 'off', ...store }).env;
      const hitAlternately = async (servers: RunningApi[]) => {
        const statuses: number[] = [];
        for (let i = 0; i < 4; i++) {
          const res = await fetch(`${servers[i % 2]!.url}/v1/session`, {
            method: 'POST',
            headers: { origin: ORIGIN },
          });
          statuses.push(res.status);
        }
        return statuses;
      };
      const shared = env({ RATE_LIMIT_STORE: 'redis', REDIS_URL: redis.url });
      const redisPair = [await startNodeApi(shared), await startNodeApi(shared)];
      const memoryPair = [await startNodeApi(env({})), await startNodeApi(env({}))];
      try {
        // Unauthenticated, so 401 — until the shared per-IP limit of 3 is spent.
        expect(await hitAlternately(redisPair)).toEqual([401, 401, 401, 429]);
        expect(await hitAlternately(memoryPair)).toEqual([401, 401, 401, 401]);
      } finally {
        await Promise.all([...redisPair, ...memoryPair].map((api) => api.close()));
      }
    });

    it('two Hono apps with their own Redis clients share one per-user limit', async () => {
      const { env } = testSecrets({ RATE_LIMIT_PER_USER: '2', RATE_LIMIT_WINDOW_S: '60' });
      const a = testApp(env, { rateLimitStore: (await open()).store });
      const b = testApp(env, { rateLimitStore: (await open()).store });
      const token = await portalToken(env.PORTAL_JWT_SECRET!, { sub: `user-${Date.now()}` });
      expect((await a.app.request(post('/v1/stream-credentials', { token }))).status).toBe(200);
      expect((await b.app.request(post('/v1/stream-credentials', { token }))).status).toBe(200);
      const limited = await a.app.request(post('/v1/stream-credentials', { token }));
      expect(limited.status).toBe(429);
      // 2 per 60 s: the next one fits 30 s after the first (less the time these requests took, on Redis's clock).
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(25);
      expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(30);
      expect(a.audit.events.at(-1)).toMatchObject({ outcome: 'refused', reason: 'rate-limit-user' });
    });

    it('counts with GCRA on the Redis clock: a burst of `limit`, then one every window / limit', async () => {
      const { store } = await open();
      const rule = { limit: 2, windowMs: 2_000 };
      const key = `gcra-${Date.now()}`;
      expect((await store.hit(key, rule)).allowed).toBe(true);
      expect((await store.hit(key, rule)).allowed).toBe(true);
      const refused = await store.hit(key, rule);
      expect(refused.allowed).toBe(false);
      // One more fits 1 s after the first hit (less the time taken since).
      expect(refused.retryAfterMs).toBeGreaterThan(0);
      expect(refused.retryAfterMs).toBeLessThanOrEqual(1_000);
      await new Promise((resolve) => setTimeout(resolve, refused.retryAfterMs + 30));
      expect(await store.hit(key, rule)).toEqual({ allowed: true, retryAfterMs: 0 });
      expect((await store.hit(key, rule)).allowed).toBe(false);
    });

    describe('when Redis goes away', () => {
      const outage = async (policy: 'closed' | 'open') => {
        const lines: string[] = [];
        const { env } = testSecrets({
          RATE_LIMIT_STORE: 'redis',
          REDIS_URL: redis.url,
          RATE_LIMIT_ON_STORE_ERROR: policy,
        });
        const audit = collectingAuditSink();
        const { store } = await open((line) => lines.push(line));
        const { app } = testApp(env, { rateLimitStore: store, audit, log: (line) => lines.push(line) });
        const sub = `patient-${policy}-${Date.now()}`;
        const token = await portalToken(env.PORTAL_JWT_SECRET!, { sub });
        const ask = () =>
          app.request(post('/v1/stream-credentials', { token, headers: { 'x-real-ip': '203.0.113.7' } }));
        expect((await ask()).status).toBe(200);
        await redis.kill();
        return { lines, audit, ask, sub };
      };
      afterAll(() => redis.restart().catch(() => undefined));

      it('closed (the default): answers 503 with Retry-After, logs one JSON line without the client, recovers', async () => {
        const { lines, audit, ask, sub } = await outage('closed');
        await expect.poll(async () => (await ask()).status, { timeout: 5_000 }).toBe(503);
        const refused = await ask();
        expect(refused.status).toBe(503);
        expect(refused.headers.get('retry-after')).toBe('5');
        expect(await refused.json()).toEqual({ error: { code: 'unavailable', message: expect.any(String) } });
        expect(audit.events.at(-1)).toMatchObject({ outcome: 'failed', reason: 'rate-limit-store' });
        const errors = lines
          .map((line) => JSON.parse(line))
          .filter((e) => e.event === 'rate-limit-store-error');
        // Throttled: one line for the whole burst of failures.
        expect(errors).toHaveLength(1);
        expect(errors[0]).toMatchObject({
          level: 'error',
          store: 'redis',
          policy: 'closed',
          error: 'RateLimitStoreError',
          code: 'UNREACHABLE',
        });
        expect(lines.join('\n')).not.toMatch(/203\.0\.113\.7|patient-|u[0-9a-f]{32}/);
        expect(lines.join('\n')).not.toContain(sub);

        await redis.restart();
        await expect.poll(async () => (await ask()).status, { timeout: 10_000, interval: 100 }).toBe(200);
      });

      it('open: lets requests through while Redis is down, and logs that it does', async () => {
        const { lines, ask } = await outage('open');
        // Every request during the outage passes; the first failure shows in the log.
        await expect
          .poll(async () => ((await ask()).status === 200 ? lines.join('\n') : ''), { timeout: 5_000 })
          .toContain('"event":"rate-limit-store-error"');
        expect((await ask()).status).toBe(200);
        const error = JSON.parse(lines.find((line) => line.includes('rate-limit-store-error'))!);
        expect(error).toMatchObject({ store: 'redis', policy: 'open', code: 'UNREACHABLE' });
        await redis.restart();
      });
    });
  },
);
