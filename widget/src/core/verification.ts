/**
 * Verified contacts (HIPAA 164.312(d)): which key fingerprint the user checked, per contact, on this device, and
 * the key first seen for every contact (trust on first use, see key-trust.ts). Only ids and SHA-256 key fingerprints
 * are stored, never names or message content.
 */

/** How far a contact's current key is trusted. */
export type ContactTrust =
  | 'unverified' // never compared (the first key seen, or one the user accepted without comparing)
  | 'verified' // the user compared safety codes for exactly this key
  | 'key-changed'; // not the key the user verified, or first saw: warn, and don't trust their messages yet

/**
 * The trust of a contact's current key, given the fingerprint the user verified (if any) and the one pinned when
 * the contact's key was first seen (if any). A verified contact without a key counts as changed.
 */
export function trustFor(
  verified: string | undefined,
  current: string | undefined,
  pinned?: string,
): ContactTrust {
  if (verified) return verified === current ? 'verified' : 'key-changed';
  return pinned !== undefined && current !== undefined && pinned !== current ? 'key-changed' : 'unverified';
}

/** Where verifications are kept (the port; `adapters/idb-verified-contacts.ts` keeps them in IndexedDB). */
export interface VerifiedContacts {
  /** Every contact the owner verified, with the fingerprint they verified. */
  all(owner: string): Promise<Map<string, string>>;
  set(owner: string, contact: string, fingerprint: string): Promise<void>;
  remove(owner: string, contact: string): Promise<void>;
}
