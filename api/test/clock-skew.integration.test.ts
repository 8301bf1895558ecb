import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StreamChat } from 'stream-chat';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStreamCloud } from '../../demo/local-cloud/stream/server.js';
import type { StreamCloud } from '../../demo/local-cloud/stream/server.js';
import { createStreamTokenSigner } from '../src/tokens/stream-token.js';
import { jwtPayload, testSecrets } from './helpers.js';

// Stream refuses a user token whose iat is ahead of its clock (code 42). The stand-in does too, with 5 s of leeway.
let dataDir: string;
let cloud: StreamCloud;
let env: Record<string, string>;
beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'api-clock-skew-'));
  env = testSecrets().env;
  cloud = await startStreamCloud({ dataDir, apiKey: env.STREAM_API_KEY!, apiSecret: env.STREAM_API_SECRET! });
});
afterAll(async () => {
  await cloud?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function connectWith(userId: string, token: string): Promise<void> {
  const client = new StreamChat(env.STREAM_API_KEY!, { baseURL: cloud.url, allowServerSideConnect: true });
  try {
    await client.connectUser({ id: userId }, token);
  } finally {
    await client.disconnectUser();
  }
}

describe('Stream tokens and clock skew', () => {
  it('a token issued by an API whose clock is 30 s ahead of Stream still connects', async () => {
    const aheadMs = Date.now() + 30_000;
    const { token } = await createStreamTokenSigner(env.STREAM_API_SECRET!, 3600).issue('u-ahead', aheadMs);
    expect(jwtPayload(token).iat).toBeLessThan(Date.now() / 1000);
    await expect(connectWith('u-ahead', token)).resolves.toBeUndefined();
  });

  it('the same claims with iat at the issue time are refused (what the backdating avoids)', async () => {
    const server = new StreamChat(env.STREAM_API_KEY!, env.STREAM_API_SECRET!);
    const now = Math.floor(Date.now() / 1000) + 30;
    const token = server.createToken('u-ahead-raw', now + 3600, now);
    await expect(connectWith('u-ahead-raw', token)).rejects.toThrow(/code 42|before issue/i);
  });
});
