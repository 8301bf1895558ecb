// Verified contacts in IndexedDB, next to (not inside) the key store: ids and key fingerprints only.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { VerifiedContacts } from '../core/verification.js';

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
