/**
 * A stand-in for a portal's own backend, for the browser tests of the integration examples (demo/examples): the
 * same endpoints the demo portal serves (demo/portal/server.ts). A test signs someone in with
 * `POST /__stack/portal-sign-in?sub=…&name=…&peers=sub:Name,…`. The test server runs one test file at a time, so one
 * person is signed in at a time; a real portal would know its user from its session cookie.
 */
import type { LocalStack, PortalPeer } from './local-stack.js';

/** The slice of Koa's context these routes use. */
export interface PortalContext {
  query: Record<string, string | string[] | undefined>;
  set(header: string, value: string): void;
}

interface SignedIn {
  sub: string;
  name: string;
  peers: PortalPeer[];
}

export function portalRoutes(parsePeers: (value: string | undefined) => PortalPeer[]) {
  let current: SignedIn | undefined;
  // Answers depend on who is signed in: a browser must never reuse one from its cache.
  const signedIn = (ctx: PortalContext): SignedIn => {
    ctx.set('cache-control', 'no-store');
    if (!current) throw new Error('signed out');
    return current;
  };

  return {
    'POST /__stack/portal-sign-in': async (ctx: PortalContext) => {
      const q = ctx.query as Record<string, string | undefined>;
      const sub = q.sub ?? '';
      current = { sub, name: q.name ?? sub, peers: parsePeers(q.peers) };
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
