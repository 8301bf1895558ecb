import { initCrypto, VirgilAccessTokenSigner, VirgilCardCrypto, VirgilCrypto } from 'virgil-crypto';
import {
  CardManager,
  GeneratorJwtProvider,
  Jwt,
  JwtGenerator,
  JwtVerifier,
  VirgilCardVerifier,
  type ICard,
} from 'virgil-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintVirgilJwt } from '../jwt.js';
import { TestCloud, uniqueIdentity } from './harness.js';

let crypto: VirgilCrypto;
const env = new TestCloud();

beforeAll(async () => {
  await initCrypto();
  crypto = new VirgilCrypto();
  await env.start({ clockLeewaySeconds: 5 });
});
afterAll(() => env.dispose());

function jwtGenerator(appKeyId = env.app.appKeyId, millisecondsToLive = 10 * 60 * 1000): JwtGenerator {
  return new JwtGenerator({
    appId: env.app.appId,
    apiKeyId: appKeyId,
    apiKey: crypto.importPrivateKey(env.app.appKey),
    accessTokenSigner: new VirgilAccessTokenSigner(crypto),
    millisecondsToLive,
  });
}

/** A CardManager as e3kit builds it, but with self and stand-in signatures verified client-side. */
function cardManager(identity: string, generator = jwtGenerator()): CardManager {
  const cardCrypto = new VirgilCardCrypto(crypto);
  return new CardManager({
    cardCrypto,
    cardVerifier: new VirgilCardVerifier(cardCrypto, {
      verifySelfSignature: true,
      verifyVirgilSignature: false,
      whitelists: [[{ signer: 'virgil', publicKeyBase64: env.cloud.inspect().cardsServicePublicKey }]],
    }),
    accessTokenProvider: new GeneratorJwtProvider(generator, undefined, identity),
    retryOnUnauthorized: true,
    apiUrl: env.cloud.url,
  });
}

async function publish(manager: CardManager, previousCardId?: string): Promise<ICard> {
  const { privateKey, publicKey } = crypto.generateKeys();
  return manager.publishCard({ privateKey, publicKey, ...(previousCardId ? { previousCardId } : {}) });
}

describe('Virgil JWTs', () => {
  it('mints tokens that virgil-sdk JwtVerifier accepts, and only with the right public key', () => {
    const verifier = (publicKeyBase64: string) =>
      new JwtVerifier({
        apiKeyId: env.app.appKeyId,
        apiPublicKey: crypto.importPublicKey(publicKeyBase64),
        accessTokenSigner: new VirgilAccessTokenSigner(crypto),
      });
    const appPublicKey = crypto.exportPublicKey(
      crypto.extractPublicKey(crypto.importPrivateKey(env.app.appKey)),
    );
    const token = Jwt.fromString(mintVirgilJwt({ ...env.app, identity: 'alice', ttlSeconds: 60 }));
    expect(token.identity()).toBe('alice');
    expect(verifier(appPublicKey.toString('base64')).verifyToken(token)).toBe(true);
    const otherKey = crypto.exportPublicKey(crypto.generateKeys().publicKey).toString('base64');
    expect(verifier(otherKey).verifyToken(token)).toBe(false);
  });

  it('accepts tokens made by virgil-sdk JwtGenerator', async () => {
    const identity = uniqueIdentity('gen');
    const token = jwtGenerator().generateToken(identity).toString();
    const { status, json } = await env.request('POST', '/card/v5/actions/search', {
      token,
      body: { identities: [identity] },
    });
    expect(status).toBe(200);
    expect(json).toEqual([]);
  });

  it.each([
    ['no Authorization header', null, 20300],
    ['a Bearer token', 'Bearer x', 20300],
    ['a malformed token', 'Virgil abc.def', 20301],
    ['a wrong App Key ID', 'wrong-kid', 20305],
    ['a token of another app', 'wrong-app', 20306],
    ['a tampered body', 'tampered', 20303],
    ['an expired token', 'expired', 20304],
  ])('answers 401 for %s', async (_name, kind, code) => {
    const identity = uniqueIdentity('auth');
    const headers: Record<string, string> = {};
    if (kind === 'Bearer x' || kind === 'Virgil abc.def') headers.authorization = kind;
    if (kind === 'wrong-kid')
      headers.authorization = `Virgil ${mintVirgilJwt({ ...env.app, appKeyId: 'other-kid', identity })}`;
    if (kind === 'wrong-app')
      headers.authorization = `Virgil ${mintVirgilJwt({ ...env.app, appId: 'other-app', identity })}`;
    if (kind === 'expired')
      headers.authorization = `Virgil ${mintVirgilJwt({ ...env.app, identity, ttlSeconds: -10 })}`;
    if (kind === 'tampered') {
      const [header, , signature] = env.token(identity).split('.');
      const forgedBody = Buffer.from(
        JSON.stringify({ iss: `virgil-${env.app.appId}`, sub: 'identity-mallory', iat: 1, exp: 4e9 }),
      ).toString('base64url');
      headers.authorization = `Virgil ${header}.${forgedBody}.${signature}`;
    }
    const { status, json } = await env.request('POST', '/card/v5/actions/search', {
      token: null,
      headers,
      body: { identities: [identity] },
    });
    expect(status).toBe(401);
    expect(json).toMatchObject({ code });
    expect((json as { message: string }).message).not.toBe('');
  });

  it('accepts a token that expired within the clock leeway', async () => {
    const identity = uniqueIdentity('skewed');
    const token = mintVirgilJwt({ ...env.app, identity, ttlSeconds: -2 });
    const { status } = await env.request('POST', '/card/v5/actions/search', {
      token,
      body: { identities: [identity] },
    });
    expect(status).toBe(200);
  });

  it('lets the cards client recover from 401/20304 by asking for a new token', async () => {
    const identity = uniqueIdentity('retry');
    let calls = 0;
    // The first token is already expired beyond the leeway; the retry gets a fresh one.
    const provider = {
      getToken: async () =>
        Jwt.fromString(mintVirgilJwt({ ...env.app, identity, ttlSeconds: calls++ === 0 ? -60 : 600 })),
    };
    const cardCrypto = new VirgilCardCrypto(crypto);
    const manager = new CardManager({
      cardCrypto,
      cardVerifier: new VirgilCardVerifier(cardCrypto, {
        verifySelfSignature: true,
        verifyVirgilSignature: false,
      }),
      accessTokenProvider: provider,
      retryOnUnauthorized: true,
      apiUrl: env.cloud.url,
    });
    expect(await manager.searchCards(identity)).toEqual([]);
    expect(calls).toBe(2);
  });
});

