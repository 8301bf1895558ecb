import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIENCE, ISSUER, post, testApp, testSecrets } from './helpers.js';

// The portal publishes its session keys as a JWKS over HTTP; the API fetches it with jose's remote key set.
const { privateKey, publicKey } = generateKeyPairSync('ed25519');
let jwksServer: Server;
let jwksUrl: string;
let env: Record<string, string>;
beforeAll(async () => {
  const jwk = { ...(await exportJWK(publicKey)), kid: 'portal-1', alg: 'EdDSA', use: 'sig' };
  jwksServer = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/.well-known/jwks.json`;
  const { PORTAL_JWT_SECRET: _secret, ...rest } = testSecrets().env;
  env = { ...rest, PORTAL_JWKS_URL: jwksUrl };
});
afterAll(() => new Promise<void>((resolve) => jwksServer.close(() => resolve())));

const sign = (kid = 'portal-1') =>
  new SignJWT({ sub: 'patient-4711' })
    .setProtectedHeader({ alg: 'EdDSA', kid })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setExpirationTime('5m')
    .sign(privateKey);

describe('portal keys from PORTAL_JWKS_URL', () => {
  it('accepts an EdDSA session token signed with a published key', async () => {
    const { app } = testApp(env);
    const res = await app.request(post('/v1/virgil-credentials', { token: await sign() }));
    expect(res.status).toBe(200);
  });

  it('refuses a token whose key is not published, and an HS256 token', async () => {
    const { app, audit } = testApp(env);
    expect((await app.request(post('/v1/virgil-credentials', { token: await sign('unknown') }))).status).toBe(
      401,
    );
    const hs = await new SignJWT({ sub: 'x' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime('5m')
      .sign(new Uint8Array(32));
    expect((await app.request(post('/v1/virgil-credentials', { token: hs }))).status).toBe(401);
    expect(audit.events.map((e) => e.reason)).toEqual(['token-key', 'token-key']);
  });

  it('answers 502 when the key set cannot be fetched', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { app, errors } = testApp({ ...env, PORTAL_JWKS_URL: `http://127.0.0.1:${port}/jwks.json` });
    const res = await app.request(post('/v1/virgil-credentials', { token: await sign() }));
    expect(res.status).toBe(502);
    expect((await res.json()).error.code).toBe('upstream-failed');
    expect(errors).toEqual([]);
  });
});
