// Where the E3Kit adapter's decryptions run: in the decryption worker (worker-decryptor.ts) when it started, else on
// the main thread through E3Kit, as before. Either way the adapter has chosen the sender's card (key trust and the
// key of the signing time stay with it); the worker receives only that card's public key and this device's private
// key, exported from E3Kit and transferred once (again whenever E3Kit's key changes: registration, restore, rotation).
import type { EThree, ICard } from '@virgilsecurity/e3kit-browser';
import { SecureChatError } from '../core/errors.js';
import { DecryptFailure, withAbort } from './e3kit-support.js';
import type { Decryptor } from './decryptor-pool.js';
import type { WorkerDecryptorReport } from './worker-decryptor.js';

type Signals = readonly (AbortSignal | undefined)[];

interface VirgilBytes extends Uint8Array {
  toString(encoding?: 'base64'): string;
}

/** How many messages and files each engine opened (an inspection for tests and benchmarks). */
export interface DecryptionStats {
  worker: number;
  mainThread: number;
}

export class E3kitDecryption {
  readonly stats: DecryptionStats = { worker: 0, mainThread: 0 };
  readonly #e3: () => EThree;
  readonly #closing: AbortSignal;
  /** The decryption worker, or a pool of them that acts as one (decryptor-pool.ts). */
  #worker: Decryptor | undefined;
  /** Resolves with the worker once it holds the current private key; undefined: decrypt on the main thread. */
  #keyed: Promise<Decryptor | undefined> | undefined;
  /** E3Kit's private key object the worker holds a copy of. */
  #handedOver: object | undefined;
  readonly #started: Promise<Decryptor | undefined>;
  /** Sender keys as the worker takes them (DER, base64), by E3Kit's key object. */
  readonly #der = new WeakMap<object, string>();

  constructor(e3: () => EThree, closing: AbortSignal, worker: Promise<Decryptor | undefined>) {
    this.#e3 = e3;
    this.#closing = closing;
    this.#started = worker.then((w) => {
      if (closing.aborted) void w?.close();
      return (this.#worker = w);
    });
  }

  /** Decrypts and verifies a message (base64) from `card`; throws like E3Kit's authDecrypt (or a DecryptFailure). */
  async text(ciphertext: string, card: ICard): Promise<string> {
    const worker = await this.#ready();
    if (worker?.running) {
      try {
        const outcome = await worker.decrypt({ ct: ciphertext, senderKey: this.#senderKey(card) });
        this.stats.worker++;
        if (outcome.ok) return outcome.text;
        throw new DecryptFailure(outcome.kind);
      } catch (error) {
        if (error instanceof DecryptFailure || worker.running || this.#closing.aborted) throw error;
        // The worker died: this and later messages are opened on the main thread.
      }
    }
    this.stats.mainThread++;
    return (await this.#e3().authDecrypt(ciphertext, card)) as string;
  }

  /** Decrypts and verifies a file (E3Kit's authEncryptFile format) from `card`; `signals` abort it. */
  async blob(data: Blob, card: ICard, signals: Signals, onProgress?: (fraction: number) => void) {
    const all = [this.#closing, ...signals];
    const worker = await this.#ready();
    if (worker?.running) {
      const outcome = await worker.decryptFile(data, this.#senderKey(card), all, onProgress);
      this.stats.worker++;
      if (outcome.ok) return outcome.file;
      if (outcome.kind === 'aborted') throw new SecureChatError('aborted', 'Secure chat stopped.');
      throw new DecryptFailure(outcome.kind);
    }
    this.stats.mainThread++;
    const e3 = this.#e3();
    try {
      return await withAbort(all, (signal) =>
        e3.authDecryptFile(data, card, { signal, ...progressOption(onProgress) }),
      );
    } catch (cause) {
      if (all.some((s) => s?.aborted))
        throw new SecureChatError('aborted', 'Secure chat stopped.', { cause });
      throw cause;
    }
  }

  /** Wipes the worker's keys and terminates it (see WorkerDecryptor.close; every worker of a pool). */
  async close(): Promise<void> {
    this.#keyed = undefined;
    this.#handedOver = undefined;
    // A worker still starting is closed as soon as it has (see the constructor).
    await this.#worker?.close();
  }

  /** The worker's last report, when decryption runs in one. */
  report(): WorkerDecryptorReport | undefined {
    return this.#worker?.report();
  }

  /**
   * The worker holding the current private key, or undefined: decrypt on the main thread. Without a local key the
   * decryption fails as E3Kit's would; a hand-over that fails otherwise (the worker died) falls back to the main thread.
   */
  async #ready(): Promise<Decryptor | undefined> {
    // E3Kit caches the private key it loaded and drops the cache when the key changes (cleanup, restore, rotation):
    // a different object than the one handed over means a different key.
    if (this.#handedOver && keyLoader(this.#e3()).cachedPrivateKey !== this.#handedOver)
      this.#keyed = undefined;
    const keyed = (this.#keyed ??= this.#handOver());
    try {
      return await keyed;
    } catch (error) {
      if (this.#keyed === keyed) this.#keyed = undefined; // tried again by the next decryption
      if (error instanceof DecryptFailure) throw error;
      return undefined;
    }
  }

  async #handOver(): Promise<Decryptor | undefined> {
    const worker = await this.#started;
    if (!worker?.running) return undefined;
    const e3 = this.#e3();
    const privateKey = await keyLoader(e3).loadLocalPrivateKey();
    this.#handedOver = privateKey ?? undefined;
    if (!privateKey) throw new DecryptFailure('not-for-this-device');
    const exported = e3.virgilCrypto.exportPrivateKey(privateKey as never) as Uint8Array;
    // The copy is transferred (detached here); the export is zeroed at once.
    const raw = new Uint8Array(exported);
    exported.fill(0);
    await worker.setPrivateKey(raw);
    return worker;
  }

  #senderKey(card: ICard): string {
    const key = card.publicKey as object;
    let der = this.#der.get(key);
    if (!der) {
      der = (this.#e3().virgilCrypto.exportPublicKey(key as never) as VirgilBytes).toString('base64');
      this.#der.set(key, der);
    }
    return der;
  }
}

/** E3Kit's private key loader (not public API; key-material.ts relies on its cache too). */
const keyLoader = (e3: EThree) =>
  (
    e3 as unknown as {
      keyLoader: { cachedPrivateKey?: object | null; loadLocalPrivateKey(): Promise<object | null> };
    }
  ).keyLoader;

/** E3Kit's progress callback as a fraction. */
export const progressOption = (onProgress: ((fraction: number) => void) | undefined) =>
  onProgress
    ? {
        onProgress: (s: { bytesProcessed: number; fileSize: number }) =>
          onProgress(s.fileSize ? s.bytesProcessed / s.fileSize : 1),
      }
    : {};
