/**
 * Test-runner wiring for the whole local stack: starts it when the test server starts, on ephemeral ports and a temp
 * data folder, and answers `/__stack/*` so browser tests can mint portal sessions, inspect the stand-ins, restart them
 * and act as a malicious server; `/portal/*` stands in for a portal's backend (wtr-portal.ts). Only the test server's own origin (`http://localhost:<port>`) is an allowed origin;
 * `http://127.0.0.1:<port>` serves the same files from an origin the API refuses. A third origin, the widget CDN
 * (`widgetCdnUrl` in `/__stack/config`, `http://localhost:<other port>`), serves the built widget with CORS, as a CDN
 * would: frame isolation loads its frame from there, and the API lets that origin call it (`FRAME_ORIGINS`) without it
 * being an embedding origin. Same site as the test page (as a portal's own widget subdomain would be), so browsers
 * that block third-party storage still give the frame its IndexedDB (docs/isolation.md).
 */
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import type { IncomingMessage } from 'node:http';
import { collectingAuditSink } from '../../api/src/audit.js';
import { generateDevSecrets } from './dev-secrets.js';
import { LocalStack, type PortalPeer } from './local-stack.js';
import { exportForTests, swappedOrganizationApi, type TestExportRequest } from './organization-routes.js';
import { portalRoutes, type PortalContext } from './wtr-portal.js';
import type { StreamCloudSettings } from '../local-cloud/stream/server.js';

interface KoaContext {
  method: string;
  path: string;
  query: Record<string, string | string[] | undefined>;
  req: IncomingMessage;
  status: number;
  body: unknown;
  type: string;
  set: PortalContext['set'];
}
type Next = () => Promise<unknown>;

/** Methods of the stream-chat server client a test may call as "the server". */
const SERVER_METHODS = new Set([
  'getMessage',
  'updateMessage',
  'partialUpdateMessage',
  'deleteMessage',
  'queryChannels',
  'upsertUsers',
]);

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : {};
}

function parsePeers(value: string | undefined): PortalPeer[] {
  if (!value) return [];
  return value.split(',').map((entry) => {
    const [sub = '', name] = entry.split(':');
    return name ? { sub, name } : { sub };
  });
}

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.map': 'application/json',
};

/** What the widget CDN serves: the build, and the fixtures that must run on the widget's origin. */
function cdnFile(path: string): string | undefined {
  const roots: [string, string][] = [
    ['/dist/widget/', resolve('dist', process.env.WIDGET_DIST || 'widget')],
    ['/widget/test/fixtures/', resolve('widget/test/fixtures')],
  ];
  for (const [prefix, dir] of roots) {
    if (!path.startsWith(prefix)) continue;
    const file = normalize(join(dir, path.slice(prefix.length)));
    if (file.startsWith(dir + '/') && statSync(file, { throwIfNoEntry: false })?.isFile()) return file;
  }
  return undefined;
}

/**
 * The widget's CDN for the tests, with CORS like a real one. It notes each path it serves, so a test can tell what a
 * frame loaded (`GET /__stack/cdn-log`).
 */
function startWidgetCdn(log: { at: number; path: string }[]): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://cdn').pathname);
    const file = cdnFile(path);
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    log.push({ at: Date.now(), path });
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      // Module scripts and WASM loaded cross-origin need CORS.
      'access-control-allow-origin': '*',
      'cache-control': 'no-store',
    });
    res.end(readFileSync(file));
  });
  return new Promise((done) =>
    server.listen(0, '127.0.0.1', () =>
      done({ url: `http://localhost:${(server.address() as AddressInfo).port}`, server }),
    ),
  );
}

