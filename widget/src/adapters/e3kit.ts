// The only module that imports E3Kit. Loaded lazily (import()) after first paint; it fetches the WASM on initialize.
import type { EThree, ICard, IKeyEntryStorage } from '@virgilsecurity/e3kit-browser';
import { CardCache } from '../core/card-cache.js';
import { MessageFailure, SecureChatError } from '../core/errors.js';
import type { KeyProtection } from '../core/key-protection.js';
import { keyProtection, unlockPasskey } from './passkey.js';
import { WrappedKeyStorage, type WrappingKeySource } from './wrapped-key-storage.js';
import { initializeEThree } from './e3kit-init.js';
import { E3kitDecryption, progressOption as progress, type DecryptionStats } from './e3kit-decryption.js';
import { CARD_TIME_PRECISION_MS, cardAt, classifyDecryptError, errorName } from './e3kit-support.js';
import { withAbort, withIdentityLock } from './e3kit-support.js';
import { DecryptorPool, poolSize, type Decryptor } from './decryptor-pool.js';
import { WorkerDecryptor } from './worker-decryptor.js';
import { KeyMaterial } from './key-material.js';
import { loadPythia } from './pythia.js';
import type { CryptoPort, DecryptResult, IdentityStatus, KeyMaterialReport } from '../core/ports.js';
import type { Recipients } from '../core/ports.js';

export { cardAt, classifyDecryptError } from './e3kit-support.js';
export { passkeyReauthentication } from './wrapped-key-storage.js';

export interface E3kitPortOptions {
  apiUrl: string;
  token: () => Promise<string>;
  /** IndexedDB name for the private key (kept apart from other E3Kit apps on the same origin). */
  storageName?: string;
  /** A custom key store. Default: `WrappedKeyStorage` in `<storageName>-wrapped`, migrating E3Kit's plaintext store. */
  keyEntryStorage?: IKeyEntryStorage;
  /** Where the default store's wrapping key comes from (default: a non-extractable device key). */
  wrappingKeySource?: WrappingKeySource;
  cardTtlMs?: number;
  /** The server's clock, for token expiry (default: the browser's). */
  now?: () => number;
  onKeyChange?: (userId: string) => void;
  /**
   * Default store only: called when a passkey-protected key must be unwrapped. Shows the unlock prompt and runs
   * `attempt` (the WebAuthn request) on the user's click; resolves with its key. Default: ask the passkey at once.
   */
  passkeyUnlock?: (attempt: () => Promise<CryptoKey>) => Promise<CryptoKey>;
  /** Default store only: receives the passkey controls for this identity's key (see ui/passkey.ts). */
  onKeyProtection?: (protection: KeyProtection) => void;
  /** Decrypt in a dedicated module worker when the browser can start one (default true); false: on the main thread. */
  decryptionWorker?: boolean;
}

export class E3kitPort implements CryptoPort {
  readonly cards: CardCache<ICard>;
  #e3: EThree | undefined;
  /** The default wrapped store (undefined with a custom `keyEntryStorage`). */
  #storage: WrappedKeyStorage | undefined;
  /** Every key object the instance made: disposed on close. */
  readonly #keys: KeyMaterial;
  /** Aborts streamed file operations on close, before their keys are disposed. */
  readonly #closing = new AbortController();
  /** Decryption: in the worker when it started, else through E3Kit on the main thread. */
  readonly #decryption: E3kitDecryption;

  private constructor(
    e3: EThree,
    opts: E3kitPortOptions,
    storage: WrappedKeyStorage | undefined,
    worker: Promise<Decryptor | undefined>,
  ) {
    this.#e3 = e3;
    this.#storage = storage;
    this.#keys = KeyMaterial.ofEThree(e3);
    this.#decryption = new E3kitDecryption(() => this.#need(), this.#closing.signal, worker);
    this.cards = new CardCache<ICard>({
      fetch: (ids) => this.#findCards(ids),
      cardId: (card) => card.id,
      ...(opts.cardTtlMs !== undefined ? { ttlMs: opts.cardTtlMs } : {}),
      ...(opts.onKeyChange ? { onKeyChange: opts.onKeyChange } : {}),
    });
  }

