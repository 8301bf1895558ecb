/**
 * Verified contacts (HIPAA 164.312(d)): which key fingerprint the user checked, per contact, on this device.
 * Only ids and SHA-256 key fingerprints are stored, never names or message content.
 */

/** How far a contact's current key is trusted. */
export type ContactTrust =
  | 'unverified' // never compared, or the user accepted a change without comparing
  | 'verified' // the user compared safety codes for exactly this key
  | 'key-changed'; // the user had verified a different key: warn, and don't trust new messages yet

/** The trust of a contact's current key, given the fingerprint the user verified (if any). */
export function trustFor(verified: string | undefined, current: string | undefined): ContactTrust {
  if (!verified) return 'unverified';
  return verified === current ? 'verified' : 'key-changed';
}

/** Where verifications are kept (the port; `adapters/idb-verified-contacts.ts` keeps them in IndexedDB). */
export interface VerifiedContacts {
  /** Every contact the owner verified, with the fingerprint they verified. */
  all(owner: string): Promise<Map<string, string>>;
  set(owner: string, contact: string, fingerprint: string): Promise<void>;
  remove(owner: string, contact: string): Promise<void>;
}
