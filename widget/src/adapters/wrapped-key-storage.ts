/**
 * A `keyEntryStorage` for E3Kit that never stores the private key in the clear.
 *
 * E3Kit's default keeps the PKCS#8 private key as plain base64 in IndexedDB, readable by any script on the portal's
 * origin and by anyone who copies the browser profile. Here each entry is sealed with AES-GCM under a wrapping key
 * that is a non-extractable WebCrypto `CryptoKey`, kept in IndexedDB as a `CryptoKey` object: the stored bytes alone
 * are useless, and no script can read the wrapping key's bytes. What it does not protect against: script running in
 * the page while the widget is unlocked can still ask WebCrypto to unwrap, or use E3Kit directly (see docs/security-model.md).
 *
 * The wrapping key comes from a `WrappingKeySource`: by default a random device key. An identity's entry can instead be
 * re-wrapped under a key derived from a passkey (WebAuthn PRF, `protectWithPasskey`); the non-secret record of which
 * passkey (credential id, PRF salt) is kept per entry name, so the next start asks for that passkey to unwrap.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { KeyProtectionState } from '../core/key-protection.js';
import { unlockPasskey } from './passkey.js';

export {
  createPasskey,
  passkeyPrfSupported,
  passkeyWrappingKey,
  PasskeyPrfUnavailableError,
  unlockPasskey,
} from './passkey.js';

/** E3Kit's `IKeyEntry` (virgil-sdk), restated so that this module does not import the SDK. */
export interface KeyEntry {
  name: string;
  value: string;
  meta?: Record<string, string>;
  creationDate: Date;
  modificationDate: Date;
}

/** A stored entry: the key entry with its value sealed. */
interface SealedEntry extends Omit<KeyEntry, 'value'> {
  iv: Uint8Array<ArrayBuffer>;
  /** AES-GCM(value), bound to the entry name as additional data so entries can't be swapped. */
  sealed: ArrayBuffer;
}

/** Which passkey wraps an entry: non-secret (the PRF output it yields is the secret, and it never leaves memory). */
export interface PasskeyRecord {
  credentialId: BufferSource;
  /** The PRF input (32 random bytes chosen at enrolment). */
  salt: BufferSource;
}

/** An entry's wrapping choice; no record means the device key. `declined`: the user said no to the passkey offer. */
type SourceRecord = ({ kind: 'passkey' } & PasskeyRecord) | { kind: 'declined' };

interface KeyStoreSchema extends DBSchema {
  entries: { key: string; value: SealedEntry };
  'wrapping-keys': { key: string; value: CryptoKey };
  sources: { key: string; value: SourceRecord };
}

/** Where the AES-GCM wrapping key comes from. */
export interface WrappingKeySource {
  /** Returns the wrapping key, creating it on first use. */
  getKey(db: IDBPDatabase<KeyStoreSchema>): Promise<CryptoKey>;
}

/** A random, non-extractable AES-GCM-256 key made on this device and kept in IndexedDB as a CryptoKey object. */
export const deviceWrappingKey: WrappingKeySource = {
  async getKey(db) {
    const existing = await db.get('wrapping-keys', 'device');
    if (existing) return existing;
    const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, [
      'encrypt',
      'decrypt',
    ]);
    await db.put('wrapping-keys', key, 'device');
    return key;
  },
};

/**
 * The locked screen's re-authentication when a passkey protects `identity`'s entry in this store: the user-verified
 * passkey assertion (run on the user's click) that derives the key unwrapping it. Undefined when no passkey does.
 */
export async function passkeyReauthentication(
  databaseName: string,
  identity: string,
): Promise<(() => Promise<CryptoKey>) | undefined> {
  const store = new WrappedKeyStorage(databaseName);
  try {
    const record = await store.passkeyRecord(identity);
    return record && (() => unlockPasskey(record));
  } finally {
    store.close();
  }
}

export class KeyEntryExistsError extends Error {
  override readonly name = 'KeyEntryAlreadyExistsError';
  constructor(name: string) {
    super(`A key entry named "${name}" already exists`);
  }
}

export class KeyEntryMissingError extends Error {
  override readonly name = 'KeyEntryDoesNotExistError';
  constructor(name: string) {
    super(`No key entry named "${name}"`);
  }
}

