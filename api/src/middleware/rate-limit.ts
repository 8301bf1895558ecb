/**
 * @module
 * Rate-limit middleware over a `RateLimitStore`: one instance limits by client IP (before authentication, so token
 * guessing is limited too), another by chat user id (after it). Over the limit: 429 `rate-limited` with
 * `Retry-After` in seconds.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { ApiError } from '../errors.js';
import type { RateLimitStore } from '../rate-limit.js';

export interface RateLimitOptions {
  readonly store: RateLimitStore;
  /** Key namespace, e.g. `ip` or `user`. */
  readonly scope: string;
  readonly limit: number;
  readonly windowMs: number;
  readonly key: (c: Context) => string;
  readonly now: () => number;
}

export function rateLimit(opts: RateLimitOptions): MiddlewareHandler {
  if (opts.limit < 1 || opts.windowMs < 1) throw new Error('rateLimit needs a positive limit and window');
  return async function rateLimitMiddleware(c, next) {
    const now = opts.now();
    const hit = await opts.store.hit(`${opts.scope}:${opts.key(c)}`, opts.windowMs, now);
    if (hit.count > opts.limit) {
      const retryAfter = Math.max(1, Math.ceil((hit.resetAt - now) / 1000));
      throw new ApiError('rate-limited', 'Too many requests; retry later.', `rate-limit-${opts.scope}`, {
        'Retry-After': String(retryAfter),
      });
    }
    await next();
  };
}
