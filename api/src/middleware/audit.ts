/**
 * @module
 * Writes one audit event per `/v1` request once the response is known: `issued` for a 2xx, `refused` for a 4xx,
 * `failed` for a 5xx. Successful CORS preflights issue nothing and are not logged; refused ones are. The reason
 * comes from the thrown `ApiError` or from the handler (`auditReason`).
 */
import type { MiddlewareHandler } from 'hono';
import type { AuditSink } from '../audit.js';
import { ApiError } from '../errors.js';

export function auditLog(
  sink: AuditSink,
  now: () => number,
): MiddlewareHandler<{ Variables: { userId?: string; auditReason?: string } }> {
  return async function auditMiddleware(c, next) {
    await next();
    const status = c.res.status;
    if (c.req.method === 'OPTIONS' && status === 204) return;
    const userId = c.get('userId');
    const reason =
      c.error instanceof ApiError ? c.error.reason : c.error ? 'internal' : (c.get('auditReason') ?? 'ok');
    sink({
      time: new Date(now()).toISOString(),
      ...(userId !== undefined ? { userId } : {}),
      origin: c.req.header('origin')?.slice(0, 200) ?? null,
      route: `${c.req.method.slice(0, 10)} ${c.req.path.slice(0, 100)}`,
      outcome: status < 400 ? 'issued' : status >= 500 ? 'failed' : 'refused',
      reason,
    });
  };
}