describe('Cards v5 through virgil-sdk CardManager', () => {
  it('publishes, gets and searches a card whose snapshot comes back byte for byte', async () => {
    const identity = uniqueIdentity('alice');
    const manager = cardManager(identity);
    const card = await publish(manager);
    expect(card.identity).toBe(identity);
    expect(card.signatures.map((s) => s.signer)).toEqual(['self', 'virgil']);
    const fetched = await manager.getCard(card.id);
    expect(fetched.contentSnapshot).toBe(card.contentSnapshot);
    expect(fetched.isOutdated).toBe(false);
    const found = await manager.searchCards([identity, uniqueIdentity('nobody')]);
    expect(found.map((c) => c.id)).toEqual([card.id]);
    const stored = env.cloud.inspect().cards.find((c) => c.id === card.id);
    expect(stored).toMatchObject({ identity, revoked: false, supersededBy: null });
  });

  it('links rotated cards in chains and marks the old card superseded', async () => {
    const identity = uniqueIdentity('rotator');
    const manager = cardManager(identity);
    const first = await publish(manager);
    const second = await publish(manager, first.id);
    const [head, ...rest] = await manager.searchCards(identity);
    expect(rest).toEqual([]);
    expect(head?.id).toBe(second.id);
    expect(head?.previousCard?.id).toBe(first.id);
    expect((await manager.getCard(first.id)).isOutdated).toBe(true);
    expect((await manager.getCard(second.id)).isOutdated).toBe(false);
    await expect(publish(manager, first.id)).rejects.toMatchObject({ httpStatus: 400, errorCode: 40013 });
  });

  it('revokes a chain so the identity can register again, and only for its owner', async () => {
    const identity = uniqueIdentity('leaver');
    const manager = cardManager(identity);
    const first = await publish(manager);
    const second = await publish(manager, first.id);
    await expect(cardManager(uniqueIdentity('mallory')).revokeCard(second.id)).rejects.toMatchObject({
      httpStatus: 403,
      errorCode: 40300,
    });
    await manager.revokeCard(second.id);
    expect(await manager.searchCards(identity)).toEqual([]);
    expect((await manager.getCard(first.id)).isOutdated).toBe(true);
    const fresh = await publish(manager);
    expect((await manager.searchCards(identity)).map((c) => c.id)).toEqual([fresh.id]);
  });

  it('answers 404/10001 for an unknown card id', async () => {
    await expect(cardManager('someone').getCard('0'.repeat(64))).rejects.toMatchObject({
      httpStatus: 404,
      errorCode: 10001,
    });
  });

  it('rejects a forged self signature', async () => {
    const identity = uniqueIdentity('forger');
    const manager = cardManager(identity);
    // A snapshot claiming the victim's public key, self-signed with the forger's own key.
    const victimKeys = crypto.generateKeys();
    const forged = manager.generateRawCard({
      privateKey: crypto.generateKeys().privateKey,
      publicKey: victimKeys.publicKey,
      identity,
    });
    const forgedJson = forged.toJson();
    const { status, json } = await env.request('POST', '/card/v5', { identity, body: forgedJson });
    expect(status).toBe(400);
    expect(json).toMatchObject({ code: 40012 });
  });

  it('rejects a card for another identity than the token', async () => {
    const manager = cardManager('eve');
    const raw = manager.generateRawCard({ ...crypto.generateKeys(), identity: uniqueIdentity('victim') });
    const { status, json } = await env.request('POST', '/card/v5', { identity: 'eve', body: raw.toJson() });
    expect(status).toBe(400);
    expect(json).toMatchObject({ code: 40011 });
  });

  it('rejects more than 50 identities per search', async () => {
    const identities = Array.from({ length: 51 }, (_, i) => `id-${i}`);
    const { status, json } = await env.request('POST', '/card/v5/actions/search', { body: { identities } });
    expect(status).toBe(400);
    expect(json).toMatchObject({ code: 40016 });
  });
});
