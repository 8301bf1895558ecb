/**
 * The demo patient portal: a small site on its own origin with a clearly labelled development sign-in. It embeds the
 * widget exactly as a customer would (a module script tag and the element) and serves it under a strict CSP.
 */
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AddressInfo } from 'node:net';
import { relative, resolve } from 'node:path';
import { PERSONAS, findPersona, peersClaim } from './personas.js';

export interface PortalOptions {
  port?: number;
  hostname?: string;
  /** The token API, Stream and Virgil base URLs: the only places the page may connect to. */
  apiUrl: string;
  streamUrl: string;
  virgilUrl: string;
  /** The origin Stream serves uploads from (its CDN), when it is not the Stream API's own. */
  streamCdnUrl?: string;
  /** Folder holding the built widget (`secure-chat.js` and its chunks). */
  widgetDir: string;
  /**
   * Where the page loads the widget from: its own origin, as a CDN serves it (`npm start`). Unset: the portal's
   * own `/widget/` path. Frame isolation needs the former (docs/isolation.md).
   */
  widgetUrl?: string;
  mintSessionToken(claims: {
    sub: string;
    name: string;
    peers: { sub: string; name: string }[];
  }): Promise<string>;
  /** What the stand-ins stored and received, for the "what the server sees" page. */
  inspect(): unknown;
}

const SITE_DIR = resolve(import.meta.dirname, '../site');
const PERSONA_COOKIE = 'demo_persona';

/** The strict Content-Security-Policy the portal serves; docs/element.md documents the same policy. */
export function contentSecurityPolicy(
  opts: Pick<PortalOptions, 'apiUrl' | 'streamUrl' | 'virgilUrl' | 'streamCdnUrl' | 'widgetUrl'>,
): string {
  // The widget's own origin: its scripts (and WASM), and the isolation frame (`?isolation=frame`).
  const widget = opts.widgetUrl ? ` ${new URL(opts.widgetUrl).origin}` : '';
  const ws = opts.streamUrl.replace(/^http/, 'ws');
  // Uploads (encrypted files, long messages) are fetched, never shown directly: connect-src only.
  const cdn = opts.streamCdnUrl ? ` ${new URL(opts.streamCdnUrl).origin}` : '';
  return [
    "default-src 'self'",
    `script-src 'self'${widget} 'wasm-unsafe-eval'`,
    "style-src 'self'",
    "img-src 'self' blob: data:",
    `connect-src 'self'${widget} ${opts.apiUrl} ${opts.streamUrl} ${ws}${cdn} ${opts.virgilUrl}`,
    ...(widget ? [`frame-src${widget}`] : []),
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function createPortalApp(opts: PortalOptions) {
  const app = new Hono();
  const csp = contentSecurityPolicy(opts);

  app.use('*', async (c, next) => {
    await next();
    c.header('Content-Security-Policy', csp);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
  });

  app.get('/portal/config.json', (c) =>
    c.json({ apiUrl: opts.apiUrl, widgetUrl: opts.widgetUrl ?? '/widget' }),
  );
  app.get('/portal/personas.json', (c) =>
    c.json(PERSONAS.map(({ sub, name, role }) => ({ sub, name, role }))),
  );

  app.post('/portal/sign-in', async (c) => {
    const form = await c.req.parseBody();
    const persona = findPersona(String(form.persona ?? ''));
    if (!persona) return c.text('Unknown person', 400);
    setCookie(c, PERSONA_COOKIE, persona.sub, { httpOnly: true, sameSite: 'Strict', path: '/' });
    return c.redirect('/messages.html', 303);
  });

  // Signing in again while the portal page stays open (the widget's `reauthenticate` hook after a lock): the same
  // development sign-in, answered with the fresh session token instead of a redirect.
  app.post('/portal/reauthenticate', async (c) => {
    const form = await c.req.parseBody();
    const persona = findPersona(String(form.persona ?? ''));
    if (!persona) return c.json({ error: 'unknown-person' }, 400);
    setCookie(c, PERSONA_COOKIE, persona.sub, { httpOnly: true, sameSite: 'Strict', path: '/' });
    const token = await opts.mintSessionToken({
      sub: persona.sub,
      name: persona.name,
      peers: peersClaim(persona),
    });
    return c.json({ sub: persona.sub, token });
  });

  app.post('/portal/sign-out', (c) => {
    deleteCookie(c, PERSONA_COOKIE, { path: '/' });
    return c.redirect('/', 303);
  });

  app.get('/portal/me.json', (c) => {
    const persona = findPersona(getCookie(c, PERSONA_COOKIE));
    if (!persona) return c.json({ error: 'signed-out' }, 401);
    return c.json({ sub: persona.sub, name: persona.name, role: persona.role, peers: peersClaim(persona) });
  });

  // The portal's own session token for the signed-in person: what a real portal's backend would mint.
  app.post('/portal/session-token', async (c) => {
    const persona = findPersona(getCookie(c, PERSONA_COOKIE));
    if (!persona) return c.json({ error: 'signed-out' }, 401);
    const token = await opts.mintSessionToken({
      sub: persona.sub,
      name: persona.name,
      peers: peersClaim(persona),
    });
    return c.json({ token });
  });

  app.get('/portal/server-view.json', (c) => c.json(opts.inspect()));

  const widgetRoot = relative(process.cwd(), opts.widgetDir);
  app.use(
    '/widget/*',
    serveStatic({ root: widgetRoot, rewriteRequestPath: (path) => path.replace(/^\/widget/, '') }),
  );
  app.use('/*', serveStatic({ root: relative(process.cwd(), SITE_DIR) }));
  return app;
}

export async function startPortal(opts: PortalOptions): Promise<{ url: string; close(): Promise<void> }> {
  const app = createPortalApp(opts);
  const hostname = opts.hostname ?? '127.0.0.1';
  return new Promise((resolveStart) => {
    const server = serve({ fetch: app.fetch, port: opts.port ?? 0, hostname }, (info: AddressInfo) => {
      resolveStart({
        url: `http://${hostname}:${info.port}`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}
