/**
 * A `keyEntryStorage` for E3Kit that never stores the private key in the clear.
 *
 * E3Kit's default keeps the PKCS#8 private key as plain base64 in IndexedDB, readable by any script on the portal's
 * origin and by anyone who copies the browser profile. Here each entry is sealed with AES-GCM under a wrapping key
 * that is a non-extractable WebCrypto `CryptoKey`, kept in IndexedDB as a `CryptoKey` object: the stored bytes alone
 * are useless, and no script can read the wrapping key's bytes. What it does not protect against: script running in
 * the page while the widget is unlocked can still ask WebCrypto to unwrap, or use E3Kit directly (see README).
 *
 * The wrapping key comes from a `WrappingKeySource`: by default a random device key; a passkey (WebAuthn PRF) source
 * can replace it so that unwrapping also needs the user's authenticator.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

/** E3Kit's `IKeyEntry` (virgil-sdk), restated so that this module does not import the SDK. */
export interface KeyEntry {
  name: string;
  value: string;
  meta?: Record<string, string>;
  creationDate: Date;
  modificationDate: Date;
}

interface SealedEntry {
  name: string;
  iv: Uint8Array<ArrayBuffer>;
  /** AES-GCM(value), bound to the entry name as additional data so entries can't be swapped. */
  sealed: ArrayBuffer;
  meta?: Record<string, string>;
  creationDate: Date;
  modificationDate: Date;
}

interface KeyStoreSchema extends DBSchema {
  entries: { key: string; value: SealedEntry };
  'wrapping-keys': { key: string; value: CryptoKey };
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

/** True when the browser says passkeys can return PRF outputs (WebAuthn Level 3 client capabilities). */
export async function passkeyPrfSupported(): Promise<boolean> {
  const pkc = globalThis.PublicKeyCredential as
    { getClientCapabilities?: () => Promise<Record<string, boolean>> } | undefined;
  try {
    return (await pkc?.getClientCapabilities?.())?.['extension:prf'] === true;
  } catch {
    return false;
  }
}

/**
 * UNTESTED (no PRF authenticator in headless Chromium): derives the wrapping key from a passkey's PRF output with
 * HKDF, so unwrapping the private key also needs the user's authenticator. The key is derived once per instance and
 * only kept in memory. Entries sealed under the device key cannot be opened with it: switch sources on an empty store
 * (first registration, or after a restore from the password backup).
 */
export function passkeyWrappingKey(options: {
  credentialId: BufferSource;
  /** Per-deployment salt for the PRF evaluation (32 random bytes, stored by the portal with the credential id). */
  salt: BufferSource;
  rpId?: string;
}): WrappingKeySource {
  let key: Promise<CryptoKey> | undefined;
  return {
    getKey() {
      key ??= (async () => {
        const credential = (await navigator.credentials.get({
          publicKey: {
            challenge: crypto.getRandomValues(new Uint8Array(32)),
            allowCredentials: [{ type: 'public-key', id: options.credentialId }],
            userVerification: 'required',
            ...(options.rpId ? { rpId: options.rpId } : {}),
            extensions: { prf: { eval: { first: options.salt } } } as AuthenticationExtensionsClientInputs,
          },
        })) as PublicKeyCredential | null;
        const results = credential?.getClientExtensionResults() as
          { prf?: { results?: { first?: BufferSource } } } | undefined;
        const secret = results?.prf?.results?.first;
        if (!secret) throw new Error('This passkey cannot derive keys (no WebAuthn PRF support).');
        const material = await crypto.subtle.importKey('raw', secret, 'HKDF', false, ['deriveKey']);
        return crypto.subtle.deriveKey(
          {
            name: 'HKDF',
            hash: 'SHA-256',
            salt: new Uint8Array(0),
            info: new TextEncoder().encode('secure-chat key wrapping v1'),
          },
          material,
          { name: 'AES-GCM', length: 256 },
          false,
          ['encrypt', 'decrypt'],
        );
      })();
      return key;
    },
  };
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

  /**
   * @param legacyDatabase E3Kit's default (plaintext) key store to move into this one: each entry is wrapped here and
   *   then deleted there, so an existing device keeps its key without it staying readable at rest.
   */
  constructor(
    databaseName = 'secure-chat-keys',
    source: WrappingKeySource = deviceWrappingKey,
    legacyDatabase?: string,
  ) {
    this.#source = source;
    this.#db = openDB<KeyStoreSchema>(databaseName, 1, {
      upgrade(db) {
        db.createObjectStore('entries');
        db.createObjectStore('wrapping-keys');
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
    const db = await this.#db;
    if (await db.getKey('entries', name)) throw new KeyEntryExistsError(name);
    const now = new Date();
    await db.put('entries', await this.#seal(db, name, value, meta, now, now), name);
    return { name, value, ...(meta ? { meta } : {}), creationDate: now, modificationDate: now };
  }

  async load(name: string): Promise<KeyEntry | null> {
    const db = await this.#db;
    const entry = await db.get('entries', name);
    return entry ? this.#open(db, entry) : null;
  }

  async exists(name: string): Promise<boolean> {
    return (await (await this.#db).getKey('entries', name)) !== undefined;
  }

  async remove(name: string): Promise<boolean> {
    const db = await this.#db;
    const existed = (await db.getKey('entries', name)) !== undefined;
    await db.delete('entries', name);
    return existed;
  }

  async list(): Promise<KeyEntry[]> {
    const db = await this.#db;
    return Promise.all((await db.getAll('entries')).map((entry) => this.#open(db, entry)));
  }

  async update({ name, value, meta }: { name: string; value?: string; meta?: Record<string, string> }) {
    const db = await this.#db;
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
    const db = await this.#db;
    await db.clear('entries');
    await db.clear('wrapping-keys');
  }

  async #seal(
    db: IDBPDatabase<KeyStoreSchema>,
    name: string,
    value: string,
    meta: Record<string, string> | undefined,
    creationDate: Date,
    modificationDate: Date,
  ): Promise<SealedEntry> {
    const key = await this.#source.getKey(db);
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const sealed = await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(name) },
      key,
      new TextEncoder().encode(value),
    );
    return { name, iv, sealed, ...(meta ? { meta } : {}), creationDate, modificationDate };
  }

  async #open(db: IDBPDatabase<KeyStoreSchema>, entry: SealedEntry): Promise<KeyEntry> {
    const key = await this.#source.getKey(db);
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
