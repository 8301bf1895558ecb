/**
 * @module
 * Cloudflare Workers entry. Bindings (string vars and secrets) are read with the same `readConfig` once per
 * isolate, on the first request; the app is then reused. Channels go through `StreamRestDirectory` (fetch +
 * a `{ server: true }` HS256 token signed with WebCrypto) because stream-chat's server signing needs Node. The
 * connection's client IP is `CF-Connecting-IP`, set by Cloudflare (what the per-IP limit keys on by default). With
 * `NODE_ENV=production` the Stream app is checked on the first `/v1` request and the verdict is kept by the
 * isolate's app. With `RATE_LIMIT_STORE=durable-object` the limits are counted in the `RATE_LIMITS` Durable Object
 * namespace, shared by every isolate (the class is exported here; see `api/wrangler.toml`). A configuration error
 * answers 500 `internal` without detail and logs the variable names only.
 */
import type { ExecutionContext, Hono } from 'hono';
import { createApp } from '../app.js';
import type { ApiBindings, ApiEnv } from '../app-env.js';
import { ConfigError, readConfig } from '../config.js';
import type { RateLimitStore } from '../rate-limit.js';
import { DurableObjectRateLimitStore, isDurableObjectNamespace } from './durable-object-rate-limit.js';

export { RateLimitDurableObject } from './durable-object-rate-limit.js';

/** The Durable Object namespace binding of the shared rate-limit store (`name` in wrangler.toml). */
const RATE_LIMIT_BINDING = 'RATE_LIMITS';

let app: Hono<ApiEnv> | undefined;

function appFor(env: ApiBindings): Hono<ApiEnv> {
  if (!app) {
    const strings = Object.fromEntries(
      Object.entries(env).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
    );
    const config = readConfig(strings, { runtime: 'workers' });
    let rateLimitStore: RateLimitStore | undefined;
    if (config.rateLimit.store === 'durable-object') {
      const namespace = env[RATE_LIMIT_BINDING];
      if (!isDurableObjectNamespace(namespace))
        throw new ConfigError([
          `RATE_LIMIT_STORE=durable-object needs the ${RATE_LIMIT_BINDING} Durable Object binding (api/wrangler.toml)`,
        ]);
      rateLimitStore = new DurableObjectRateLimitStore(namespace);
    }
    app = createApp({
      config,
      clientIp: (c) => c.req.header('cf-connecting-ip'),
      ...(rateLimitStore ? { rateLimitStore } : {}),
    });
  }
  return app;
}

export default {
  async fetch(request: Request, env: ApiBindings, ctx: ExecutionContext): Promise<Response> {
    try {
      return await appFor(env).fetch(request, env, ctx);
    } catch (err) {
      console.error(err instanceof ConfigError ? err.message : 'token API failed to start');
      return Response.json({ error: { code: 'internal', message: 'Internal error.' } }, { status: 500 });
    }
  },
};