  static async create(opts: E3kitPortOptions): Promise<E3kitPort> {
    // Started beside E3Kit (each loads the WASM); awaited only by the first decryption.
    const worker =
      opts.decryptionWorker === false
        ? Promise.resolve(undefined)
        : DecryptorPool.start(poolSize(), () => WorkerDecryptor.start());
    try {
      const storageName = opts.storageName ?? 'secure-chat-keys';
      const { passkeyUnlock } = opts;
      const wrapped = opts.keyEntryStorage
        ? undefined
        : new WrappedKeyStorage(`${storageName}-wrapped`, opts.wrappingKeySource, storageName, {
            unlockPasskey: (record) =>
              passkeyUnlock ? passkeyUnlock(() => unlockPasskey(record)) : unlockPasskey(record),
          });
      const keyEntryStorage = opts.keyEntryStorage ?? wrapped;
      const e3 = await initializeEThree(
        opts.token,
        {
          apiUrl: opts.apiUrl.replace(/\/+$/, ''),
          storageName,
          groupStorageName: `${storageName}-groups`,
          ...(keyEntryStorage ? { keyEntryStorage } : {}),
        },
        opts.now,
      );
      const port = new E3kitPort(e3, opts, wrapped, worker);
      if (wrapped) opts.onKeyProtection?.(keyProtection(wrapped, e3.identity));
      return port;
    } catch (cause) {
      // Token API failures keep their own code; only an unreachable service is a network error.
      if (cause instanceof SecureChatError) throw cause;
      const unreachable = cause instanceof TypeError && /fetch|network/i.test(cause.message);
      void worker.then((w) => w?.close());
      throw new SecureChatError(
        unreachable ? 'network' : 'internal',
        'Encryption could not start. Check the connection and try again.',
        { cause, recoverable: unreachable },
      );
    }
  }

  get identity(): string {
    return this.#need().identity;
  }

  #need(): EThree {
    if (!this.#e3) throw new SecureChatError('internal', 'Encryption was closed.');
    return this.#e3;
  }

