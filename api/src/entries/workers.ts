/**
 * @module
 * Cloudflare Workers entry. Bindings (string vars and secrets) are read with the same `readConfig` once per
 * isolate, on the first request; the app is then reused. Channels go through `StreamRestDirectory` (fetch +
 * a `{ server: true }` HS256 token signed with WebCrypto) because stream-chat's server signing needs Node. The
 * connection's client IP is `CF-Connecting-IP`, set by Cloudflare (what the per-IP limit keys on by default). With
 * `NODE_ENV=production` the Stream app is checked on the first `/v1` request and the verdict is kept by the
 * isolate's app. A configuration error answers 500 `internal` without detail and logs
 * the variable names only.
 */
import type { ExecutionContext, Hono } from 'hono';
import { createApp } from '../app.js';
import type { ApiBindings, ApiEnv } from '../app-env.js';
import { ConfigError, readConfig } from '../config.js';

let app: Hono<ApiEnv> | undefined;

function appFor(env: ApiBindings): Hono<ApiEnv> {
  if (!app) {
    const strings = Object.fromEntries(
      Object.entries(env).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
    );
    app = createApp({ config: readConfig(strings), clientIp: (c) => c.req.header('cf-connecting-ip') });
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
