/**
 * @module
 * Rate-limit middleware over a `RateLimitStore`: one instance limits by client IP (before authentication, so token
 * guessing is limited too), another by chat user id (after it). Over the limit: 429 `rate-limited` with
 * `Retry-After` in seconds. When the store cannot decide, `onStoreError` says what to do: `open` lets the request
 * through, `closed` answers 503 `unavailable` with `Retry-After`.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { ApiError } from '../errors.js';
import type { RateLimitStore } from '../rate-limit.js';

export type StoreErrorPolicy = 'open' | 'closed';

export interface RateLimitOptions {
  readonly store: RateLimitStore;
  /** Key namespace, e.g. `ip` or `user`. */
  readonly scope: string;
  readonly limit: number;
  readonly windowMs: number;
  readonly key: (c: Context) => string;
  readonly now: () => number;
  /** Called when the store rejects; reports the failure (never the key) and returns the policy to apply. */
  readonly onStoreError: (err: unknown) => StoreErrorPolicy;
}

/** What a client is told to wait when the store is down and the policy is `closed`. */
const STORE_DOWN_RETRY_S = 5;

export function rateLimit(opts: RateLimitOptions): MiddlewareHandler {
  if (opts.limit < 1 || opts.windowMs < 1) throw new Error('rateLimit needs a positive limit and window');
  const rule = { limit: opts.limit, windowMs: opts.windowMs };
  return async function rateLimitMiddleware(c, next) {
    let decision;
    try {
      decision = await opts.store.hit(`${opts.scope}:${opts.key(c)}`, rule, opts.now());
    } catch (err) {
      if (opts.onStoreError(err) === 'open') return next();
      throw new ApiError('unavailable', 'Service temporarily unavailable; retry later.', 'rate-limit-store', {
        'Retry-After': String(STORE_DOWN_RETRY_S),
      });
    }
    if (!decision.allowed) {
      const retryAfter = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
      throw new ApiError('rate-limited', 'Too many requests; retry later.', `rate-limit-${opts.scope}`, {
        'Retry-After': String(retryAfter),
      });
    }
    await next();
  };
}

export interface StoreErrorReporterOptions {
  readonly store: string;
  readonly policy: StoreErrorPolicy;
  readonly now: () => number;
  readonly log: (line: string) => void;
  /** At most one line per this many milliseconds; the next line counts the failures in between. */
  readonly everyMs?: number;
}

/**
 * Builds `onStoreError`: one JSON line (`event: "rate-limit-store-error"`) with the store, the policy and the
 * error's class and code, at most once per `everyMs` during an outage. Never the key: it holds a client address or
 * a user id.
 */
export function storeErrorReporter(opts: StoreErrorReporterOptions): (err: unknown) => StoreErrorPolicy {
  const everyMs = opts.everyMs ?? 10_000;
  let nextLogAt = -Infinity;
  let suppressed = 0;
  return (err) => {
    const now = opts.now();
    if (now < nextLogAt) {
      suppressed += 1;
      return opts.policy;
    }
    nextLogAt = now + everyMs;
    opts.log(
      JSON.stringify({
        time: new Date(now).toISOString(),
        level: 'error',
        event: 'rate-limit-store-error',
        store: opts.store,
        policy: opts.policy,
        error: err instanceof Error ? err.name : typeof err,
        ...errorCode(err),
        suppressed,
      }),
    );
    suppressed = 0;
    return opts.policy;
  };
}

/** A symbolic code such as `ECONNREFUSED`, when the error carries one; never free text. */
function errorCode(err: unknown): { code?: string } {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,40}$/.test(code) ? { code } : {};
}
