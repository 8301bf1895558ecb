// Every in-memory key object of one E3Kit instance (or of the decryption worker's VirgilCrypto), so that a lock or
// sign-out can dispose all of them.
//
// virgil-crypto's keys (`VirgilPrivateKey`, `VirgilPublicKey`) are JavaScript handles on objects in the WASM heap of
// Virgil's C library; they stay there until `dispose()` frees them (`isDisposed` tells). E3Kit never disposes them:
// its `PrivateKeyLoader` caches the private key in `cachedPrivateKey` for the life of the instance, card lookups
// import a public key per card, and every encryption extracts the own public key again. All of them are made by a
// few methods of the instance's own `VirgilCrypto` (virgil-sdk's card parsing goes through the same object), so
// wrapping those methods sees every key E3Kit creates.
import type { EThree } from '@virgilsecurity/e3kit-browser';
import type { KeyMaterialReport } from '../core/ports.js';

/** A virgil-crypto key object. */
interface KeyObject {
  readonly isDisposed: boolean;
  dispose(): void;
}

const isKeyObject = (value: unknown): value is KeyObject =>
  typeof value === 'object' &&
  value !== null &&
  'isDisposed' in value &&
  typeof (value as { dispose?: unknown }).dispose === 'function';

/** The `VirgilCrypto` methods that return key objects (a key, or a `{ privateKey, publicKey }` pair). */
const KEY_FACTORIES = [
  'importPrivateKey',
  'importPublicKey',
  'extractPublicKey',
  'generateKeys',
  'generateKeysFromKeyMaterial',
] as const;

export class KeyMaterial {
  readonly #keys = new Set<KeyObject>();
  readonly #loader: { cachedPrivateKey?: unknown } | undefined;
  #wiped = false;

  /** Follows the key objects `e3` creates from now on. Call before the instance loads or makes any key. */
  static ofEThree(e3: EThree): KeyMaterial {
    const loader = (e3 as unknown as { keyLoader?: { cachedPrivateKey?: unknown } }).keyLoader;
    return new KeyMaterial(e3.virgilCrypto, loader);
  }

  /**
   * Follows the key objects a `VirgilCrypto` creates from now on; `loader` is E3Kit's private key loader, whose
   * cache the wipe drops.
   */
  constructor(virgilCrypto: object, loader?: { cachedPrivateKey?: unknown }) {
    const crypto = virgilCrypto as Record<string, unknown>;
    for (const name of KEY_FACTORIES) {
      const create = crypto[name];
      if (typeof create !== 'function') continue;
      crypto[name] = (...args: unknown[]) => this.#track(create.apply(crypto, args) as unknown);
    }
    this.#loader = loader;
  }

  /**
   * Disposes every key object (the cached private key included) and drops E3Kit's cache of the private key. A key
   * made afterwards by an operation still in flight is disposed at once, so nothing can use a key after the wipe.
   */
  wipe(): void {
    this.#wiped = true;
    if (this.#loader) this.#loader.cachedPrivateKey = null;
    for (const key of this.#keys) dispose(key);
  }

  /** How many key objects this instance made, and how many are not disposed yet. */
  report(): Pick<KeyMaterialReport, 'keys' | 'live'> {
    let live = 0;
    for (const key of this.#keys) if (!key.isDisposed) live++;
    return { keys: this.#keys.size, live };
  }

  #track<T>(result: T): T {
    const keys = isKeyObject(result)
      ? [result]
      : Object.values((result ?? {}) as Record<string, unknown>).filter(isKeyObject);
    for (const key of keys) {
      this.#keys.add(key);
      if (this.#wiped) dispose(key);
    }
    return result;
  }
}

function dispose(key: KeyObject): void {
  if (key.isDisposed) return;
  try {
    key.dispose();
  } catch {
    // Already freed by its owner: nothing is left to free.
  }
}
