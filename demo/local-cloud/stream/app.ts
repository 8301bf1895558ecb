/** The REST side of the stand-in: Hono app with Stream's auth, error format, CORS and request logging. */
import { Hono } from 'hono';
import type { Context } from 'hono';
import { cors } from 'hono/cors';
import { verifyToken } from './auth.js';
import { channelTypeRoutes } from './channel-types.js';
import type { Actor, Ctx, Json } from './context.js';
import { badInput, errorBody, notImplemented, StreamApiError } from './errors.js';
import { channelRoutes } from './routes-channels.js';
import { deliveryRoutes } from './routes-delivery.js';
import { messageRoutes } from './routes-messages.js';
import { miscRoutes } from './routes-misc.js';
import {
  endpointOf,
  platformOf,
  rateLimitHeaders,
  tooManyRequests,
  type RateLimitState,
} from './rate-limits.js';

export type Env = {
  Variables: { actor: Actor; body: Json; raw: Uint8Array<ArrayBuffer>; rateLimit?: RateLimitState };
};
export type C = Context<Env>;

/** Served without Stream auth: the loopback inspection dump (uploads are served by the CDN origin). */
const PUBLIC_GET = /^\/__inspect$/;

export function createApp(ctx: Ctx, apiKey: string): Hono<Env> {
  const app = new Hono<Env>();
  app.use('*', cors({ origin: '*', allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] }));

  app.use('*', async (c, next) => {
    const started = performance.now();
    const raw = new Uint8Array(
      c.req.method === 'GET' || c.req.method === 'HEAD' ? new ArrayBuffer(0) : await c.req.arrayBuffer(),
    );
    const url = new URL(c.req.url);
    ctx.store.logRequest(c.req.method, url.pathname + url.search, Buffer.from(raw).toString('utf8'));
    c.set('raw', raw);
    let body: Json = {};
    if (raw.length && (c.req.header('content-type') ?? '').includes('json')) {
      try {
        body = JSON.parse(Buffer.from(raw).toString('utf8')) as Json;
      } catch {
        throw badInput('Request', 'invalid JSON body');
      }
    }
    c.set('body', body);
    if (!(c.req.method === 'GET' && PUBLIC_GET.test(url.pathname))) {
      if (c.req.query('api_key') !== apiKey) {
        throw new StreamApiError(401, 2, `api_key not found: ${c.req.query('api_key') ?? ''}`.trim());
      }
      const caller = verifyToken(
        ctx.secret,
        c.req.header('authorization'),
        operationName(c.req.method, url.pathname),
      );
      const userId = caller.kind === 'user' ? caller.userId : serverActingUser(body, c.req.query('user_id'));
      c.set('actor', { caller, userId, connectionId: c.req.query('connection_id') });
      const endpoint = endpointOf(c.req.method, url.pathname);
      const limited = ctx.rateLimiter.take(
        endpoint,
        platformOf(caller.kind === 'server', c.req.header('x-stream-client')),
        caller.kind === 'user' ? caller.userId : null,
      );
      if (!limited.allowed) {
        c.res = c.json(errorBody(tooManyRequests(endpoint)), 429, rateLimitHeaders(limited));
        return;
      }
      c.set('rateLimit', limited);
    }
    await next();
    const limited = c.get('rateLimit');
    if (limited) for (const [k, v] of Object.entries(rateLimitHeaders(limited))) c.res.headers.set(k, v);
    if (c.res.headers.get('content-type')?.includes('json') && c.res.status < 300) {
      const json = (await c.res.clone().json()) as Json;
      c.res = c.json(
        { ...json, duration: `${(performance.now() - started).toFixed(2)}ms` },
        c.res.status as 200,
        withoutContentLength(c.res.headers),
      );
    }
  });

  channelTypeRoutes(app, ctx);
  // Before channelRoutes: `/channels/delivered` must not be taken for a channel type called "delivered".
  deliveryRoutes(app, ctx);
  channelRoutes(app, ctx);
  messageRoutes(app, ctx);
  miscRoutes(app, ctx);

  app.notFound((c) => c.json(errorBody(notImplemented(c.req.method, new URL(c.req.url).pathname)), 501));
  app.onError((err, c) => {
    const e =
      err instanceof StreamApiError ? err : new StreamApiError(500, -1, `internal error: ${err.message}`);
    return c.json(errorBody(e), e.status as 400);
  });
  return app;
}

/** Server-side calls name the acting user in the body (or `user_id` in the query). */
function serverActingUser(body: Json, queryUserId: string | undefined): string | null {
  const pick = (o: unknown, ...keys: string[]): string | undefined => {
    for (const k of keys) {
      const v = (o as Json | undefined)?.[k];
      if (typeof v === 'string' && v) return v;
      if (v && typeof v === 'object' && typeof (v as Json).id === 'string') return (v as Json).id as string;
    }
    return undefined;
  };
  return (
    pick(body, 'user_id', 'user') ??
    pick(body.message, 'user_id', 'user') ??
    pick(body.data, 'created_by_id', 'created_by') ??
    pick(body.reaction, 'user_id', 'user') ??
    pick(body.event, 'user_id', 'user') ??
    queryUserId ??
    null
  );
}

function operationName(method: string, path: string): string {
  if (path === '/channels') return 'QueryChannels';
  if (path.endsWith('/query')) return 'GetOrCreateChannel';
  if (path.endsWith('/message')) return 'SendMessage';
  if (path.startsWith('/users')) return method === 'GET' ? 'QueryUsers' : 'UpdateUsers';
  return `${method} ${path}`;
}

/** `payload=<json>` query parameter used by GET endpoints. */
export function payloadParam(c: C, op: string): Json {
  const raw = c.req.query('payload');
  if (!raw) return {};
  try {
    return JSON.parse(raw) as Json;
  } catch {
    throw badInput(op, 'payload is not valid JSON');
  }
}

/** The response's headers but its length, which changes when the body is rewritten. */
function withoutContentLength(headers: Headers): Record<string, string> {
  const kept: Record<string, string> = {};
  headers.forEach((value, key) => {
    if (key !== 'content-length') kept[key] = value;
  });
  return kept;
}
