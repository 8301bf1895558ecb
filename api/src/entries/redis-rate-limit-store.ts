/**
 * @module
 * The Node shared rate-limit store: GCRA (see `rate-limit.ts`) as one Lua script, so every API instance that
 * points at the same Redis shares one limit and two instances cannot race between a read and a write. The script
 * decides on Redis's own clock (`TIME`), so instances with drifting clocks still agree, and it keeps one key per
 * client with an expiry, so Redis holds only clients seen within the last window. Commands fail fast while Redis is
 * unreachable (no offline queue) or slow (a short timeout): the caller then applies `RATE_LIMIT_ON_STORE_ERROR`.
 */
import { Redis } from 'ioredis';
import { RateLimitStoreError } from '../rate-limit.js';
import type { RateLimitDecision, RateLimitRule, RateLimitStore } from '../rate-limit.js';

/** Microseconds throughout: integers, so Lua's doubles stay exact and `SET` writes plain digits. */
const GCRA_LUA = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local interval = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]))
if tat == nil or tat < now then tat = now end
local next_tat = tat + interval
local allow_at = next_tat - window
if allow_at > now then return {0, allow_at - now} end
redis.call('SET', KEYS[1], string.format('%d', next_tat), 'PX', math.ceil((next_tat - now) / 1000))
return {1, 0}
`;

/** How long one decision may take before the store counts as failing: a healthy Redis answers in about 1 ms. */
export const REDIS_COMMAND_TIMEOUT_MS = 500;

type GcraClient = Redis & {
  rateLimitGcra(key: string, intervalUs: number, windowUs: number): Promise<[number, number]>;
};

export interface RedisRateLimitStoreOptions {
  /** Prepended to every key; lets deployments share a Redis without sharing limits. */
  readonly prefix?: string;
}

export class RedisRateLimitStore implements RateLimitStore {
  readonly #client: GcraClient;
  readonly #prefix: string;

  constructor(client: Redis, opts: RedisRateLimitStoreOptions = {}) {
    client.defineCommand('rateLimitGcra', { numberOfKeys: 1, lua: GCRA_LUA });
    this.#client = client as GcraClient;
    this.#prefix = opts.prefix ?? 'secure-chat:rate:';
  }

  async hit(key: string, rule: RateLimitRule): Promise<RateLimitDecision> {
    const windowUs = rule.windowMs * 1000;
    const intervalUs = Math.max(1, Math.round(windowUs / rule.limit));
    let reply: [number, number];
    try {
      reply = await this.#client.rateLimitGcra(this.#prefix + key, intervalUs, windowUs);
    } catch (err) {
      throw new RateLimitStoreError(classify(err, this.#client.status), { cause: err });
    }
    const [allowed, retryAfterUs] = reply;
    return { allowed: allowed === 1, retryAfterMs: retryAfterUs / 1000 };
  }
}

function classify(err: unknown, status: string): RateLimitStoreError['code'] {
  const message = err instanceof Error ? err.message : '';
  if (/timed out/i.test(message)) return 'TIMEOUT';
  // Lost mid-command, or refused up front while reconnecting.
  if (status !== 'ready' || /connection is closed|writeable|ECONN/i.test(message)) return 'UNREACHABLE';
  return 'FAILED';
}

export interface OpenedRedisStore {
  readonly store: RedisRateLimitStore;
  close(): Promise<void>;
}

/**
 * Connects to `url` (waiting at most the connect timeout) and returns the store. An unreachable Redis does not stop
 * the API from starting: the client keeps reconnecting, and until then requests get `RATE_LIMIT_ON_STORE_ERROR`.
 * Connection errors are logged as JSON lines (`event: "rate-limit-store-connection"`), at most one per 10 s.
 */
export async function openRedisRateLimitStore(
  url: string,
  log: (line: string) => void,
  now: () => number = Date.now,
): Promise<OpenedRedisStore> {
  const client = createRedisClient(url);
  let nextLogAt = -Infinity;
  client.on('error', (err: unknown) => {
    if (now() < nextLogAt) return;
    nextLogAt = now() + 10_000;
    const code = (err as { code?: unknown }).code;
    log(
      JSON.stringify({
        time: new Date(now()).toISOString(),
        level: 'error',
        event: 'rate-limit-store-connection',
        store: 'redis',
        error: err instanceof Error ? err.name : typeof err,
        ...(typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,40}$/.test(code) ? { code } : {}),
      }),
    );
  });
  await client.connect().catch(() => undefined);
  return {
    store: new RedisRateLimitStore(client),
    close: async () => {
      await client.quit().catch(() => client.disconnect());
    },
  };
}

/**
 * A client for the store: no offline queue and a short command timeout (fail fast, see above), reconnecting in the
 * background with a capped back-off. `connect()` is left to the caller.
 */
export function createRedisClient(url: string): Redis {
  return new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    connectTimeout: 2_000,
    maxRetriesPerRequest: 0,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
  });
}
