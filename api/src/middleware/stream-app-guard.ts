/**
 * @module
 * Refuses `/v1` requests with 503 `unavailable` while the Stream app is not known to be safe (clients could change
 * membership, auth checks are off, or it could not be checked): issuing tokens for such an app would let a member
 * add someone the widget then encrypts to. Production turns it on (`STREAM_APP_CHECK`).
 */
import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../errors.js';
import type { StreamAppGuard } from '../stream-app/guard.js';

export function requireSafeStreamApp(guard: StreamAppGuard): MiddlewareHandler {
  return async function requireSafeStreamAppMiddleware(_c, next) {
    const verdict = await guard.verdict();
    if (verdict.status !== 'safe') {
      throw new ApiError(
        'unavailable',
        'The chat service is not configured safely; no tokens are issued. Try again later.',
        verdict.status === 'unsafe' ? 'stream-app-unsafe' : 'stream-app-unchecked',
        { 'Retry-After': '30' },
      );
    }
    await next();
  };
}
