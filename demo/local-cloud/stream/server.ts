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
import { CdnSigner, createCdnApp, DEFAULT_URL_TTL_SECONDS } from './cdn.js';
import { RateLimiter, rateLimitsFromEnv, type RateLimitOverrides } from './rate-limits.js';
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
  /** Port of the CDN origin that serves uploads; 0 (default) picks an ephemeral port. */
  cdnPort?: number;
  /** Lifetime of upload links in seconds; default `LOCAL_STREAM_URL_TTL`, else 1,209,600 (14 days, as Stream). */
  urlTtlSeconds?: number;
  /**
   * Per-endpoint rate limits replacing Stream's defaults, e.g. `{ SendMessage: { userLimit: 2, windowSeconds: 5 } }`;
   * default `LOCAL_STREAM_RATE_LIMITS` (the same as JSON), else none.
   */
  rateLimits?: RateLimitOverrides;
}

/** Settings a test may change while the stand-in runs (they apply to links signed and requests made afterwards). */
export interface StreamCloudSettings {
  urlTtlSeconds?: number;
  /** Replaces the rate-limit overrides and restarts every window. */
  rateLimits?: RateLimitOverrides;
}

export interface StreamCloud {
  /** Base URL for `new StreamChat(key, { baseURL })`, without a trailing slash. */
  url: string;
  /** Origin of the CDN that serves uploads (`http://host:port`), like Stream's `*.stream-io-cdn.com`. */
  cdnUrl: string;
  /** Changes settings at runtime, e.g. a short link lifetime for an expiry test. */
  configure(settings: StreamCloudSettings): void;
  /** Restart-style shutdown: sockets close with 1001, then port and database are released. */
  close(): Promise<void>;
  inspect(): StreamInspection;
}

export async function startStreamCloud(opts: StreamCloudOptions): Promise<StreamCloud> {
  if (!opts.apiKey || !opts.apiSecret) throw new Error('startStreamCloud needs apiKey and apiSecret');
  const settings = { urlTtlSeconds: opts.urlTtlSeconds ?? urlTtlFromEnv() };
  const store = new StreamStore(opts.dataDir);
  const hub = new Hub();
  const cdn = new CdnSigner({ secret: opts.apiSecret, ttlSeconds: () => settings.urlTtlSeconds });
  const rateLimiter = new RateLimiter(
    opts.rateLimits ?? rateLimitsFromEnv(process.env.LOCAL_STREAM_RATE_LIMITS),
  );
  const ctx = new Ctx(store, hub, opts.apiSecret, cdn, rateLimiter);
  const app = createApp(ctx, opts.apiKey);
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  const cdnServer = createAdaptorServer({ fetch: createCdnApp(store, cdn).fetch }) as Server;
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
  const host = hostname.includes(':') ? `[${hostname}]` : hostname;
  const listen = (s: Server, port: number) =>
    new Promise<number>((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, hostname, () => resolve((s.address() as AddressInfo).port));
    });
  const port = await listen(server, opts.port ?? 0);
  try {
    cdn.origin = `http://${host}:${await listen(cdnServer, opts.cdnPort ?? 0)}`;
  } catch (err) {
    await new Promise((resolve) => server.close(resolve));
    store.close();
    throw err;
  }

  let closed = false;
  return {
    url: `http://${host}:${port}`,
    cdnUrl: cdn.origin,
    inspect: () => store.inspect(),
    configure(next) {
      if (next.urlTtlSeconds !== undefined)
        settings.urlTtlSeconds = validTtl(next.urlTtlSeconds, 'urlTtlSeconds');
      if (next.rateLimits !== undefined) rateLimiter.configure(next.rateLimits);
    },
    async close() {
      if (closed) return;
      closed = true;
      ctx.closing = true;
      hub.closeAll();
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      cdnServer.closeAllConnections();
      await Promise.all(
        [server, cdnServer].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))),
      );
      store.close();
    },
  };
}

function validTtl(value: number, name: string): number {
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number of seconds`);
  return value;
}

function urlTtlFromEnv(): number {
  const raw = process.env.LOCAL_STREAM_URL_TTL;
  return raw ? validTtl(Number(raw), 'LOCAL_STREAM_URL_TTL') : DEFAULT_URL_TTL_SECONDS;
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
