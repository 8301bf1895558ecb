// The members the user agreed to, per conversation, in IndexedDB (`<key-storage-name>-members`): ids only, scoped by
// the signed-in user's id. See core/membership.ts.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { PinnedMembers } from '../core/ports.js';

interface Schema extends DBSchema {
  pinned: {
    key: [string, string];
    value: { owner: string; cid: string; members: string[]; at: number };
  };
}

/** IndexedDB store of pinned members, next to (not inside) the key store. */
export class IdbPinnedMembers implements PinnedMembers {
  #db: Promise<IDBPDatabase<Schema>> | undefined;
  constructor(private readonly databaseName: string) {}

  #open(): Promise<IDBPDatabase<Schema>> {
    this.#db ??= openDB<Schema>(this.databaseName, 1, {
      upgrade(db) {
        db.createObjectStore('pinned', { keyPath: ['owner', 'cid'] });
      },
    });
    return this.#db;
  }

  async get(owner: string, cid: string): Promise<readonly string[] | undefined> {
    const row = await (await this.#open()).get('pinned', [owner, cid]);
    return Array.isArray(row?.members) ? row.members.filter((id) => typeof id === 'string') : undefined;
  }

  async set(owner: string, cid: string, members: readonly string[]): Promise<void> {
    await (await this.#open()).put('pinned', { owner, cid, members: [...members], at: Date.now() });
  }
}
