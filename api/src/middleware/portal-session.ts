/**
 * @module
 * Authenticates a `/v1` request with the portal's session token (`Authorization: Bearer <JWT>`) and sets the
 * request's `session` and its opaque chat `userId`. A missing or invalid token ends the request with 401 here.
 */
import type { MiddlewareHandler } from 'hono';
import type { ApiEnv } from '../app-env.js';
import type { PortalSessionVerifier } from '../auth/portal-session.js';

export function requirePortalSession(
  verify: PortalSessionVerifier,
  chatId: (sub: string) => Promise<string>,
): MiddlewareHandler<ApiEnv> {
  return async function requirePortalSessionMiddleware(c, next) {
    const session = await verify(c.req.header('authorization'));
    c.set('session', session);
    c.set('userId', await chatId(session.sub));
    await next();
  };
}