  async #findCards(ids: readonly string[]): Promise<Map<string, ICard>> {
    const e3 = this.#need();
    let wanted = [...ids];
    // findUsers rejects when any identity is unknown; drop the unknown ones and ask again.
    for (let attempt = 0; attempt < 2 && wanted.length > 0; attempt++) {
      try {
        const found = await e3.findUsers(wanted);
        return new Map(Object.entries(found));
      } catch (error) {
        const missing = (error as { identities?: string[] }).identities;
        if (errorName(error) !== 'UsersNotFoundError' || !missing) throw error;
        wanted = wanted.filter((id) => !missing.includes(id));
      }
    }
    return new Map();
  }

  async #ownCard(refresh = false): Promise<ICard | undefined> {
    const id = this.identity;
    return (await this.cards.get([id], refresh ? [id] : [])).get(id);
  }

  /** True when the local private key belongs to the published card: sign with it, verify with the card. */
  async #localKeyMatches(card: ICard): Promise<boolean> {
    const e3 = this.#need();
    try {
      await e3.authDecrypt(await e3.authEncrypt('key-check'), card);
      return true;
    } catch {
      return false;
    }
  }

  async prepareIdentity(): Promise<IdentityStatus> {
    const e3 = this.#need();
    return withIdentityLock(e3.identity, async () => {
      const own = await this.#ownCard(true);
      const hasLocal = await e3.hasLocalPrivateKey();
      if (own && hasLocal) {
        // Unwrap a passkey-protected key first, outside the key check: a refused passkey must stay an error, never
        // pass for a mismatched key (which would delete it).
        const storage = this.#storage;
        if (storage && (await storage.protection(e3.identity)) === 'passkey') {
          try {
            await storage.load(e3.identity);
          } catch (error) {
            if (errorName(error) !== 'PasskeySkippedError') throw error;
            // The user gave up on the passkey (lost, broken): drop this copy and restore from the backup.
            await e3.cleanup();
            await storage.forgetProtection(e3.identity);
            return 'needs-restore';
          }
        }
        if (await this.#localKeyMatches(own)) return 'ready';
        // The key was replaced on another device: this copy is useless, restore the current one.
        await e3.cleanup();
        return 'needs-restore';
      }
      if (own) return 'needs-restore';
      // A local key for an identity the directory does not know is an orphan; register afresh.
      if (hasLocal) await e3.cleanup();
      try {
        await e3.register();
      } catch (error) {
        // Another tab (without Web Locks) or another device registered first.
        const name = errorName(error);
        if (name !== 'IdentityAlreadyExistsError' && name !== 'PrivateKeyAlreadyExistsError') {
          throw new SecureChatError('identity-conflict', 'Your secure chat key could not be set up.', {
            cause: error,
          });
        }
        const card = await this.#ownCard(true);
        if (card && (await e3.hasLocalPrivateKey()) && (await this.#localKeyMatches(card))) return 'ready';
        return 'needs-restore';
      }
      this.cards.invalidate(e3.identity);
      return 'registered';
    });
  }

  async backup(password: string, opts: { replace?: boolean } = {}): Promise<void> {
    const e3 = this.#need();
    if (opts.replace) await e3.resetPrivateKeyBackup().catch(() => undefined);
    try {
      await loadPythia(); // password backups need Pythia; normal sessions never fetch it
      await e3.backupPrivateKey(password);
    } catch (cause) {
      throw new SecureChatError('network', 'The backup could not be saved. Try again.', {
        cause,
        recoverable: true,
      });
    }
  }

  async restore(password: string): Promise<void> {
    const e3 = this.#need();
    await withIdentityLock(e3.identity, async () => {
      if (await e3.hasLocalPrivateKey()) return; // another tab restored it meanwhile
      try {
        await loadPythia();
        await e3.restorePrivateKey(password);
      } catch (error) {
        const name = errorName(error);
        if (name === 'PrivateKeyAlreadyExistsError') return;
        if (name === 'WrongKeyknoxPasswordError') {
          throw new SecureChatError('wrong-password', 'That password did not work.', { recoverable: true });
        }
        if (name === 'PrivateKeyNoBackupError') {
          throw new SecureChatError('no-backup', 'There is no password backup of your key.', {
            recoverable: true,
          });
        }
        throw new SecureChatError('network', 'Your key could not be restored. Try again.', {
          cause: error,
          recoverable: true,
        });
      }
    });
  }

  async rotate(): Promise<void> {
    const e3 = this.#need();
    await withIdentityLock(e3.identity, async () => {
      if (await e3.hasLocalPrivateKey()) await e3.cleanup();
      await e3.rotatePrivateKey();
    });
    this.cards.invalidate(e3.identity);
  }

  async forgetLocalKey(): Promise<void> {
    const e3 = this.#need();
    await e3.cleanup();
    await this.#storage?.forgetProtection(e3.identity);
  }

  async lookup(ids: readonly string[], opts: { refresh?: readonly string[] } = {}): Promise<Recipients> {
    const cards = await this.cards.get(ids, opts.refresh);
    return { ids: [...cards.keys()], handle: Object.fromEntries(cards) };
  }

  cardOf(to: Recipients, id: string): { cardId: string; publicKey: Uint8Array } | undefined {
    const card = (to.handle as Record<string, ICard>)[id];
    if (!card) return undefined;
    const publicKey = new Uint8Array(this.#need().virgilCrypto.exportPublicKey(card.publicKey as never));
    return { cardId: card.id, publicKey };
  }

  async encrypt(plaintext: string, to: Recipients): Promise<string> {
    return (await this.#need().authEncrypt(plaintext, to.handle as Record<string, ICard>)) as string;
  }

  async encryptToBlob(plaintext: string, to: Recipients): Promise<Blob> {
    const blob = new Blob([new TextEncoder().encode(plaintext)]);
    return this.#stream([], (e3, signal) =>
      e3.authEncryptFile(blob, to.handle as Record<string, ICard>, { signal }),
    );
  }

  async decrypt(ciphertext: string, from: string, sentAt: Date, opts: { refresh?: boolean } = {}) {
    return this.#decryptWith(from, sentAt, opts, (card) => this.#decryption.text(ciphertext, card));
  }

  async decryptBlob(data: Blob, from: string, sentAt: Date, opts: { refresh?: boolean } = {}) {
    return this.#decryptWith(from, sentAt, opts, async (card) =>
      (await this.#decryption.blob(data, card, [])).text(),
    );
  }

  async encryptFile(data: Blob, to: Recipients, onProgress?: (fraction: number) => void): Promise<Blob> {
    return this.#stream([], (e3, signal) =>
      e3.authEncryptFile(data, to.handle as Record<string, ICard>, { signal, ...progress(onProgress) }),
    );
  }

  async decryptFile(
    data: Blob,
    from: string,
    sentAt: Date,
    onProgress?: (fraction: number) => void,
    signal?: AbortSignal,
  ): Promise<Blob> {
    const current = (await this.cards.get([from])).get(from);
    if (!current) throw new MessageFailure('unknown-sender');
    try {
      return await this.#decryption.blob(data, cardAt(current, sentAt).card, [signal], onProgress);
    } catch (cause) {
      if (cause instanceof SecureChatError) throw cause;
      const reason = classifyDecryptError(cause);
      throw new MessageFailure(reason === 'recipient-missing' ? 'not-for-this-device' : reason, { cause });
    }
  }

  /** A streamed file operation: aborted by `signals` or by close(), which must dispose its keys only after. */
  async #stream<T>(
    signals: readonly (AbortSignal | undefined)[],
    run: (e3: EThree, signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const e3 = this.#need();
    const all = [this.#closing.signal, ...signals];
    try {
      return await withAbort(all, (signal) => run(e3, signal));
    } catch (cause) {
      if (all.some((s) => s?.aborted))
        throw new SecureChatError('aborted', 'Secure chat stopped.', { cause });
      throw cause;
    }
  }

  async #decryptWith(
    from: string,
    sentAt: Date,
    opts: { refresh?: boolean },
    run: (card: ICard) => Promise<string>,
  ): Promise<DecryptResult> {
    this.#need();
    const current = (await this.cards.get([from], opts.refresh ? [from] : [])).get(from);
    if (!current) return { ok: false, reason: 'unknown-sender' };
    // The key is picked here, so the caller learns its period and can check the envelope's signed time against it.
    const { card, valid } = cardAt(current, sentAt);
    try {
      return { ok: true, plaintext: await run(card), keyValid: valid };
    } catch (error) {
      const kind = classifyDecryptError(error);
      if (kind !== 'recipient-missing') return { ok: false, reason: kind };
      // Not sealed for our current key. If that key replaced an older one and the message predates it, it was
      // sealed for the replaced key. Card times have one-second precision, hence the tolerance.
      const own = await this.#ownCard();
      const replacedSince = own?.previousCardId
        ? own.createdAt.getTime() + CARD_TIME_PRECISION_MS > sentAt.getTime()
        : false;
      return { ok: false, reason: replacedSince ? 'previous-key' : 'not-for-this-device' };
    }
  }

  /** A member's current public key (DER bytes) for safety codes; `refresh` looks the card up again. */
  async publicKey(id: string, refresh = false): Promise<Uint8Array | undefined> {
    const e3 = this.#need();
    const card = (await this.cards.get([id], refresh ? [id] : [])).get(id);
    return card ? new Uint8Array(e3.virgilCrypto.exportPublicKey(card.publicKey as never)) : undefined;
  }

  /**
   * Locks and sign-outs end here. Synchronously: streamed file operations are aborted (E3Kit disposes their
   * ciphers), then every key object is disposed, E3Kit's cached private key dropped, and the instance, the card
   * cache and the key store (with any passkey-derived key) let go.
   */
  async close(): Promise<void> {
    this.#closing.abort();
    this.#keys.wipe();
    this.cards.clear();
    this.#storage?.close();
    this.#storage = undefined;
    this.#e3 = undefined;
    // Then the worker's keys: it confirms its wipe and is terminated.
    await this.#decryption.close();
  }

  keyMaterial(): KeyMaterialReport {
    const worker = this.#decryption.report();
    return { instance: this.#e3 !== undefined, ...this.#keys.report(), ...(worker ? { worker } : {}) };
  }

  /** Which engine opened how many messages and files (an inspection for tests and benchmarks). */
  decryptionStats(): DecryptionStats & { inWorker: boolean } {
    return { ...this.#decryption.stats, inWorker: this.#decryption.report()?.running ?? false };
  }
}

/** Factory used by the element's lazy loader. */
export function createE3kitPort(opts: E3kitPortOptions): Promise<CryptoPort> {
  return E3kitPort.create(opts);
}
