import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StreamChat } from 'stream-chat';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStreamCloud } from '../../demo/local-cloud/stream/server.js';
import type { StreamCloud } from '../../demo/local-cloud/stream/server.js';
import { collectingAuditSink } from '../src/audit.js';
import { createApp } from '../src/app.js';
import { readConfig } from '../src/config.js';
import { startNodeApi } from '../src/entries/node.js';
import type { RunningApi } from '../src/entries/node.js';
import { chatUserId } from '../src/identity.js';
import { ORIGIN, portalToken, post, testSecrets } from './helpers.js';

// The real stream-chat server client (Node entry) and the fetch adapter (Workers path) against the local stand-in.
let dataDir: string;
let cloud: StreamCloud;
let api: RunningApi;
let env: Record<string, string>;
let id: (sub: string) => Promise<string>;
beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'api-channels-'));
  const base = testSecrets().env;
  cloud = await startStreamCloud({
    dataDir,
    apiKey: base.STREAM_API_KEY!,
    apiSecret: base.STREAM_API_SECRET!,
  });
  env = { ...base, STREAM_BASE_URL: cloud.url };
  api = await startNodeApi(env, { deps: { audit: collectingAuditSink() } });
  id = (sub) => chatUserId(sub, env.USER_ID_SECRET!);
});
afterAll(async () => {
  await api?.close();
  await cloud?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function openChannel(
  peers: string[],
  claims: Record<string, unknown> = { peers: ['dr-house', 'nurse-joy'] },
) {
  const token = await portalToken(env.PORTAL_JWT_SECRET!, { name: 'Ada Patient', ...claims });
  return fetch(`${api.url}/v1/channels`, {
    method: 'POST',
    headers: { origin: ORIGIN, authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ peers }),
  });
}

describe('POST /v1/channels against the local Stream stand-in', () => {
  it('creates the distinct messaging channel with the stream-chat server client, ids only', async () => {
    const res = await openChannel(['dr-house']);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { cid: string; members: string[] };
    const me = await id('patient-4711');
    const house = await id('dr-house');
    expect(body.cid).toMatch(/^messaging:/);
    expect([...body.members].sort()).toEqual([me, house].sort());

    // The caller can now see the channel with a user token, as the widget will.
    const server = new StreamChat(env.STREAM_API_KEY!, env.STREAM_API_SECRET!, { baseURL: cloud.url });
    const channels = await server.queryChannels(
      { cid: body.cid },
      {},
      { user_id: me, state: true, watch: false, presence: false },
    );
    expect(channels.map((c) => c.cid)).toEqual([body.cid]);

    const dump = JSON.stringify(cloud.inspect());
    expect(dump).not.toMatch(/Ada|patient-4711|dr-house/);
    const channel = cloud.inspect().channels.find((c) => JSON.stringify(c).includes(body.cid.split(':')[1]!));
    expect(channel).toBeDefined();
    expect(JSON.stringify(channel)).not.toMatch(/"name"|"image"/);
  });

  it('returns the existing channel on a second call', async () => {
    const first = (await (await openChannel(['dr-house', 'nurse-joy'])).json()) as { cid: string };
    const second = (await (await openChannel(['nurse-joy', 'dr-house'])).json()) as { cid: string };
    expect(second.cid).toBe(first.cid);
  });

  it('refuses a peer outside the claim with 403 and creates nothing', async () => {
    const before = cloud.inspect().channels.length;
    const res = await openChannel(['stranger']);
    expect(res.status).toBe(403);
    expect(cloud.inspect().channels.length).toBe(before);
  });

  it('the fetch adapter used on Workers reaches the same channel', async () => {
    const viaNode = (await (await openChannel(['dr-house'])).json()) as { cid: string };
    const app = createApp({ config: readConfig(env), audit: collectingAuditSink() });
    const token = await portalToken(env.PORTAL_JWT_SECRET!, { peers: ['dr-house'] });
    const res = await app.request(
      post('/v1/channels', { token, body: JSON.stringify({ peers: ['dr-house'] }) }),
    );
    expect(res.status).toBe(200);
    expect(((await res.json()) as { cid: string }).cid).toBe(viaNode.cid);
  });
});
