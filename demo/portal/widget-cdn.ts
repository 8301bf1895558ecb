/**
 * The demo's widget CDN: the built widget on its own origin (`WIDGET_PORT`, default 8081), as a customer's CDN
 * serves it. CORS for the module scripts and WASM the portal page loads cross-origin; `frame.html` (frame isolation,
 * docs/isolation.md) with the headers recommended there: `frame-ancestors` names the portal, `connect-src` the
 * services the frame may talk to.
 */
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import { relative } from 'node:path';

export interface WidgetCdnOptions {
  port?: number;
  hostname?: string;
  widgetDir: string;
  portalOrigin: string;
  apiUrl: string;
  streamUrl: string;
  streamCdnUrl?: string;
  virgilUrl: string;
}

/** The isolation frame's policy: only the portal may embed it, and it connects only to the real services. */
export function framePolicy(opts: WidgetCdnOptions): string {
  const ws = opts.streamUrl.replace(/^http/, 'ws');
  const cdn = opts.streamCdnUrl ? ` ${new URL(opts.streamCdnUrl).origin}` : '';
  return [
    `frame-ancestors ${opts.portalOrigin}`,
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self'",
    "img-src 'self' blob: data:",
    `connect-src 'self' ${opts.apiUrl} ${opts.streamUrl} ${ws}${cdn} ${opts.virgilUrl}`,
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
  ].join('; ');
}

export async function startWidgetCdn(
  opts: WidgetCdnOptions,
): Promise<{ url: string; close(): Promise<void> }> {
  const app = new Hono();
  const policy = framePolicy(opts);
  app.use('*', async (c, next) => {
    await next();
    c.header('Access-Control-Allow-Origin', '*');
    c.header('X-Content-Type-Options', 'nosniff');
    if (c.req.path.endsWith('/frame.html')) c.header('Content-Security-Policy', policy);
  });
  app.use('/*', serveStatic({ root: relative(process.cwd(), opts.widgetDir) }));
  const hostname = opts.hostname ?? '127.0.0.1';
  return new Promise((started) => {
    const server = serve({ fetch: app.fetch, port: opts.port ?? 0, hostname }, (info: AddressInfo) =>
      started({
        url: `http://${hostname}:${info.port}`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      }),
    );
  });
}
