import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectingAuditSink } from '../src/audit.js';
import { startNodeApi } from '../src/entries/node.js';
import type { RunningApi } from '../src/entries/node.js';
import { ORIGIN, portalToken, productionSecrets, testSecrets } from './helpers.js';
import type { TestSecrets } from './helpers.js';
import { verifyHs256, verifyVirgilJwt } from './verifiers.js';

let secrets: TestSecrets;
let api: RunningApi;
const audit = collectingAuditSink();
beforeAll(async () => {
  secrets = testSecrets();
  api = await startNodeApi(secrets.env, { deps: { audit } });
});
afterAll(() => api.close());

describe('Node runtime (node-server on loopback)', () => {
  it('listens on 127.0.0.1 with an ephemeral port and answers /healthz', async () => {
    expect(api.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${api.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('issues a session over real HTTP', async () => {
    const token = await portalToken(secrets.env.PORTAL_JWT_SECRET!);
    const res = await fetch(`${api.url}/v1/session`, {
      method: 'POST',
      headers: { origin: ORIGIN, authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(verifyHs256(body.stream.token, secrets.env.STREAM_API_SECRET!)).toBe(true);
    const virgil = await verifyVirgilJwt(body.virgil.token, {
      appKeyId: secrets.env.VIRGIL_APP_KEY_ID!,
      publicKey: secrets.virgilPublicKey,
    });
    expect(virgil.ok).toBe(true);
    expect(audit.events.at(-1)).toMatchObject({ outcome: 'issued', userId: body.user.id });
  });

  it('refuses a wrong origin over real HTTP', async () => {
    const res = await fetch(`${api.url}/v1/session`, {
      method: 'POST',
      headers: { origin: 'https://evil.example' },
    });
    expect(res.status).toBe(403);
  });

  it('rate-limits by the socket address', async () => {
    const limited = await startNodeApi(
      { ...secrets.env, RATE_LIMIT_PER_IP: '1' },
      { deps: { audit: collectingAuditSink() } },
    );
    try {
      const hit = () => fetch(`${limited.url}/v1/session`, { method: 'POST', headers: { origin: ORIGIN } });
      expect((await hit()).status).toBe(401);
      expect((await hit()).status).toBe(429);
    } finally {
      await limited.close();
    }
  });

  it('refuses to start on an invalid configuration, naming the variable', async () => {
    await expect(startNodeApi({ ...secrets.env, USER_ID_SECRET: '' })).rejects.toThrow(
      /USER_ID_SECRET is required/,
    );
    await expect(
      startNodeApi(productionSecrets({ VIRGIL_API_URL: 'http://127.0.0.1:9/virgil' }).env),
    ).rejects.toThrow(/VIRGIL_API_URL must use https: with NODE_ENV=production/);
  });

  it('without TRUSTED_PROXY_HOPS, a client cannot escape the limit with X-Forwarded-For', async () => {
    const limited = await startNodeApi(
      { ...secrets.env, RATE_LIMIT_PER_IP: '1' },
      { deps: { audit: collectingAuditSink() } },
    );
    try {
      const hit = (forwarded: string) =>
        fetch(`${limited.url}/v1/session`, {
          method: 'POST',
          headers: { origin: ORIGIN, 'x-forwarded-for': forwarded },
        });
      expect((await hit('203.0.113.1')).status).toBe(401);
      expect((await hit('203.0.113.2')).status).toBe(429);
    } finally {
      await limited.close();
    }
  });
});
