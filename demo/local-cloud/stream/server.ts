/**
 * The local Stream Chat stand-in: REST (Hono) and WebSocket `/connect` on one loopback port, state in SQLite.
 *
 * @example
 * const cloud = await startStreamCloud({ dataDir: '.local-cloud/stream', apiKey, apiSecret, port: 8790 });
 * const client = new StreamChat(apiKey, { baseURL: cloud.url });
 */
import { createAdaptorServer } from '@hono/node-server';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { createApp } from './app.js';
import { verifyToken } from './auth.js';
import { Ctx, type Json } from './context.js';
import { StreamApiError } from './errors.js';
import { Hub, type Connection } from './hub.js';
import { announceStopWatching } from './routes-channels.js';
import { StreamStore, type StreamInspection } from './store.js';

export type { StreamInspection } from './store.js';

export interface StreamCloudOptions {
  dataDir: string;
  apiKey: string;
  apiSecret: string;
  /** 0 (default) picks an ephemeral port. */
  port?: number;
  /** Default 127.0.0.1. */
  hostname?: string;
}

export interface StreamCloud {
  /** Base URL for `new StreamChat(key, { baseURL })`, without a trailing slash. */
  url: string;
  /** Restart-style shutdown: sockets close with 1001, then port and database are released. */
  close(): Promise<void>;
  inspect(): StreamInspection;
}

export async function startStreamCloud(opts: StreamCloudOptions): Promise<StreamCloud> {
  if (!opts.apiKey || !opts.apiSecret) throw new Error('startStreamCloud needs apiKey and apiSecret');
  const store = new StreamStore(opts.dataDir);
  const hub = new Hub();
  const ctx = new Ctx(store, hub, opts.apiSecret);
  const app = createApp(ctx, opts.apiKey);
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  const wss = new WebSocketServer({ noServer: true });

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://local');
    if (url.pathname !== '/connect') {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => onConnect(ctx, opts.apiKey, ws, url.searchParams));
  });

  const hostname = opts.hostname ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, hostname, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = hostname.includes(':') ? `[${hostname}]` : hostname;

  let closed = false;
  return {
    url: `http://${host}:${port}`,
    inspect: () => store.inspect(),
    async close() {
      if (closed) return;
      closed = true;
      ctx.closing = true;
      hub.closeAll();
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      store.close();
    },
  };
}

function onConnect(ctx: Ctx, apiKey: string, ws: WebSocket, params: URLSearchParams): void {
  const { store, hub, shapes } = ctx;
  const refuse = (err: StreamApiError) => {
    ws.send(
      JSON.stringify({
        type: 'connection.error',
        created_at: store.now(),
        connection_id: '',
        error: {
          code: err.code,
          message: err.message,
          StatusCode: err.status,
          duration: '',
          more_info: '',
          details: [],
        },
      }),
    );
    ws.close(1000, 'connection refused');
  };
  let userId: string;
  try {
    if (params.get('api_key') !== apiKey)
      throw new StreamApiError(401, 2, `api_key not found: ${params.get('api_key') ?? ''}`);
    const caller = verifyToken(ctx.secret, params.get('authorization') ?? undefined, 'Connect');
    if (caller.kind !== 'user')
      throw new StreamApiError(
        401,
        43,
        'Connect failed with error: "JWTAuth error: a user token is required"',
      );
    const json = JSON.parse(params.get('json') ?? '{}') as { user_id?: string; user_details?: Json };
    if (json.user_id && json.user_id !== caller.userId) {
      throw new StreamApiError(
        401,
        43,
        'Connect failed with error: "JWTAuth error: token user_id does not match"',
      );
    }
    userId = caller.userId;
    const details = { ...(json.user_details ?? {}), id: userId };
    const existing = store.getUser(userId);
    // connectUser creates the user; it may add custom fields but never change the role.
    ctx.upsertUser({ ...existing?.custom, ...details }, 'Connect', false);
  } catch (err) {
    refuse(
      err instanceof StreamApiError
        ? err
        : new StreamApiError(400, 4, 'Connect failed with error: "bad connect request"'),
    );
    return;
  }

  const wasOnline = hub.isOnline(userId);
  const conn: Connection = { id: randomUUID(), userId, ws, watching: new Set(), presenceOf: new Set() };
  hub.add(conn);
  store.putUser({ ...store.getUser(userId)!, last_active: store.now() });
  hub.send(conn, {
    type: 'health.check',
    connection_id: conn.id,
    cid: '*',
    me: shapes.ownUser(userId),
    created_at: store.now(),
  });
  if (!wasOnline) announcePresence(ctx, userId);

  ws.on('message', (data) => {
    store.logFrame(conn.id, userId, data.toString());
    hub.send(conn, { type: 'health.check', connection_id: conn.id, cid: '*', created_at: store.now() });
  });
  ws.on('close', () => {
    const watched = hub.remove(conn.id);
    // After close() the database is gone: a restart must not write or announce anything.
    if (ctx.closing) return;
    for (const cid of watched) announceStopWatching(ctx, cid, userId);
    if (!hub.isOnline(userId)) {
      store.putUser({ ...store.getUser(userId)!, last_active: store.now() });
      announcePresence(ctx, userId);
    }
  });
}

function announcePresence(ctx: Ctx, userId: string): void {
  ctx.hub.toPresenceSubscribers(userId, {
    type: 'user.presence.changed',
    user: ctx.shapes.user(userId),
    created_at: ctx.store.now(),
  });
}
