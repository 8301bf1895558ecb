/**
 * @module
 * The organization key ceremony (docs/medical-record.md). `createOrganizationKey` generates the key pair offline
 * with virgil-crypto and splits the private key M-of-N with Shamir's secret sharing (`shamir-secret-sharing`,
 * independently audited); only the public card is published. `rebuildOrganizationKey` combines M shares and refuses
 * any result whose public key is not the one the shares name: fewer than M shares, shares of two ceremonies or a
 * corrupted share never pass for the key.
 *
 * A share reads `scorg1.<M>.<key fingerprint>.<share, base64url>`. The fingerprint (first 8 bytes of the public key's
 * SHA-256) is public; a single share says nothing about the private key (Shamir: any M-1 shares are uniformly random).
 */
import { createHash } from 'node:crypto';
import { combine, split } from 'shamir-secret-sharing';
import type { VirgilPrivateKey, VirgilPublicKey } from 'virgil-crypto';
import { cardManager, virgilCrypto, type VirgilAccess } from './virgil.js';

const SHARE_PREFIX = 'scorg1';

export interface OrganizationShares {
  /** Base64 of the public key's DER export: `ORGANIZATION_PUBLIC_KEY`. */
  readonly publicKey: string;
  readonly fingerprint: string;
  /** One line per custodian. */
  readonly shares: readonly string[];
  readonly threshold: number;
}

/** The public key's fingerprint as shares carry it: 16 hex characters. */
export function fingerprintOf(publicKeyDer: Uint8Array): string {
  return createHash('sha256').update(publicKeyDer).digest('hex').slice(0, 16);
}

export function encodeShare(threshold: number, fingerprint: string, share: Uint8Array): string {
  return `${SHARE_PREFIX}.${threshold}.${fingerprint}.${Buffer.from(share).toString('base64url')}`;
}

export interface DecodedShare {
  readonly threshold: number;
  readonly fingerprint: string;
  readonly bytes: Uint8Array;
}

export function decodeShare(text: string): DecodedShare {
  const [prefix, m, fingerprint, body] = text.trim().split('.');
  const threshold = Number(m);
  if (
    prefix !== SHARE_PREFIX ||
    !Number.isInteger(threshold) ||
    threshold < 2 ||
    !/^[0-9a-f]{16}$/.test(fingerprint ?? '') ||
    !body
  )
    throw new Error('not an organization key share (scorg1.<M>.<fingerprint>.<share>)');
  return { threshold, fingerprint: fingerprint!, bytes: new Uint8Array(Buffer.from(body, 'base64url')) };
}

export interface KeyPair {
  readonly privateKey: VirgilPrivateKey;
  readonly publicKey: VirgilPublicKey;
}

/**
 * Publishes the organization's card (public key, self-signed) as `identity`; resolves with the card id. A card the
 * identity already has is replaced (the new card names it as previous): a new ceremony rotates the key, and
 * messages sealed before stay readable with the old shares only.
 */
export function publishTo(access: VirgilAccess, identity: string) {
  return async ({ privateKey, publicKey }: KeyPair): Promise<string> => {
    const manager = await cardManager(access, identity);
    const previous = (await manager.searchCards(identity)).find((c) => c.identity === identity);
    const card = await manager.publishCard({
      privateKey,
      publicKey,
      ...(previous ? { previousCardId: previous.id } : {}),
    });
    return card.id;
  };
}

/**
 * Generates a key pair, lets `publish` publish its card, and splits the private key into `total` shares, any
 * `threshold` of which rebuild it. The private key stays in memory: `privateKeyDer` is for `--out` only.
 */
export async function createOrganizationKey(
  total: number,
  threshold: number,
  publish: (pair: KeyPair) => Promise<string | undefined>,
): Promise<OrganizationShares & { cardId: string | undefined; privateKeyDer: Uint8Array }> {
  if (
    !Number.isInteger(threshold) ||
    !Number.isInteger(total) ||
    threshold < 2 ||
    total < threshold ||
    total > 255
  )
    throw new Error('shares must satisfy 2 <= M <= N <= 255');
  const crypto = await virgilCrypto();
  const { privateKey, publicKey } = crypto.generateKeys();
  const publicDer = new Uint8Array(crypto.exportPublicKey(publicKey));
  const secret = new Uint8Array(crypto.exportPrivateKey(privateKey));
  const fingerprint = fingerprintOf(publicDer);
  const parts = await split(secret, total, threshold);
  const cardId = await publish({ privateKey, publicKey });
  return {
    cardId,
    publicKey: Buffer.from(publicDer).toString('base64'),
    fingerprint,
    threshold,
    shares: parts.map((part) => encodeShare(threshold, fingerprint, part)),
    privateKeyDer: secret,
  };
}

/**
 * Rebuilds the organization's private key from shares (M or more, of one ceremony).
 * @throws Error when there are too few, when they disagree, or when the result is not the shares' key.
 */
export async function rebuildOrganizationKey(
  lines: readonly string[],
): Promise<{ privateKey: VirgilPrivateKey; privateKeyDer: Uint8Array; publicKey: string }> {
  const shares = lines.map(decodeShare);
  const first = shares[0];
  if (!first) throw new Error('no shares given');
  if (shares.some((s) => s.fingerprint !== first.fingerprint || s.threshold !== first.threshold))
    throw new Error('the shares come from different organization keys');
  const distinct = new Set(shares.map((s) => Buffer.from(s.bytes).toString('hex')));
  if (distinct.size < first.threshold)
    throw new Error(`${first.threshold} different shares are needed, ${distinct.size} given`);
  const secret = await combine(shares.map((s) => s.bytes));
  const crypto = await virgilCrypto();
  let privateKey: VirgilPrivateKey;
  try {
    privateKey = crypto.importPrivateKey(secret);
  } catch {
    throw new Error('the shares do not rebuild the organization key');
  }
  const publicDer = new Uint8Array(crypto.exportPublicKey(crypto.extractPublicKey(privateKey)));
  if (fingerprintOf(publicDer) !== first.fingerprint)
    throw new Error('the shares do not rebuild the organization key');
  return { privateKey, privateKeyDer: secret, publicKey: Buffer.from(publicDer).toString('base64') };
}