export class WrappedKeyStorage {
  readonly #db: Promise<IDBPDatabase<KeyStoreSchema>>;
  readonly #source: WrappingKeySource;
  readonly #unlockPasskey: ((record: PasskeyRecord) => Promise<CryptoKey>) | undefined;
  /** Passkey-derived keys by entry name, in memory for this instance only (dropped with it on lock). */
  readonly #passkeyKeys = new Map<string, Promise<CryptoKey>>();
  #closed = false;

  /**
   * @param legacyDatabase E3Kit's default (plaintext) key store to move into this one: each entry is wrapped here and
   *   then deleted there, so an existing device keeps its key without it staying readable at rest.
   * @param options.unlockPasskey Unwraps entries protected by a passkey (default: ask the passkey directly).
   */
  constructor(
    databaseName = 'secure-chat-keys',
    source: WrappingKeySource = deviceWrappingKey,
    legacyDatabase?: string,
    options: { unlockPasskey?: (record: PasskeyRecord) => Promise<CryptoKey> } = {},
  ) {
    this.#source = source;
    this.#unlockPasskey = options.unlockPasskey;
    this.#db = openDB<KeyStoreSchema>(databaseName, 2, {
      upgrade(db, oldVersion) {
        if (oldVersion < 1) {
          db.createObjectStore('entries');
          db.createObjectStore('wrapping-keys');
        }
        if (oldVersion < 2) db.createObjectStore('sources');
      },
    }).then(async (db) => {
      if (legacyDatabase) await this.#migrate(db, legacyDatabase);
      return db;
    });
  }

  /** Wraps and removes the entries of virgil-sdk's IndexedDB key store (`keyvaluepairs`, JSON values). */
  async #migrate(db: IDBPDatabase<KeyStoreSchema>, legacyName: string): Promise<void> {
    const known = await indexedDB.databases?.();
    if (!known?.some((info) => info.name === legacyName)) return;
    const legacy = await openDB(legacyName);
    try {
      if (!legacy.objectStoreNames.contains('keyvaluepairs')) return;
      for (const name of await legacy.getAllKeys('keyvaluepairs')) {
        const raw = (await legacy.get('keyvaluepairs', name)) as string;
        const entry = JSON.parse(raw) as { value: string; meta?: Record<string, string> };
        const key = String(name);
        if (!(await db.getKey('entries', key))) {
          const now = new Date();
          await db.put('entries', await this.#seal(db, key, entry.value, entry.meta, now, now), key);
        }
        await legacy.delete('keyvaluepairs', name);
      }
    } finally {
      legacy.close();
    }
  }

  async save({ name, value, meta }: { name: string; value: string; meta?: Record<string, string> }) {
    const db = await this.#connection();
    if (await db.getKey('entries', name)) throw new KeyEntryExistsError(name);
    const now = new Date();
    await db.put('entries', await this.#seal(db, name, value, meta, now, now), name);
    return { name, value, ...(meta ? { meta } : {}), creationDate: now, modificationDate: now };
  }

  async load(name: string): Promise<KeyEntry | null> {
    const db = await this.#connection();
    const entry = await db.get('entries', name);
    return entry ? this.#open(db, entry) : null;
  }

  async exists(name: string): Promise<boolean> {
    return (await (await this.#connection()).getKey('entries', name)) !== undefined;
  }

  async remove(name: string): Promise<boolean> {
    const db = await this.#connection();
    const existed = (await db.getKey('entries', name)) !== undefined;
    await db.delete('entries', name);
    return existed;
  }

  async list(): Promise<KeyEntry[]> {
    const db = await this.#connection();
    return Promise.all((await db.getAll('entries')).map((entry) => this.#open(db, entry)));
  }

  async update({ name, value, meta }: { name: string; value?: string; meta?: Record<string, string> }) {
    const db = await this.#connection();
    const current = await this.load(name);
    if (!current) throw new KeyEntryMissingError(name);
    const nextValue = value ?? current.value;
    const nextMeta = meta ?? current.meta;
    const now = new Date();
    await db.put('entries', await this.#seal(db, name, nextValue, nextMeta, current.creationDate, now), name);
    return {
      name,
      value: nextValue,
      ...(nextMeta ? { meta: nextMeta } : {}),
      creationDate: current.creationDate,
      modificationDate: now,
    };
  }

  /** Removes every entry and the device wrapping key: nothing left can be unwrapped. */
  async clear(): Promise<void> {
    const db = await this.#connection();
    await db.clear('entries');
    await db.clear('wrapping-keys');
    await db.clear('sources');
    this.#passkeyKeys.clear();
  }

  /** Lets go of the database and of every passkey-derived key (lock, sign-out); the store refuses any later use. */
  close(): void {
    this.#closed = true;
    this.#passkeyKeys.clear();
    this.#db.then((db) => db.close()).catch(() => undefined);
  }

  /** The passkey that wraps `name`'s entry, if one does: its credential id and PRF salt (not secret). */
  async passkeyRecord(name: string): Promise<PasskeyRecord | undefined> {
    const source = await (await this.#connection()).get('sources', name);
    return source?.kind === 'passkey' ? { credentialId: source.credentialId, salt: source.salt } : undefined;
  }

  /** How `name`'s entry is wrapped, or that the user declined the passkey offer. */
  async protection(name: string): Promise<KeyProtectionState> {
    return (await (await this.#connection()).get('sources', name))?.kind ?? 'device';
  }

  /** Remembers that the user declined the passkey offer for `name` (the device key stays). */
  async declinePasskey(name: string): Promise<void> {
    const db = await this.#connection();
    if (!(await db.get('sources', name))) await db.put('sources', { kind: 'declined' }, name);
  }

  /**
   * Re-wraps `name`'s entry under a passkey-derived key and records the passkey, in one transaction. Later saves
   * under this name (rotation, restore) are wrapped under the passkey too, until `forgetProtection`.
   */
  async protectWithPasskey(name: string, record: PasskeyRecord, key: CryptoKey): Promise<void> {
    const db = await this.#connection();
    const current = await this.load(name);
    if (!current) throw new KeyEntryMissingError(name);
    const { value, meta, creationDate } = current;
    const sealed = await this.#sealWith(key, name, value, meta, creationDate, new Date());
    const tx = db.transaction(['entries', 'sources'], 'readwrite');
    await Promise.all([
      tx.objectStore('entries').put(sealed, name),
      tx.objectStore('sources').put({ kind: 'passkey', ...record }, name),
      tx.done,
    ]);
    this.#passkeyKeys.set(name, Promise.resolve(key));
  }

  /** Forgets the wrapping choice for `name` (after its key was removed from the device at sign-out). */
  async forgetProtection(name: string): Promise<void> {
    await (await this.#connection()).delete('sources', name);
    this.#passkeyKeys.delete(name);
  }

  async #connection(): Promise<IDBPDatabase<KeyStoreSchema>> {
    if (this.#closed) throw new Error('The key store was closed.');
    return this.#db;
  }

  /** The wrapping key for `name`: its passkey's (asked for once per instance) or the store's source. */
  async #keyFor(db: IDBPDatabase<KeyStoreSchema>, name: string): Promise<CryptoKey> {
    const record = await db.get('sources', name);
    if (record?.kind !== 'passkey') return this.#source.getKey(db);
    let key = this.#passkeyKeys.get(name);
    if (!key) {
      key = (this.#unlockPasskey ?? unlockPasskey)(record);
      this.#passkeyKeys.set(name, key);
      // A refused or cancelled prompt is asked again next time.
      key.catch(() => this.#passkeyKeys.delete(name));
    }
    return key;
  }

  async #seal(
    db: IDBPDatabase<KeyStoreSchema>,
    name: string,
    value: string,
    meta: Record<string, string> | undefined,
    creationDate: Date,
    modificationDate: Date,
  ): Promise<SealedEntry> {
    return this.#sealWith(await this.#keyFor(db, name), name, value, meta, creationDate, modificationDate);
  }

  async #sealWith(
    key: CryptoKey,
    name: string,
    value: string,
    meta: Record<string, string> | undefined,
    creationDate: Date,
    modificationDate: Date,
  ): Promise<SealedEntry> {
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const sealed = await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(name) },
      key,
      new TextEncoder().encode(value),
    );
    return { name, iv, sealed, ...(meta ? { meta } : {}), creationDate, modificationDate };
  }

  async #open(db: IDBPDatabase<KeyStoreSchema>, entry: SealedEntry): Promise<KeyEntry> {
    const key = await this.#keyFor(db, entry.name);
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: entry.iv, additionalData: new TextEncoder().encode(entry.name) },
      key,
      entry.sealed,
    );
    const { name, meta, creationDate, modificationDate } = entry;
    return {
      name,
      value: new TextDecoder().decode(plain),
      ...(meta ? { meta } : {}),
      creationDate,
      modificationDate,
    };
  }
}
