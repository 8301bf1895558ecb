/**
 * The stand-in's persistent state in one SQLite file (better-sqlite3 12): cards, Keyknox v1 blobs,
 * Keyknox v2 entries with one copy per recipient, and the service's own secrets.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS cards (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  app_id TEXT NOT NULL,
  identity TEXT NOT NULL,
  previous_card_id TEXT,
  raw_card TEXT NOT NULL,
  superseded_by TEXT,
  revoked INTEGER NOT NULL DEFAULT 0,
  stored_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS cards_by_identity ON cards (app_id, identity);
CREATE TABLE IF NOT EXISTS keyknox_v1 (
  app_id TEXT NOT NULL, identity TEXT NOT NULL,
  meta TEXT NOT NULL, value TEXT NOT NULL, version INTEGER NOT NULL, hash TEXT NOT NULL,
  PRIMARY KEY (app_id, identity)
);
CREATE TABLE IF NOT EXISTS keyknox_v2_entries (
  app_id TEXT NOT NULL, owner TEXT NOT NULL, root TEXT NOT NULL, path TEXT NOT NULL, key TEXT NOT NULL,
  hash TEXT NOT NULL,
  PRIMARY KEY (app_id, owner, root, path, key)
);
CREATE TABLE IF NOT EXISTS keyknox_v2_copies (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  app_id TEXT NOT NULL, owner TEXT NOT NULL, root TEXT NOT NULL, path TEXT NOT NULL, key TEXT NOT NULL,
  identity TEXT NOT NULL, meta TEXT NOT NULL, value TEXT NOT NULL,
  UNIQUE (app_id, owner, root, path, key, identity)
);
`;

export interface CardRow {
  id: string;
  appId: string;
  identity: string;
  previousCardId: string | null;
  /** The raw signed model as stored, returned verbatim. */
  rawCard: string;
  supersededBy: string | null;
  revoked: boolean;
}

export interface KeyknoxV1Row {
  appId: string;
  identity: string;
  meta: string;
  value: string;
  version: number;
  hash: string;
}

/** Addresses one Keyknox v2 entry. */
export interface EntryAddress {
  appId: string;
  owner: string;
  root: string;
  path: string;
  key: string;
}

export interface KeyknoxV2Copy {
  identity: string;
  meta: string;
  value: string;
}

export interface KeyknoxV2Entry extends EntryAddress {
  hash: string;
  copies: KeyknoxV2Copy[];
}

/** Optional filters for listing or resetting v2 entries of one owner. */
export interface EntryFilter {
  appId: string;
  owner: string;
  root?: string | undefined;
  path?: string | undefined;
  key?: string | undefined;
}

interface DbCard {
  id: string;
  app_id: string;
  identity: string;
  previous_card_id: string | null;
  raw_card: string;
  superseded_by: string | null;
  revoked: number;
}

const toCard = (r: DbCard): CardRow => ({
  id: r.id,
  appId: r.app_id,
  identity: r.identity,
  previousCardId: r.previous_card_id,
  rawCard: r.raw_card,
  supersededBy: r.superseded_by,
  revoked: r.revoked === 1,
});

const ADDRESS = 'app_id = @appId AND owner = @owner AND root = @root AND path = @path AND key = @key';

/** Builds `AND column = @param` clauses for the filters that are set. */
function filterClause(filter: EntryFilter): string {
  return (['root', 'path', 'key'] as const)
    .filter((name) => filter[name] !== undefined)
    .map((name) => ` AND ${name} = @${name}`)
    .join('');
}

/** All SQL the stand-in runs. Methods are synchronous; wrap multi-step changes in `transaction`. */
export class VirgilStore {
  readonly #db: Database.Database;

