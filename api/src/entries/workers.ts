/**
 * @module
 * Cloudflare Workers entry. Bindings (string vars and secrets) are read with the same `readConfig` once per
 * isolate, on the first request; the app is then reused. Channels go through `StreamRestDirectory` (fetch +
 * `hono/jwt` server token) because stream-chat's server signing needs Node. The client IP is `CF-Connecting-IP`.
 * A configuration error answers 500 `internal` without detail and logs the variable names only.
 */
import type { Hono } from 'hono';
import { createApp } from '../app.js';
import type { ApiEnv } from '../app-env.js';
import { ConfigError, readConfig } from '../config.js';

let app: Hono<ApiEnv> | undefined;

function appFor(env: Record<string, unknown>): Hono<ApiEnv> {
  if (!app) {
    const strings = Object.fromEntries(
      Object.entries(env).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
    );
    app = createApp({ config: readConfig(strings), clientIp: (c) => c.req.header('cf-connecting-ip') });
  }
  return app;
}

export default {
  async fetch(request: Request, env: Record<string, unknown>, ctx: unknown): Promise<Response> {
    try {
      return await appFor(env).fetch(request, env, ctx as never);
    } catch (err) {
      console.error(err instanceof ConfigError ? err.message : 'token API failed to start');
      return Response.json({ error: { code: 'internal', message: 'Internal error.' } }, { status: 500 });
    }
  },
};