export function localStackForTests() {
  let stack: LocalStack | undefined;
  let dataDir = '';
  let cdn: { url: string; server: Server } | undefined;
  const cdnLog: { at: number; path: string }[] = [];
  const extraApis = new Map<string, string>();
  const audit = collectingAuditSink();

  const routes: Record<string, (ctx: KoaContext, s: LocalStack) => Promise<unknown>> = {
    'GET /__stack/config': async (_ctx, s) => ({
      apiUrl: s.apiUrl,
      streamUrl: s.streamUrl,
      streamCdnUrl: s.streamCdnUrl,
      virgilUrl: s.virgilUrl,
      streamApiKey: s.secrets.STREAM_API_KEY,
      widgetCdnUrl: cdn?.url,
    }),
    'GET /__stack/session-token': async (ctx, s) => {
      const q = ctx.query as Record<string, string | undefined>;
      return s.mintSessionToken({
        sub: q.sub ?? 'alice',
        ...(q.name ? { name: q.name } : {}),
        peers: parsePeers(q.peers),
        ...(q.ttl ? { ttlSeconds: Number(q.ttl) } : {}),
      });
    },
    'GET /__stack/user-id': async (ctx, s) => s.chatUserId(String(ctx.query.sub ?? '')),
    'GET /__stack/inspect': async (_ctx, s) => s.inspect(),
    'GET /__stack/cdn-log': async (ctx) => cdnLog.filter((entry) => entry.at >= Number(ctx.query.since ?? 0)),
    'GET /__stack/audit': async () => audit.events,
    'POST /__stack/restart': async (ctx, s) => {
      const service = ctx.query.service;
      if (service !== 'stream' && service !== 'virgil') throw new Error('service must be stream or virgil');
      await s.restart(service);
      return { restarted: service };
    },
    'POST /__stack/stream-settings': async (ctx, s) => {
      // e.g. {"urlTtlSeconds": 2} for link-expiry tests (links signed from now on), or
      // {"rateLimits": {"SendMessage": {"userLimit": 1, "windowSeconds": 3}}} for 429 tests ({} restores the defaults).
      const settings = (await readJson(ctx.req)) as StreamCloudSettings;
      s.configureStream(settings);
      return { configured: settings };
    },
    'POST /__stack/stream-server': async (ctx, s) => {
      const { method, args = [] } = (await readJson(ctx.req)) as { method: string; args?: unknown[] };
      if (!SERVER_METHODS.has(method)) throw new Error(`stream-server method not allowed: ${method}`);
      const client = s.streamServerClient as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
      return client[method]!(...args);
    },
    'POST /__stack/stream-server/send': async (ctx, s) => {
      // Post a message as any user, the way a compromised server could.
      const { cid, message } = (await readJson(ctx.req)) as { cid: string; message: Record<string, unknown> };
      const [type = 'messaging', id = ''] = cid.split(':');
      return s.streamServerClient.channel(type, id).sendMessage(message as never);
    },
    'POST /__stack/stream-server/members': async (ctx, s) => {
      // Add or remove members of a channel, the way whoever holds the server credentials could.
      const {
        cid,
        add = [],
        remove = [],
      } = (await readJson(ctx.req)) as {
        cid: string;
        add?: string[];
        remove?: string[];
      };
      const [type = 'messaging', id = ''] = cid.split(':');
      const channel = s.streamServerClient.channel(type, id);
      if (add.length) await channel.addMembers(add);
      if (remove.length) await channel.removeMembers(remove);
      return { cid, added: add, removed: remove };
    },
    'POST /__stack/stream-tamper/created-at': async (ctx) => {
      // Test stack only, not the stand-in's API (which has no way to move a message's created_at): rewrites a
      // stored message's time in the stand-in's database, as a server backdating it could. Nothing is broadcast;
      // the next read of the message, or an update of it, carries the new time.
      const { id, createdAt } = (await readJson(ctx.req)) as { id: string; createdAt: string };
      const db = new Database(join(dataDir, 'stream', 'stream.sqlite'));
      try {
        const row = db.prepare('SELECT doc FROM messages WHERE id = ?').get(id) as
          { doc: string } | undefined;
        if (!row) throw new Error(`no message ${id}`);
        const doc = { ...(JSON.parse(row.doc) as Record<string, unknown>), created_at: createdAt };
        db.prepare('UPDATE messages SET created_at = ?, doc = ? WHERE id = ?').run(
          createdAt,
          JSON.stringify(doc),
          id,
        );
        return { id, created_at: createdAt };
      } finally {
        db.close();
      }
    },
    'POST /__stack/export': async (ctx, s) =>
      // The break-glass export with the first `shares` of the stack's organization key shares.
      exportForTests(s, (await readJson(ctx.req)) as TestExportRequest, join(dataDir, 'exports'), audit),
    'POST /__stack/organization/swapped': async (_ctx, s) =>
      // A token API pinning an organization card that the directory has since replaced (a malicious directory).
      swappedOrganizationApi(s),
    'GET /__stack/api': async (ctx, s) => {
      const q = ctx.query as Record<string, string | undefined>;
      const key = `${q.streamTtl ?? ''}/${q.virgilTtl ?? ''}`;
      if (!extraApis.has(key)) {
        const api = await s.startApi({
          ...(q.streamTtl ? { STREAM_TOKEN_TTL_S: q.streamTtl } : {}),
          ...(q.virgilTtl ? { VIRGIL_TOKEN_TTL_S: q.virgilTtl } : {}),
        });
        extraApis.set(key, api.url);
      }
      return { apiUrl: extraApis.get(key) };
    },
    // A portal backend for the integration examples (wtr-portal.ts).
    ...portalRoutes(parsePeers),
  };

  async function middleware(ctx: KoaContext, next: Next) {
    const route = routes[`${ctx.method} ${ctx.path}`];
    if (!route) return next();
    if (!stack) {
      ctx.status = 503;
      ctx.body = { error: 'local stack not started' };
      return;
    }
    try {
      const result = await route(ctx, stack);
      ctx.status = 200;
      if (typeof result === 'string') {
        ctx.type = 'text/plain';
        ctx.body = result;
      } else {
        ctx.type = 'application/json';
        ctx.body = JSON.stringify(result ?? null);
      }
    } catch (error) {
      ctx.status = 500;
      ctx.type = 'application/json';
      ctx.body = JSON.stringify({ error: error instanceof Error ? error.message : String(error) });
    }
  }

  const plugin = {
    name: 'secure-chat-local-stack',
    async serverStart({ config }: { config: { port?: number; hostname?: string } }) {
      dataDir = mkdtempSync(join(tmpdir(), 'secure-chat-stack-'));
      cdn = await startWidgetCdn(cdnLog);
      stack = await LocalStack.start({
        dataDir,
        secrets: generateDevSecrets(),
        allowedOrigins: [`http://localhost:${config.port}`],
        frameOrigins: [cdn.url],
        audit,
        organization: true,
      });
    },
    async serverStop() {
      await stack?.stop();
      stack = undefined;
      cdn?.server.close();
      cdn = undefined;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };

  return { plugin, middleware };
}
