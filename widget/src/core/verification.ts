/**
 * Verified contacts (HIPAA 164.312(d)): which key fingerprint the user checked, per contact, on this device.
 * Only ids and SHA-256 key fingerprints are stored, never names or message content.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

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

/** Where verifications are kept. */
export interface VerifiedContacts {
  /** Every contact the owner verified, with the fingerprint they verified. */
  all(owner: string): Promise<Map<string, string>>;
  set(owner: string, contact: string, fingerprint: string): Promise<void>;
  remove(owner: string, contact: string): Promise<void>;
}

interface Schema extends DBSchema {
  verified: {
    key: [string, string];
    value: { owner: string; contact: string; fingerprint: string; at: number };
  };
}

/** IndexedDB store, next to (not inside) the key store. */
export class IdbVerifiedContacts implements VerifiedContacts {
  #db: Promise<IDBPDatabase<Schema>> | undefined;
  constructor(private readonly databaseName: string) {}

  #open(): Promise<IDBPDatabase<Schema>> {
    this.#db ??= openDB<Schema>(this.databaseName, 1, {
      upgrade(db) {
        db.createObjectStore('verified', { keyPath: ['owner', 'contact'] });
      },
    });
    return this.#db;
  }

  async all(owner: string): Promise<Map<string, string>> {
    const rows = await (
      await this.#open()
    ).getAll('verified', IDBKeyRange.bound([owner, ''], [owner, '\uffff']));
    return new Map(rows.map((row) => [row.contact, row.fingerprint]));
  }

  async set(owner: string, contact: string, fingerprint: string): Promise<void> {
    await (await this.#open()).put('verified', { owner, contact, fingerprint, at: Date.now() });
  }

  async remove(owner: string, contact: string): Promise<void> {
    await (await this.#open()).delete('verified', [owner, contact]);
  }
}
