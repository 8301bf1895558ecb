import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { verify } from 'hono/jwt';
import { describe, expect, it } from 'vitest';
import { StreamChat } from 'stream-chat';
import { webCryptoProvider } from '../src/crypto.js';
import { base64url } from '../src/encoding.js';
import { nodeCryptoProvider } from '../src/entries/node-crypto.js';
import { chatUserId, createChatUserIdDeriver } from '../src/identity.js';
import { createStreamTokenSigner } from '../src/tokens/stream-token.js';
import { createVirgilTokenSigner } from '../src/tokens/virgil-token.js';
import { verifyVirgilJwt } from './verifiers.js';

describe('crypto providers', () => {
  const secret = randomBytes(32).toString('hex');
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const appKey = new Uint8Array(privateKey.export({ format: 'der', type: 'pkcs8' }));
  const virgil = { appId: 'app', appKeyId: 'kid', appKey, ttlS: 1200 };
  const now = 1_760_000_000_000;

  it('node:crypto and WebCrypto make byte-identical Stream and Virgil tokens and user ids', async () => {
    for (const user of ['u0', 'u1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d']) {
      const web = await createStreamTokenSigner(secret, 3600, webCryptoProvider).issue(user, now);
      const node = await createStreamTokenSigner(secret, 3600, nodeCryptoProvider).issue(user, now);
      expect(node).toEqual(web);
      const webV = await createVirgilTokenSigner(virgil, webCryptoProvider).issue(user, now);
      const nodeV = await createVirgilTokenSigner(virgil, nodeCryptoProvider).issue(user, now);
      expect(nodeV).toEqual(webV);
    }
    expect(await createChatUserIdDeriver(secret, nodeCryptoProvider)('patient-4711')).toBe(
      await chatUserId('patient-4711', secret),
    );
  });

  it('the Stream token is what stream-chat createToken makes for the same claims, and hono/jwt verifies it', async () => {
    const { token } = await createStreamTokenSigner(secret, 3600).issue('u42', now);
    const iat = now / 1000;
    const payload = await verify(token, secret, 'HS256').catch(() => undefined);
    // hono/jwt checks exp against the real clock, so verify a fresh one too.
    const fresh = await createStreamTokenSigner(secret, 3600).issue('u42');
    expect(await verify(fresh.token, secret, 'HS256')).toMatchObject({ user_id: 'u42' });
    expect(payload).toBeUndefined(); // expired in 2025: the check is real
    const server = new StreamChat('key', secret);
    const theirs = server.createToken('u42', iat + 3600, iat - 60);
    const decode = (t: string) => JSON.parse(Buffer.from(t.split('.')[1]!, 'base64url').toString());
    expect(decode(token)).toEqual(decode(theirs));
  });

  it('Virgil tokens verify with virgil-sdk for ASCII identities', async () => {
    const { token } = await createVirgilTokenSigner(virgil, nodeCryptoProvider).issue('u9f', Date.now());
    const spki = publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
    expect(await verifyVirgilJwt(token, { appKeyId: 'kid', publicKey: spki })).toEqual({
      ok: true,
      identity: 'u9f',
    });
  });

  it('base64url matches Node for every length', () => {
    for (let n = 0; n < 70; n++) {
      const bytes = randomBytes(n);
      expect(base64url(bytes)).toBe(bytes.toString('base64url'));
    }
  });

  it('chat user ids are opaque, stable, ASCII and valid Stream ids', async () => {
    const a = await chatUserId('Jane Doe <jane@example.com> MRN 12345', secret);
    expect(a).toMatch(/^u[0-9a-f]{32}$/);
    expect(await chatUserId('Jane Doe <jane@example.com> MRN 12345', secret)).toBe(a);
    expect(await chatUserId('Jane Doe <jane@example.com> MRN 12346', secret)).not.toBe(a);
    expect(
      await chatUserId('Jane Doe <jane@example.com> MRN 12345', randomBytes(32).toString('hex')),
    ).not.toBe(a);
  });
});
