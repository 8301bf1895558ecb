/**
 * A stand-in for a portal's own backend, for the browser tests of the integration examples (demo/examples): the
 * same endpoints the demo portal serves (demo/portal/server.ts), with the signed-in person kept in a session cookie.
 * A test signs someone in with `POST /__stack/portal-sign-in?sub=…&name=…&peers=sub:Name,…`.
 */
import { randomUUID } from 'node:crypto';
import type { LocalStack, PortalPeer } from './local-stack.js';

/** The slice of Koa's context these routes use. */
export interface PortalContext {
  query: Record<string, string | string[] | undefined>;
  set(header: string, value: string): void;
  cookies: {
    get(name: string): string | undefined;
    set(name: string, value: string, opts: { httpOnly: boolean; sameSite: 'strict'; path: string }): void;
  };
}

interface SignedIn {
  sub: string;
  name: string;
  peers: PortalPeer[];
}

const COOKIE = 'test_portal_session';

export function portalRoutes(parsePeers: (value: string | undefined) => PortalPeer[]) {
  const sessions = new Map<string, SignedIn>();
  // Answers depend on the session cookie: a browser must never reuse one from its cache (Firefox would).
  const signedIn = (ctx: PortalContext): SignedIn => {
    ctx.set('cache-control', 'no-store');
    const person = sessions.get(ctx.cookies.get(COOKIE) ?? '');
    if (!person) throw new Error('signed out');
    return person;
  };

  return {
    'POST /__stack/portal-sign-in': async (ctx: PortalContext) => {
      const q = ctx.query as Record<string, string | undefined>;
      const id = randomUUID();
      const sub = q.sub ?? '';
      sessions.set(id, { sub, name: q.name ?? sub, peers: parsePeers(q.peers) });
      ctx.cookies.set(COOKIE, id, { httpOnly: true, sameSite: 'strict', path: '/' });
      return { sub };
    },
    'GET /portal/config.json': async (_ctx: PortalContext, s: LocalStack) => ({ apiUrl: s.apiUrl }),
    'GET /portal/me.json': async (ctx: PortalContext) => signedIn(ctx),
    'POST /portal/session-token': async (ctx: PortalContext, s: LocalStack) => {
      const { sub, name, peers } = signedIn(ctx);
      return { token: await s.mintSessionToken({ sub, name, peers }) };
    },
  };
}
