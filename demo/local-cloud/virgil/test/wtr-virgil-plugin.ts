/**
 * web-test-runner plugin: runs a Virgil stand-in (temp data folder, fresh test App Key) for the browser tests
 * and serves helper routes on the test server's origin:
 *   GET  /__virgil/config                          → { apiUrl }
 *   GET  /__virgil/token?identity=ID&ttl=SECONDS   → a VEDS512 JWT (text); ttl may be negative (already expired)
 *   POST /__virgil/restart                         → stops and restarts on the same port and data folder → { apiUrl }
 *   GET  /__virgil/inspect                         → everything stored plus every request body received (JSON)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestRunnerPlugin } from '@web/test-runner';
import { mintVirgilJwt } from '../jwt.js';
import { startVirgilCloud, type VirgilCloud } from '../server.js';
import { newTestApp } from './harness.js';

/** Small, so token-expiry tests need to wait only a few seconds. */
const TEST_CLOCK_LEEWAY_SECONDS = 1;
const DEFAULT_TTL_SECONDS = 600;

/**
 * Creates the plugin; add it to `stackPlugins` in web-test-runner.config.mjs.
 * @example const stackPlugins = [virgilCloudPlugin()];
 */
export function virgilCloudPlugin(): TestRunnerPlugin {
  const app = newTestApp();
  let dataDir = '';
  let cloud: VirgilCloud | undefined;
  let port = 0;

  const start = async () => {
    cloud = await startVirgilCloud({ dataDir, ...app, port, clockLeewaySeconds: TEST_CLOCK_LEEWAY_SECONDS });
    port = Number(new URL(cloud.url).port);
    return cloud;
  };
  const running = (): VirgilCloud => {
    if (!cloud) throw new Error('The Virgil stand-in is not running.');
    return cloud;
  };

  return {
    name: 'virgil-cloud',
    async serverStart() {
      dataDir = mkdtempSync(join(tmpdir(), 'virgil-cloud-wtr-'));
      await start();
    },
    async serverStop() {
      await cloud?.close();
      cloud = undefined;
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
    async serve(ctx) {
      if (!ctx.path.startsWith('/__virgil/')) return undefined;
      const route = `${ctx.method} ${ctx.path}`;
      if (route === 'GET /__virgil/config') {
        return { body: JSON.stringify({ apiUrl: running().url }), type: 'application/json' };
      }
      if (route === 'GET /__virgil/token') {
        const identity = typeof ctx.query.identity === 'string' ? ctx.query.identity : '';
        const ttl = Number(ctx.query.ttl ?? DEFAULT_TTL_SECONDS);
        if (!identity || !Number.isFinite(ttl))
          throw new Error('/__virgil/token needs identity and a numeric ttl.');
        return { body: mintVirgilJwt({ ...app, identity, ttlSeconds: ttl }), type: 'text/plain' };
      }
      if (route === 'POST /__virgil/restart') {
        await running().close();
        await start();
        return { body: JSON.stringify({ apiUrl: running().url }), type: 'application/json' };
      }
      if (route === 'GET /__virgil/inspect') {
        return { body: JSON.stringify(running().inspect()), type: 'application/json' };
      }
      throw new Error(`Unknown test route ${route}.`);
    },
  };
}
