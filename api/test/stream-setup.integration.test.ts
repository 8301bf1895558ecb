import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { StreamChat } from 'stream-chat';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startStreamCloud } from '../../demo/local-cloud/stream/server.js';
import type { StreamCloud } from '../../demo/local-cloud/stream/server.js';
import { startNodeApi } from '../src/entries/node.js';
import { runStreamSetup } from '../tools/stream-setup.js';
import { ORIGIN, portalToken, testSecrets } from './helpers.js';

// npm run stream:setup against the Stream stand-in, which starts with the loose grants of a new Stream app.
let dataDir: string;
let cloud: StreamCloud;
let env: Record<string, string>;
beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'api-stream-setup-'));
  const base = testSecrets().env;
  cloud = await startStreamCloud({
    dataDir,
    apiKey: base.STREAM_API_KEY!,
    apiSecret: base.STREAM_API_SECRET!,
  });
  env = { ...base, STREAM_BASE_URL: cloud.url };
});
afterEach(async () => {
  await cloud?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function run(args: string[]): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await runStreamSetup(args, env, (line) => lines.push(line));
  return { code, lines };
}

/** The messaging channel type as the server client reads it, without the per-call `duration`. */
async function messagingType(): Promise<string> {
  const server = new StreamChat(env.STREAM_API_KEY!, env.STREAM_API_SECRET!, { baseURL: cloud.url });
  const { duration: _duration, ...type } = await server.getChannelType('messaging');
  return JSON.stringify(type);
}

/** Whether `alice`, with a user token, can create a channel with `bob` in it. */
async function userCanCreateChannelWithOthers(): Promise<boolean> {
  const server = new StreamChat(env.STREAM_API_KEY!, env.STREAM_API_SECRET!, { baseURL: cloud.url });
  await server.upsertUsers([{ id: 'alice' }, { id: 'bob' }]);
  const alice = new StreamChat(env.STREAM_API_KEY!, { baseURL: cloud.url, allowServerSideConnect: true });
  await alice.connectUser({ id: 'alice' }, server.createToken('alice'));
  try {
    await alice
      .channel('messaging', `c-${Math.random().toString(36).slice(2)}`, { members: ['alice', 'bob'] })
      .create();
    return true;
  } catch (err) {
    if (/code 17/.test(String(err))) return false;
    throw err;
  } finally {
    await alice.disconnectUser();
  }
}

describe('npm run stream:setup against the Stream stand-in', () => {
  it('--check fails on the default app naming each problem, and changes nothing', async () => {
    const before = await messagingType();
    const { code, lines } = await run(['--check']);
    expect(code).toBe(1);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^check: \d+ problems$/),
        expect.stringMatching(
          /^ {2}CRITICAL messaging grants: role user holds create-channel .*\[grants\.user\.create-channel\]$/,
        ),
        expect.stringContaining('[grants.user.update-channel-members-owner]'),
        expect.stringContaining('[grants.channel_moderator.update-channel-members]'),
        expect.stringContaining('[grants.user.update-channel-owner]'),
      ]),
    );
    const after = await messagingType();
    expect(after).toBe(before);
    expect(await userCanCreateChannelWithOthers()).toBe(true);
  });

  it('setup prints each change, then --check passes, a user can no longer create channels, and setup again changes nothing', async () => {
    const setup = await run([]);
    expect(setup.code).toBe(0);
    expect(setup.lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^messaging grants: user: removed create-channel, .*update-channel-members-owner/,
        ),
        expect.stringMatching(/^messaging grants: guest: removed create-channel/),
        expect.stringMatching(/^messaging grants: channel_moderator: removed .*update-channel-members/),
        'app: disable_auth_checks already off',
        'messaging push: already off',
        'setup: 1 change made',
        'check: configured safely',
      ]),
    );

    expect(await run(['--check'])).toEqual({
      code: 0,
      lines: [`Stream app ${env.STREAM_API_KEY} at ${cloud.url}`, 'check: configured safely'],
    });
    expect(await userCanCreateChannelWithOthers()).toBe(false);

    const again = await run([]);
    expect(again.code).toBe(0);
    expect(again.lines).toContain('setup: nothing to change');
    const body = again.lines.slice(1, -2);
    expect(body.every((line) => / already /.test(line))).toBe(true);
  });

  it('the CLI exits non-zero on an unsafe app (npm run stream:setup -- --check)', async () => {
    const script = fileURLToPath(new URL('../tools/stream-setup.ts', import.meta.url));
    const result = await promisify(execFile)(process.execPath, ['--import', 'tsx', script, '--check'], {
      env: { PATH: process.env.PATH, ...env },
    }).then(
      () => ({ code: 0, stdout: '' }),
      (err: { code: number; stdout: string }) => ({ code: err.code, stdout: err.stdout }),
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('[grants.user.create-channel]');
    expect(result.stdout).not.toContain(env.STREAM_API_SECRET!);
  });
});

// The stand-in speaks loopback http:, which NODE_ENV=production refuses; STREAM_APP_CHECK=enforce is the same check.
describe('the Node token API with the production Stream app check, against the stand-in', () => {
  it('checks the app at start, refuses tokens with one log line while it is unsafe, and serves once setup ran', async () => {
    const log: string[] = [];
    const production = { ...env, STREAM_APP_CHECK: 'enforce', AUDIT_LOG: 'off' };
    const unsafe = await startNodeApi(production, { deps: { log: (line) => log.push(line) } });
    try {
      // Logged at start, before any request.
      expect(log).toEqual([
        expect.stringMatching(/^\[token-api\] refusing to issue tokens: .*grants\.user\.create-channel/),
      ]);
      const token = await portalToken(env.PORTAL_JWT_SECRET!);
      const res = await fetch(`${unsafe.url}/v1/session`, {
        method: 'POST',
        headers: { origin: ORIGIN, authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(503);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unavailable');
      const health = await fetch(`${unsafe.url}/healthz?deep=1`);
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({
        streamApp: { status: 'unsafe' },
        stream: { reachable: true },
      });
    } finally {
      await unsafe.close();
    }

    expect((await run([])).code).toBe(0);
    const safe = await startNodeApi(production, { deps: { log: (line) => log.push(line) } });
    try {
      expect(log.at(-1)).toBe('[token-api] Stream app configuration checked: safe');
      const token = await portalToken(env.PORTAL_JWT_SECRET!);
      const res = await fetch(`${safe.url}/v1/session`, {
        method: 'POST',
        headers: { origin: ORIGIN, authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(200);
    } finally {
      await safe.close();
    }
  });
});
