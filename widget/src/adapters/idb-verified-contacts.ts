// Verified contacts and the keys first seen for every contact (trust on first use), in IndexedDB next to (not inside)
// the key store: owner and contact ids and SHA-256 key fingerprints only.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { PinnedKeys } from '../core/key-trust.js';
import type { VerifiedContacts } from '../core/verification.js';

interface Row {
  owner: string;
  contact: string;
  fingerprint: string;
  at: number;
}

interface Schema extends DBSchema {
  /** The key the user compared safety codes for. */
  verified: { key: [string, string]; value: Row };
  /** The first key seen for the contact, or the one the user accepted or verified since (version 2). */
  pinned: { key: [string, string]; value: Row };
}

const ofOwner = (owner: string) => IDBKeyRange.bound([owner, ''], [owner, '\uffff']);

/** IndexedDB store `<key-storage-name>-verified`. */
export class IdbVerifiedContacts implements VerifiedContacts, PinnedKeys {
  #db: Promise<IDBPDatabase<Schema>> | undefined;
  constructor(private readonly databaseName: string) {}

  #open(): Promise<IDBPDatabase<Schema>> {
    this.#db ??= openDB<Schema>(this.databaseName, 2, {
      async upgrade(db, oldVersion, _newVersion, tx) {
        const key = { keyPath: ['owner', 'contact'] };
        if (!db.objectStoreNames.contains('verified')) db.createObjectStore('verified', key);
        if (oldVersion < 2 && !db.objectStoreNames.contains('pinned')) {
          const pinned = db.createObjectStore('pinned', key);
          // A contact verified before pins existed keeps the verified key as theirs.
          for (const row of await tx.objectStore('verified').getAll()) await pinned.put(row);
        }
      },
      // Another tab opens a newer version: let it upgrade; this instance opens again on its next use.
      blocking: () => {
        void this.#db?.then((db) => db.close());
        this.#db = undefined;
      },
    });
    return this.#db;
  }

  async all(owner: string): Promise<Map<string, string>> {
    const rows = await (await this.#open()).getAll('verified', ofOwner(owner));
    return new Map(rows.map((row) => [row.contact, row.fingerprint]));
  }

  async set(owner: string, contact: string, fingerprint: string): Promise<void> {
    await (await this.#open()).put('verified', { owner, contact, fingerprint, at: Date.now() });
  }

  async remove(owner: string, contact: string): Promise<void> {
    await (await this.#open()).delete('verified', [owner, contact]);
  }

  async pins(owner: string): Promise<Map<string, string>> {
    const rows = await (await this.#open()).getAll('pinned', ofOwner(owner));
    return new Map(rows.map((row) => [row.contact, row.fingerprint]));
  }

  async pin(owner: string, contact: string, fingerprint: string): Promise<void> {
    await (await this.#open()).put('pinned', { owner, contact, fingerprint, at: Date.now() });
  }
}
