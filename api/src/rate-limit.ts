/**
 * @module
 * Rate limiting with GCRA (the generic cell rate algorithm) behind a small store interface. A rule of `limit`
 * requests per `windowMs` lets a client send `limit` requests at once, then one more every `windowMs / limit`;
 * after a quiet `windowMs` the whole burst is back. Each key keeps one number, its theoretical arrival time (TAT),
 * so every store can decide atomically in one step: `MemoryRateLimitStore` (one process or isolate), the Redis store
 * (`entries/redis-rate-limit-store.ts`, a Lua script) and the Durable Object store
 * (`entries/durable-object-rate-limit.ts`) all run this same arithmetic, so they differ only in who shares it.
 */

export interface RateLimitRule {
  readonly limit: number;
  readonly windowMs: number;
}

export interface RateLimitDecision {
  readonly allowed: boolean;
  /** When refused: how long until one more request would be allowed, in milliseconds (0 when allowed). */
  readonly retryAfterMs: number;
}

export interface RateLimitStore {
  /**
   * Counts one request for `key` under `rule` and decides it, atomically. Shared stores may decide on their own
   * clock instead of `nowMs`, so instances whose clocks drift still agree. Rejects when the store cannot decide
   * (unreachable, timed out): the caller applies `RATE_LIMIT_ON_STORE_ERROR`.
   */
  hit(key: string, rule: RateLimitRule, nowMs: number): Promise<RateLimitDecision>;
}

export type RateLimitStoreKind = 'memory' | 'redis' | 'durable-object';

/** One GCRA step: the decision, and the TAT to keep (unchanged when refused). */
export function gcra(
  tat: number | undefined,
  rule: RateLimitRule,
  nowMs: number,
): RateLimitDecision & { readonly tat: number } {
  const interval = rule.windowMs / rule.limit;
  const next = Math.max(tat ?? nowMs, nowMs) + interval;
  // Allowed while the new TAT stays within one window of now: that is the burst of `limit`.
  const allowAt = next - rule.windowMs;
  if (allowAt > nowMs) return { allowed: false, retryAfterMs: allowAt - nowMs, tat: tat ?? nowMs };
  return { allowed: true, retryAfterMs: 0, tat: next };
}

/** GCRA in memory. Bounded: keys whose TAT has passed are swept, and past `maxKeys` the oldest keys are dropped. */
export class MemoryRateLimitStore implements RateLimitStore {
  readonly #tats = new Map<string, number>();
  #nextSweep = 0;

  constructor(private readonly maxKeys = 100_000) {}

  async hit(key: string, rule: RateLimitRule, nowMs: number): Promise<RateLimitDecision> {
    if (nowMs >= this.#nextSweep || this.#tats.size >= this.maxKeys) this.#sweep(nowMs, rule.windowMs);
    const { tat, ...decision } = gcra(this.#tats.get(key), rule, nowMs);
    // Re-inserted so the Map's insertion order stays "least recently counted first" for the sweep below.
    this.#tats.delete(key);
    this.#tats.set(key, tat);
    return decision;
  }

  #sweep(nowMs: number, windowMs: number): void {
    this.#nextSweep = nowMs + windowMs;
    for (const [key, tat] of this.#tats) if (tat <= nowMs) this.#tats.delete(key);
    // Still full: drop the least recently counted keys rather than grow without bound.
    for (const key of this.#tats.keys()) {
      if (this.#tats.size < this.maxKeys) break;
      this.#tats.delete(key);
    }
  }
}

/** A shared store that could not decide. `code` is symbolic, for logs: never a key, never a server's free text. */
export class RateLimitStoreError extends Error {
  override readonly name = 'RateLimitStoreError';
  constructor(
    readonly code: 'UNREACHABLE' | 'TIMEOUT' | 'FAILED',
    options?: { cause?: unknown },
  ) {
    super(`rate-limit store ${code.toLowerCase()}`, options);
  }
}
