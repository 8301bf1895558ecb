// The organization recipient ("break glass", docs/medical-record.md): a deployment may pin one organization key in
// the token API's configuration; every envelope, edit, tombstone and file is then also encrypted to it, so the
// covered entity can produce the record. The key is pinned by card id and public key, never looked up by name
// alone: a directory that answers with any other card for the organization's identity makes the widget refuse to
// send, instead of encrypting to a key nobody agreed to.
import { SecureChatError } from './errors.js';
import type { CryptoPort, Recipients } from './ports.js';

/** The organization key as the token API's session answer pins it. */
export interface OrganizationKey {
  /** Its identity in the key directory (never a chat user id). */
  readonly identity: string;
  /** The id of its card, as the key ceremony published it. */
  readonly cardId: string;
  /** Its public key: base64 of the key's DER export, as `npm run org-key -- create` prints it. */
  readonly publicKey: string;
  /** The organization's name for the disclosure notice (e.g. "Sunrise Clinic"). */
  readonly name?: string;
}

const text = (value: unknown, max: number): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= max;

/** The organization key of a session answer, or undefined when it has none; a malformed one is an error. */
export function parseOrganization(raw: unknown): OrganizationKey | undefined {
  if (raw === undefined || raw === null) return undefined;
  const o = raw as Partial<Record<keyof OrganizationKey, unknown>>;
  if (!text(o.identity, 200) || !text(o.cardId, 128) || !text(o.publicKey, 4096)) {
    throw new SecureChatError('token-fetch-failed', 'Secure chat got an unreadable organization key.');
  }
  return {
    identity: o.identity,
    cardId: o.cardId,
    publicKey: o.publicKey,
    ...(text(o.name, 200) ? { name: o.name } : {}),
  };
}

/** Base64 of raw bytes (no padding changes: compared with what the ceremony printed). */
function base64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function matches(crypto: CryptoPort, to: Recipients, org: OrganizationKey): boolean {
  const card = crypto.cardOf(to, org.identity);
  return card !== undefined && card.cardId === org.cardId && base64(card.publicKey) === org.publicKey;
}

/**
 * The recipients for `ids`, plus the pinned organization key when there is one. The organization's card is the one
 * the returned handle encrypts to, so the check and the encryption cannot disagree; a mismatch is looked up again
 * once (a stale cache), then refused.
 * @throws SecureChatError 'forbidden' when the directory's organization card is missing or differs from the pin.
 */
export async function recipientsWithOrganization(
  crypto: CryptoPort,
  ids: readonly string[],
  org: OrganizationKey | undefined,
): Promise<Recipients> {
  if (!org) return crypto.lookup(ids);
  const wanted = [...ids.filter((id) => id !== org.identity), org.identity];
  let to = await crypto.lookup(wanted);
  if (!matches(crypto, to, org)) to = await crypto.lookup(wanted, { refresh: [org.identity] });
  if (!matches(crypto, to, org)) {
    throw new SecureChatError(
      'forbidden',
      "The key directory's organization key differs from the one this site pinned; nothing was sent.",
    );
  }
  return to;
}
