/**
 * @module
 * The token routes: `POST /v1/session` (everything the widget needs in one round trip), `POST /v1/stream-credentials`
 * and `POST /v1/virgil-credentials`. The caller is already authenticated; the chat user id and the display name
 * come from the verified portal session only, never from the request body (which is accepted but ignored).
 * No token outlives the portal session it was issued for: each expires after its configured TTL or at the session's
 * `exp`, whichever comes first. The widget refreshes through the portal's `getSessionToken`, so a live session loses
 * nothing, while a token copied out of the page stops working when the portal session ends. (A session accepted
 * only through `PORTAL_JWT_LEEWAY_S`, past its `exp`, therefore gets tokens that have already expired.)
 */
import { Hono } from 'hono';
import type { ApiEnv, AppServices } from '../app-env.js';
import { readJsonObject } from './body.js';

export function tokenRoutes(services: AppServices): Hono<ApiEnv> {
  const { config, streamSigner, virgilSigner } = services;
  const routes = new Hono<ApiEnv>();

  routes.post('/session', async (c) => {
    await readJsonObject(c, false);
    const session = c.get('session');
    const userId = c.get('userId');
    const now = services.now();
    const [stream, virgil, contacts] = await Promise.all([
      streamSigner.issue(userId, now, session.exp),
      virgilSigner.issue(userId, now, session.exp),
      Promise.all(
        // `sub` is what /v1/channels takes (the widget's list starts conversations with it); the portal already
        // holds it in its session token, and it never goes to Stream or Virgil.
        (session.peers ?? []).map(async (peer) => ({
          id: await services.chatId(peer.sub),
          sub: peer.sub,
          ...(peer.name !== undefined ? { name: peer.name } : {}),
        })),
      ),
    ]);
    c.set('auditReason', 'session');
    return c.json({
      user: user(userId, session.name),
      contacts,
      stream: {
        apiKey: config.stream.apiKey,
        baseURL: config.stream.baseURL,
        token: stream.token,
        expiresAt: stream.expiresAt,
      },
      virgil: { token: virgil.token, apiUrl: config.virgil.apiUrl, expiresAt: virgil.expiresAt },
      // The pinned organization recipient: the widget encrypts to it too, and checks the directory's card against it.
      ...(config.organization ? { organization: config.organization } : {}),
      serverTime: new Date(now).toISOString(),
      // Where the widget may be embedded: the isolation frame refuses to run under any other origin.
      allowedOrigins: [...config.allowedOrigins],
    });
  });

  routes.post('/stream-credentials', async (c) => {
    await readJsonObject(c, false);
    const userId = c.get('userId');
    const now = services.now();
    const stream = await streamSigner.issue(userId, now, c.get('session').exp);
    c.set('auditReason', 'stream-token');
    return c.json({
      apiKey: config.stream.apiKey,
      baseURL: config.stream.baseURL,
      token: stream.token,
      user: user(userId, c.get('session').name),
      expiresAt: stream.expiresAt,
      serverTime: new Date(now).toISOString(),
    });
  });

  routes.post('/virgil-credentials', async (c) => {
    await readJsonObject(c, false);
    const now = services.now();
    const virgil = await virgilSigner.issue(c.get('userId'), now, c.get('session').exp);
    c.set('auditReason', 'virgil-token');
    return c.json({
      token: virgil.token,
      apiUrl: config.virgil.apiUrl,
      expiresAt: virgil.expiresAt,
      serverTime: new Date(now).toISOString(),
    });
  });

  return routes;
}

function user(id: string, name: string | undefined): { id: string; name?: string } {
  return name !== undefined ? { id, name } : { id };
}
