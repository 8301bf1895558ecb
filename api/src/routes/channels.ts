/**
 * @module
 * `POST /v1/channels` with `{ peers: string[] }` (1–19 portal subjects): creates, or returns, the distinct
 * `messaging` channel of the caller and those peers through the `ChannelDirectory` (server secret), after the
 * channel policy allowed it. The default policy allows exactly the subjects listed in the caller's peers claim;
 * a `channelPolicy` hook in `createApp`'s deps replaces it. Everything else is refused with 403.
 */
import { Hono } from 'hono';
import type { ApiEnv, AppServices } from '../app-env.js';
import { isSubject } from '../auth/portal-session.js';
import type { PortalSession } from '../auth/portal-session.js';
import { ApiError } from '../errors.js';
import { readJsonObject } from './body.js';

/** Stream distinct channels allow at most 20 members: the caller plus 19 peers. */
export const MAX_PEERS = 19;

/** Decides whether `caller` may open a channel with `peers` (portal subjects). */
export type ChannelPolicy = (caller: PortalSession, peers: readonly string[]) => boolean | Promise<boolean>;

/** The default: every requested peer must be in the caller's peers claim. No claim, no channel. */
export const peersClaimPolicy: ChannelPolicy = (caller, peers) => {
  if (!caller.peers) return false;
  const allowed = new Set(caller.peers.map((peer) => peer.sub));
  return peers.every((peer) => allowed.has(peer));
};

export function channelRoutes(services: AppServices, policy: ChannelPolicy): Hono<ApiEnv> {
  const routes = new Hono<ApiEnv>();

  routes.post('/channels', async (c) => {
    const body = await readJsonObject(c, true);
    const peers = parsePeers(body?.peers);
    const session = c.get('session');
    if (peers.includes(session.sub))
      throw new ApiError('bad-request', 'peers must not include the caller.', 'peers-self');
    if (!(await policy(session, peers))) {
      throw new ApiError(
        'forbidden',
        'You may not open a conversation with these peers.',
        'peers-not-allowed',
      );
    }
    const userId = c.get('userId');
    const peerIds = await Promise.all(peers.map((peer) => services.chatId(peer)));
    let channel;
    try {
      channel = await services.channels.ensureDistinctChannel({
        createdBy: userId,
        members: [userId, ...peerIds],
      });
    } catch {
      throw new ApiError(
        'upstream-failed',
        'The chat service could not open the conversation.',
        'chat-service-failed',
      );
    }
    c.set('auditReason', 'channel');
    return c.json({ cid: channel.cid, members: channel.members });
  });

  return routes;
}

function parsePeers(value: unknown): string[] {
  if (!Array.isArray(value) || value.length < 1 || value.length > MAX_PEERS || !value.every(isSubject)) {
    throw new ApiError(
      'bad-request',
      `peers must be an array of 1 to ${MAX_PEERS} portal subjects.`,
      'peers-invalid',
    );
  }
  const unique = new Set(value);
  if (unique.size !== value.length)
    throw new ApiError('bad-request', 'peers must not repeat.', 'peers-duplicate');
  return [...unique];
}
