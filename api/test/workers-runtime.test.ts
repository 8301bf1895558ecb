import { Miniflare } from 'miniflare';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStreamCloud } from '../../demo/local-cloud/stream/server.js';
import type { StreamCloud } from '../../demo/local-cloud/stream/server.js';
import { chatUserId } from '../src/identity.js';
import { runStreamSetup } from '../tools/stream-setup.js';
import { ORIGIN, portalToken, productionSecrets, testSecrets } from './helpers.js';
import type { TestSecrets } from './helpers.js';
import { verifyHs256, verifyVirgilJwt } from './verifiers.js';
import { bundleWorker, readWranglerConfig, workerOptions } from './wrangler.js';
import type { WranglerConfig } from './wrangler.js';

// The Worker as api/wrangler.toml deploys it (entry, compatibility date, vars, the rate-limit Durable Object).

let secrets: TestSecrets;
let mf: Miniflare;
let cloud: StreamCloud;
let dataDir: string;
let script: string;
let wrangler: WranglerConfig;
/** The deployed Worker with these bindings layered over its vars. */
const worker = (bindings: Record<string, string>) => workerOptions(wrangler, script, bindings);
beforeAll(async () => {
  // Production refuses the stand-ins' loopback http:; the production rules have their own test below.
  secrets = testSecrets({ AUDIT_LOG: 'off', NODE_ENV: 'development' });
  dataDir = mkdtempSync(join(tmpdir(), 'api-workers-'));
  cloud = await startStreamCloud({
    dataDir,
    apiKey: secrets.env.STREAM_API_KEY!,
    apiSecret: secrets.env.STREAM_API_SECRET!,
  });
  secrets.env.STREAM_BASE_URL = cloud.url;
  wrangler = readWranglerConfig();
  script = await bundleWorker(wrangler);
  mf = new Miniflare({ ...worker(secrets.env), host: '127.0.0.1', port: 0 });
  await mf.ready;
}, 60_000);
afterAll(async () => {
  await mf?.dispose();
  await cloud?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('Workers runtime (workerd via miniflare)', () => {
  it('answers /healthz', async () => {
    const res = await mf.dispatchFetch('http://api.test/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('issues a session whose tokens pass the real verifiers (WebCrypto Ed25519 and hono/jwt in workerd)', async () => {
    const token = await portalToken(secrets.env.PORTAL_JWT_SECRET!, { peers: ['dr-house'] });
    const res = await mf.dispatchFetch('http://api.test/v1/session', {
      method: 'POST',
      headers: { origin: ORIGIN, authorization: `Bearer ${token}`, 'cf-connecting-ip': '203.0.113.9' },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      user: { id: string };
      contacts: unknown[];
      stream: { token: string };
      virgil: { token: string };
    };
    expect(body.contacts).toHaveLength(1);
    expect(verifyHs256(body.stream.token, secrets.env.STREAM_API_SECRET!)).toBe(true);
    const virgil = await verifyVirgilJwt(body.virgil.token, {
      appKeyId: secrets.env.VIRGIL_APP_KEY_ID!,
      publicKey: secrets.virgilPublicKey,
    });
    expect(virgil).toEqual({ ok: true, identity: body.user.id });
  });

  it('refuses a preflight from a wrong origin and a token request without a session', async () => {
    const preflight = await mf.dispatchFetch('http://api.test/v1/session', {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(403);
    await preflight.arrayBuffer();
    const res = await mf.dispatchFetch('http://api.test/v1/virgil-credentials', {
      method: 'POST',
      headers: { origin: ORIGIN },
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
  });

  it('creates a channel from workerd through the fetch adapter (server token signed in the Worker)', async () => {
    const token = await portalToken(secrets.env.PORTAL_JWT_SECRET!, { peers: ['dr-house'] });
    const res = await mf.dispatchFetch('http://api.test/v1/channels', {
      method: 'POST',
      headers: { origin: ORIGIN, authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ peers: ['dr-house'] }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { cid: string; members: string[] };
    const ids = [
      await chatUserId('patient-4711', secrets.env.USER_ID_SECRET!),
      await chatUserId('dr-house', secrets.env.USER_ID_SECRET!),
    ];
    expect([...body.members].sort()).toEqual(ids.sort());
    expect(cloud.inspect().channels.map((channel) => channel.cid)).toContain(body.cid);
  });

  // The stand-in speaks loopback http:, which NODE_ENV=production refuses; STREAM_APP_CHECK=enforce is the same check.
  it('with the Stream app check enforced, checks on the first request: 503 while unsafe, then tokens', async () => {
    const ownDir = mkdtempSync(join(tmpdir(), 'api-workers-prod-'));
    const own = await startStreamCloud({
      dataDir: ownDir,
      apiKey: secrets.env.STREAM_API_KEY!,
      apiSecret: secrets.env.STREAM_API_SECRET!,
    });
    const bindings = { ...secrets.env, STREAM_BASE_URL: own.url, STREAM_APP_CHECK: 'enforce' };
    let stderr = '';
    const options = {
      ...worker(bindings),
      handleRuntimeStdio: (_out: Readable, err: Readable) =>
        err.on('data', (chunk) => (stderr += String(chunk))),
    } as const;
    const api = new Miniflare(options);
    const session = async () => {
      const token = await portalToken(secrets.env.PORTAL_JWT_SECRET!);
      return api.dispatchFetch('http://api.test/v1/session', {
        method: 'POST',
        headers: { origin: ORIGIN, authorization: `Bearer ${token}` },
      });
    };
    try {
      const refused = await session();
      expect(refused.status).toBe(503);
      expect(await refused.json()).toEqual({ error: { code: 'unavailable', message: expect.any(String) } });
      await expect
        .poll(() => stderr)
        .toMatch(/\[token-api\] refusing to issue tokens: .*grants\.user\.create-channel/);
      expect(stderr).not.toContain(secrets.env.STREAM_API_SECRET!);
      const health = await api.dispatchFetch('http://api.test/healthz?deep=1');
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({
        streamApp: { status: 'unsafe', problems: expect.arrayContaining(['grants.user.create-channel']) },
        stream: { reachable: true },
      });

      const lines: string[] = [];
      expect(await runStreamSetup([], { ...bindings }, (line) => lines.push(line))).toBe(0);
      // A fresh isolate checks again on its first request.
      await api.setOptions(options);
      expect((await session()).status).toBe(200);
    } finally {
      await api.dispose();
      await own.close();
      rmSync(ownDir, { recursive: true, force: true });
    }
  });

  it('in production, refuses an http: Stream URL: 500 without detail, the variable named on stderr', async () => {
    let stderr = '';
    const api = new Miniflare({
      ...worker({ ...productionSecrets({ STREAM_BASE_URL: 'http://127.0.0.1:9' }).env, AUDIT_LOG: 'off' }),
      handleRuntimeStdio: (_out: Readable, err: Readable) =>
        err.on('data', (chunk) => (stderr += String(chunk))),
    });
    try {
      const res = await api.dispatchFetch('http://api.test/healthz');
      expect(res.status).toBe(500);
      expect(await res.json()).toEqual({ error: { code: 'internal', message: 'Internal error.' } });
      await expect.poll(() => stderr).toContain('STREAM_BASE_URL must use https: with NODE_ENV=production');
      expect(stderr).not.toContain('127.0.0.1:9');
    } finally {
      await api.dispose();
    }
  });
});
