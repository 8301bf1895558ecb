/**
 * @module
 * Fixed-window rate limiting behind a tiny store interface. The default `MemoryRateLimitStore` counts per process
 * (or per Workers isolate); when the API runs on many instances, implement `RateLimitStore` on a shared store
 * (Redis `INCR` + `PEXPIRE`, a Durable Object, or Workers KV for coarse limits) and pass it to `createApp`.
 */

export interface RateLimitHit {
  /** Hits counted for the key in the current window, this one included. */
  readonly count: number;
  /** When the current window ends, in epoch milliseconds. */
  readonly resetAt: number;
}

export interface RateLimitStore {
  /** Counts one hit for `key` in its current fixed window of `windowMs` and reports the running total. */
  hit(key: string, windowMs: number, nowMs: number): Promise<RateLimitHit>;
}

/** In-memory fixed windows. Bounded: expired windows are swept, and past `maxKeys` the oldest keys are dropped. */
export class MemoryRateLimitStore implements RateLimitStore {
  readonly #windows = new Map<string, { count: number; resetAt: number }>();
  #nextSweep = 0;

  constructor(private readonly maxKeys = 100_000) {}

  async hit(key: string, windowMs: number, nowMs: number): Promise<RateLimitHit> {
    if (nowMs >= this.#nextSweep || this.#windows.size >= this.maxKeys) this.#sweep(nowMs, windowMs);
    let window = this.#windows.get(key);
    if (!window || window.resetAt <= nowMs) {
      window = { count: 0, resetAt: nowMs + windowMs };
      this.#windows.set(key, window);
    }
    window.count += 1;
    return { count: window.count, resetAt: window.resetAt };
  }

  #sweep(nowMs: number, windowMs: number): void {
    this.#nextSweep = nowMs + windowMs;
    for (const [key, window] of this.#windows) if (window.resetAt <= nowMs) this.#windows.delete(key);
    // Still full: drop the oldest insertions (Map keeps insertion order) rather than grow without bound.
    for (const key of this.#windows.keys()) {
      if (this.#windows.size < this.maxKeys) break;
      this.#windows.delete(key);
    }
  }
}
