/**
 * @module
 * Node entry: serves `createApp` through @hono/node-server. `startNodeApi(env, opts)` starts it in-process
 * (loopback and an ephemeral port by default, for tests and `npm start`); run directly (`npm run api`) it listens on
 * `PORT` (default 8787) and `HOST` (default 127.0.0.1). Channels are created with the real stream-chat server
 * client, and tokens are signed with `node:crypto` (same bytes as WebCrypto, faster on Node). `RATE_LIMIT_STORE=redis`
 * counts the rate limits in Redis, shared by every instance. On SIGTERM or SIGINT the process stops accepting
 * connections, lets requests in flight finish (at most `SHUTDOWN_GRACE_S`), then exits. With `NODE_ENV=production`
 * the dev secrets in `LOCAL_CLOUD_DIR` (if present) are refused too, and the Stream app is checked before listening:
 * while it is not configured safely the API answers 503 instead of issuing tokens (and says why on stderr).
 */
import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { existsSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp } from '../app.js';
import { silentAuditSink } from '../audit.js';
import type { AppDeps } from '../app.js';
import { readConfig } from '../config.js';
import { createStreamAppGuard } from '../stream-app/guard.js';
import { checkStreamApp } from '../stream-app/setup.js';
import { batchedStdoutAuditSink } from './node-audit.js';
import { drainServer, readServerSettings, stopOnSignals } from './node-server.js';
import type { HttpServer } from './node-server.js';
import { openRedisRateLimitStore } from './redis-rate-limit-store.js';
import { nodeCryptoProvider } from './node-crypto.js';
import { StreamChatAppAdmin } from './stream-chat-app-admin.js';
import { StreamChatDirectory } from './stream-chat-directory.js';

export interface NodeApiOptions {
  /** Default 0: an ephemeral port. */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly hostname?: string;
  /** Extra `createApp` deps, e.g. a collecting audit sink or a shared rate-limit store. */
  readonly deps?: Omit<Partial<AppDeps>, 'config'>;
}

export interface RunningApi {
  /** e.g. `http://127.0.0.1:41234` */
  readonly url: string;
  /** Stops at once, cutting requests in flight. */
  close(): Promise<void>;
  /**
   * Stops gracefully: no new connections, idle keep-alive connections closed, requests in flight answered. Resolves
   * `true` when all of them finished within `graceMs`, `false` when the rest had to be cut.
   */
  drain(graceMs: number): Promise<boolean>;
}

/**
 * Validates `env`, builds the app and listens.
 * @example const api = await startNodeApi(process.env); console.log(api.url); await api.close();
 */
export async function startNodeApi(
  env: Record<string, string | undefined>,
  opts: NodeApiOptions = {},
): Promise<RunningApi> {
  const config = readConfig(env, { devSecrets: productionDevSecrets(env), runtime: 'node' });
  const log = opts.deps?.log ?? ((line: string) => console.error(line));
  const streamCredentials = {
    apiKey: config.stream.apiKey,
    apiSecret: config.stream.apiSecret,
    baseURL: config.stream.baseURL,
  };
  const streamApp = opts.deps?.streamApp ?? new StreamChatAppAdmin(streamCredentials);
  const now = opts.deps?.now ?? Date.now;
  const streamAppGuard =
    opts.deps?.streamAppGuard ??
    createStreamAppGuard({
      check: () => checkStreamApp(streamApp),
      now,
      log,
    });
  // Checked at start, so an unsafe app is reported before the first user asks for a token.
  if (config.streamAppCheck === 'enforce') await streamAppGuard.verdict();
  const redis =
    !opts.deps?.rateLimitStore && config.rateLimit.redisUrl !== undefined
      ? await openRedisRateLimitStore(config.rateLimit.redisUrl, log, now)
      : undefined;
  const app = createApp({
    config,
    channels: new StreamChatDirectory(streamCredentials),
    clientIp: (c) => getConnInfo(c).remote.address,
    crypto: nodeCryptoProvider,
    ...(redis ? { rateLimitStore: redis.store } : {}),
    ...opts.deps,
    streamApp,
    streamAppGuard,
    audit: opts.deps?.audit ?? (config.audit === 'stdout' ? batchedStdoutAuditSink() : silentAuditSink),
  });
  const hostname = opts.hostname ?? '127.0.0.1';
  return new Promise((resolvePromise, reject) => {
    const server = serve({ fetch: app.fetch, port: opts.port ?? 0, hostname }, (info: AddressInfo) => {
      const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      resolvePromise({
        url: `http://${host}:${info.port}`,
        close: async () => {
          const closed = new Promise<void>((done, fail) => server.close((err) => (err ? fail(err) : done())));
          if ('closeAllConnections' in server) server.closeAllConnections();
          await closed;
          await redis?.close();
        },
        drain: async (graceMs) => {
          const finished = await drainServer(server as unknown as HttpServer, graceMs);
          await redis?.close();
          return finished;
        },
      });
    });
    server.once('error', (err) => {
      void redis?.close();
      reject(err);
    });
  });
}

/** In production, the locally generated dev secrets (if any) count as development values too. */
function productionDevSecrets(env: Record<string, string | undefined>): string[] {
  if (env.NODE_ENV !== 'production') return [];
  const file = join(resolve(env.LOCAL_CLOUD_DIR ?? '.local-cloud'), 'dev-secrets.json');
  if (!existsSync(file)) return [];
  try {
    const values: unknown[] = Object.values(
      JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>,
    );
    return values.filter((value): value is string => typeof value === 'string');
  } catch {
    return [];
  }
}

const runDirectly =
  process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (runDirectly) {
  const started = (async () => {
    const settings = readServerSettings(process.env);
    const api = await startNodeApi(process.env, { port: settings.port, hostname: settings.hostname });
    stopOnSignals(api, settings.shutdownGraceMs);
    console.log(`token API listening on ${api.url}`);
  })();
  started.catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : 'token API failed to start');
    process.exitCode = 1;
  });
}
