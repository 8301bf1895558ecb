/**
 * @module
 * Origin gate and CORS for the `/v1` routes. Only exact matches in `ALLOWED_ORIGINS` are served: a preflight from
 * any other origin, and any request with a missing or unlisted `Origin`, is refused with 403 before anything else
 * runs. Allowed origins get `Access-Control-Allow-Origin` echoing their origin (never `*`, never credentials:
 * the portal session travels as a bearer token, not a cookie).
 */
import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../errors.js';

const ALLOWED_METHODS = 'POST';
const ALLOWED_HEADERS = 'Authorization, Content-Type';

export function originGate(allowedOrigins: ReadonlySet<string>): MiddlewareHandler {
  if (allowedOrigins.size === 0) throw new Error('originGate needs at least one allowed origin');
  return async function originGateMiddleware(c, next) {
    const origin = c.req.header('origin');
    const preflight = c.req.method === 'OPTIONS';
    if (!origin)
      throw new ApiError('forbidden-origin', 'This origin may not use the token API.', 'origin-missing');
    if (!allowedOrigins.has(origin)) {
      throw new ApiError(
        'forbidden-origin',
        'This origin may not use the token API.',
        preflight ? 'preflight-origin-not-allowed' : 'origin-not-allowed',
      );
    }
    c.header('Access-Control-Allow-Origin', origin);
    c.header('Vary', 'Origin');
    if (preflight) {
      return c.body(null, 204, {
        'Access-Control-Allow-Methods': ALLOWED_METHODS,
        'Access-Control-Allow-Headers': ALLOWED_HEADERS,
        'Access-Control-Max-Age': '600',
      });
    }
    await next();
  };
}