  /** Opens (or creates) `<dataDir>/virgil.sqlite`. */
  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
    this.#db = new Database(join(dataDir, 'virgil.sqlite'));
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = NORMAL');
    this.#db.exec(SCHEMA);
  }

  transaction<T>(work: () => T): T {
    return this.#db.transaction(work)();
  }

  close(): void {
    this.#db.close();
  }

  // --- settings ---

  /** Returns the stored setting, creating it with `create()` on first use. */
  setting(name: string, create: () => string): string {
    const row = this.#db.prepare('SELECT value FROM settings WHERE name = ?').get(name) as
      { value: string } | undefined;
    if (row) return row.value;
    const value = create();
    this.#db.prepare('INSERT INTO settings (name, value) VALUES (?, ?)').run(name, value);
    return value;
  }

  settingNames(): string[] {
    return (this.#db.prepare('SELECT name FROM settings ORDER BY name').all() as { name: string }[]).map(
      (r) => r.name,
    );
  }

  // --- cards ---

  insertCard(card: Omit<CardRow, 'supersededBy' | 'revoked'>): void {
    this.#db
      .prepare(
        `INSERT INTO cards (id, app_id, identity, previous_card_id, raw_card, stored_at)
         VALUES (@id, @appId, @identity, @previousCardId, @rawCard, @storedAt)`,
      )
      .run({ ...card, storedAt: Date.now() });
  }

  getCard(appId: string, id: string): CardRow | undefined {
    const row = this.#db.prepare('SELECT * FROM cards WHERE app_id = ? AND id = ?').get(appId, id) as
      DbCard | undefined;
    return row && toCard(row);
  }

  hasCardId(id: string): boolean {
    return this.#db.prepare('SELECT 1 FROM cards WHERE id = ?').get(id) !== undefined;
  }

  /** Non-revoked cards of the given identities, superseded ones included, oldest first. */
  searchCards(appId: string, identities: readonly string[]): CardRow[] {
    if (identities.length === 0) return [];
    const marks = identities.map(() => '?').join(', ');
    const rows = this.#db
      .prepare(`SELECT * FROM cards WHERE app_id = ? AND revoked = 0 AND identity IN (${marks}) ORDER BY seq`)
      .all(appId, ...identities) as DbCard[];
    return rows.map(toCard);
  }

  markSuperseded(appId: string, id: string, by: string): void {
    this.#db.prepare('UPDATE cards SET superseded_by = ? WHERE app_id = ? AND id = ?').run(by, appId, id);
  }

  markRevoked(appId: string, id: string): void {
    this.#db.prepare('UPDATE cards SET revoked = 1 WHERE app_id = ? AND id = ?').run(appId, id);
  }

  allCards(): CardRow[] {
    return (this.#db.prepare('SELECT * FROM cards ORDER BY seq').all() as DbCard[]).map(toCard);
  }

  // --- Keyknox v1 ---

  getV1(appId: string, identity: string): KeyknoxV1Row | undefined {
    return this.#db
      .prepare(
        `SELECT app_id AS appId, identity, meta, value, version, hash FROM keyknox_v1
         WHERE app_id = ? AND identity = ?`,
      )
      .get(appId, identity) as KeyknoxV1Row | undefined;
  }

  putV1(row: KeyknoxV1Row): void {
    this.#db
      .prepare(
        `INSERT INTO keyknox_v1 (app_id, identity, meta, value, version, hash)
         VALUES (@appId, @identity, @meta, @value, @version, @hash)
         ON CONFLICT (app_id, identity) DO UPDATE SET
           meta = excluded.meta, value = excluded.value, version = excluded.version, hash = excluded.hash`,
      )
      .run(row);
  }

  allV1(): KeyknoxV1Row[] {
    return this.#db
      .prepare('SELECT app_id AS appId, identity, meta, value, version, hash FROM keyknox_v1 ORDER BY rowid')
      .all() as KeyknoxV1Row[];
  }

  // --- Keyknox v2 ---

  getEntry(address: EntryAddress): KeyknoxV2Entry | undefined {
    const row = this.#db.prepare(`SELECT hash FROM keyknox_v2_entries WHERE ${ADDRESS}`).get(address) as
      { hash: string } | undefined;
    if (!row) return undefined;
    const copies = this.#db
      .prepare(`SELECT identity, meta, value FROM keyknox_v2_copies WHERE ${ADDRESS} ORDER BY seq`)
      .all(address) as KeyknoxV2Copy[];
    return { ...address, hash: row.hash, copies };
  }

  /** Creates the entry if needed, sets its hash and writes (or overwrites) one copy per identity. */
  putCopies(address: EntryAddress, hash: string, copies: readonly KeyknoxV2Copy[]): void {
    this.#db
      .prepare(
        `INSERT INTO keyknox_v2_entries (app_id, owner, root, path, key, hash)
         VALUES (@appId, @owner, @root, @path, @key, @hash)
         ON CONFLICT (app_id, owner, root, path, key) DO UPDATE SET hash = excluded.hash`,
      )
      .run({ ...address, hash });
    const upsert = this.#db.prepare(
      `INSERT INTO keyknox_v2_copies (app_id, owner, root, path, key, identity, meta, value)
       VALUES (@appId, @owner, @root, @path, @key, @identity, @meta, @value)
       ON CONFLICT (app_id, owner, root, path, key, identity) DO UPDATE SET meta = excluded.meta, value = excluded.value`,
    );
    for (const copy of copies) upsert.run({ ...address, ...copy });
  }

  setEntryHash(address: EntryAddress, hash: string): void {
    this.#db.prepare(`UPDATE keyknox_v2_entries SET hash = @hash WHERE ${ADDRESS}`).run({ ...address, hash });
  }

  deleteCopy(address: EntryAddress, identity: string): void {
    this.#db.prepare(`DELETE FROM keyknox_v2_copies WHERE ${ADDRESS} AND identity = @identity`).run({
      ...address,
      identity,
    });
  }

  deleteEntry(address: EntryAddress): void {
    this.#db.prepare(`DELETE FROM keyknox_v2_copies WHERE ${ADDRESS}`).run(address);
    this.#db.prepare(`DELETE FROM keyknox_v2_entries WHERE ${ADDRESS}`).run(address);
  }

  /** Addresses of the owner's entries matching the filter, oldest first. */
  findEntries(filter: EntryFilter): EntryAddress[] {
    return this.#db
      .prepare(
        `SELECT app_id AS appId, owner, root, path, key FROM keyknox_v2_entries
         WHERE app_id = @appId AND owner = @owner${filterClause(filter)} ORDER BY rowid`,
      )
      .all(filter) as EntryAddress[];
  }

  /** Keys of the owner's entries under root/path where `reader` holds a copy. */
  keysReadableBy(filter: EntryFilter, reader: string): string[] {
    const rows = this.#db
      .prepare(
        `SELECT e.key FROM keyknox_v2_entries e
         WHERE e.app_id = @appId AND e.owner = @owner${filterClause(filter).replaceAll(' AND ', ' AND e.')}
           AND EXISTS (SELECT 1 FROM keyknox_v2_copies c WHERE c.app_id = e.app_id AND c.owner = e.owner
             AND c.root = e.root AND c.path = e.path AND c.key = e.key AND c.identity = @reader)
         ORDER BY e.rowid`,
      )
      .all({ ...filter, reader }) as { key: string }[];
    return rows.map((r) => r.key);
  }

  allEntries(): KeyknoxV2Entry[] {
    const addresses = this.#db
      .prepare('SELECT app_id AS appId, owner, root, path, key FROM keyknox_v2_entries ORDER BY rowid')
      .all() as EntryAddress[];
    return addresses.flatMap((a) => this.getEntry(a) ?? []);
  }
}
