/**
 * web-test-runner plugin: starts a Stream stand-in (temp data folder, ephemeral loopback port) for browser tests and
 * serves `/__stream/config`, `/__stream/token?user=ID&ttl=S`, `/__stream/restart`, `/__stream/inspect` and
 * `/__stream/settings?urlTtlSeconds=N&rateLimits=<json>` (runtime settings of `StreamCloud#configure`), plus
 * `/__stream/stream-chat.js`: the real stream-chat bundled for the browser (its CJS dependencies don't load unbundled).
 */
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { userToken } from '../auth.js';
import { startStreamCloud, type StreamCloud, type StreamCloudSettings } from '../server.js';

interface ServeContext {
  path: string;
  query: Record<string, string | string[] | undefined>;
}

export function streamCloudPlugin(opts: { apiKey?: string; apiSecret?: string } = {}) {
  const apiKey = opts.apiKey ?? 'wtr-stream-key';
  const apiSecret = opts.apiSecret ?? `wtr-${Math.random().toString(36).slice(2)}-secret`;
  let dataDir = '';
  let cloud: StreamCloud | undefined;
  let port = 0;
  let cdnPort = 0;
  let settings: StreamCloudSettings = {};
  let clientBundle: Promise<string> | undefined;
  const bundleClient = async () => {
    const out = await build({
      entryPoints: ['stream-chat'],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      logLevel: 'silent',
    });
    return out.outputFiles[0]!.text;
  };
  const json = (value: unknown) => ({ body: JSON.stringify(value), type: 'application/json' });

  return {
    name: 'stream-cloud',
    async serverStart() {
      dataDir = mkdtempSync(join(tmpdir(), 'wtr-stream-'));
      cloud = await startStreamCloud({ dataDir, apiKey, apiSecret, port: 0 });
      port = Number(new URL(cloud.url).port);
      cdnPort = Number(new URL(cloud.cdnUrl).port);
    },
    async serverStop() {
      await cloud?.close();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
    async serve(ctx: ServeContext) {
      if (!ctx.path.startsWith('/__stream/') || !cloud) return undefined;
      const param = (name: string) =>
        typeof ctx.query[name] === 'string' ? (ctx.query[name] as string) : undefined;
      switch (ctx.path) {
        case '/__stream/config':
          return json({ baseURL: cloud.url, cdnUrl: cloud.cdnUrl, apiKey });
        case '/__stream/token': {
          const user = param('user');
          if (!user) return { body: 'user is required', status: 400 };
          const ttl = param('ttl');
          return {
            body: userToken(apiSecret, user, ttl === undefined ? undefined : Number(ttl)),
            type: 'text/plain',
          };
        }
        case '/__stream/restart':
          await cloud.close();
          cloud = await startStreamCloud({ dataDir, apiKey, apiSecret, port, cdnPort });
          cloud.configure(settings);
          return json({ restarted: true });
        case '/__stream/settings': {
          const ttl = param('urlTtlSeconds');
          const rateLimits = param('rateLimits');
          settings = {
            ...settings,
            ...(ttl ? { urlTtlSeconds: Number(ttl) } : {}),
            ...(rateLimits
              ? { rateLimits: JSON.parse(rateLimits) as StreamCloudSettings['rateLimits'] }
              : {}),
          };
          cloud.configure(settings);
          return json(settings);
        }
        case '/__stream/inspect':
          return json(cloud.inspect());
        case '/__stream/stream-chat.js':
          clientBundle ??= bundleClient();
          return { body: await clientBundle, type: 'application/javascript' };
        default:
          return undefined;
      }
    },
  };
}
