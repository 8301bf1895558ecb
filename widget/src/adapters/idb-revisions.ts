// The revision ledger in IndexedDB (`<key-storage-name>-revisions`), next to the key store: ids and revision numbers
// only, never content. Kept across sessions and reloads, so a server that puts an older revision back is caught.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { RevisionLedger, SeenRevision } from '../core/ports.js';

interface Row {
  owner: string;
  cid: string;
  mid: string;
  rev: number;
  tombstone: boolean;
  at: number;
}

interface Schema extends DBSchema {
  revisions: { key: [string, string, string]; value: Row };
}

/** One connection per database name, shared by the sessions of every element using it. */
const connections = new Map<string, Promise<IDBPDatabase<Schema>>>();

export class IdbRevisionLedger implements RevisionLedger {
  constructor(private readonly databaseName: string) {}

  #open(): Promise<IDBPDatabase<Schema>> {
    let db = connections.get(this.databaseName);
    if (!db) {
      db = openDB<Schema>(this.databaseName, 1, {
        upgrade(d) {
          d.createObjectStore('revisions', { keyPath: ['owner', 'cid', 'mid'] });
        },
      });
      // A failed open is tried again by the next call.
      db.catch(() => connections.delete(this.databaseName));
      connections.set(this.databaseName, db);
    }
    return db;
  }

  async conversation(owner: string, cid: string): Promise<Map<string, SeenRevision>> {
    // Keys are [owner, cid, mid]: every message id of the conversation sorts between '' and the highest code unit.
    const range = IDBKeyRange.bound([owner, cid, ''], [owner, cid, '\uffff']);
    const rows = await (await this.#open()).getAll('revisions', range);
    return new Map(rows.map((row) => [row.mid, { rev: row.rev, tombstone: row.tombstone }]));
  }

  async record(owner: string, cid: string, mid: string, rev: number, tombstone = false): Promise<void> {
    // Read and write in one transaction, so two tabs recording at once never lower the revision.
    const tx = (await this.#open()).transaction('revisions', 'readwrite');
    const seen = await tx.store.get([owner, cid, mid]);
    if (!seen || rev > seen.rev || (rev === seen.rev && tombstone && !seen.tombstone))
      await tx.store.put({ owner, cid, mid, rev, tombstone, at: Date.now() });
    await tx.done;
  }
}
