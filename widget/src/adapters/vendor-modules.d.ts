// Types for vendor entry points imported by path (they ship without declarations).
declare module '*.wasm' {
  /** The emitted asset's URL (rollup.config.ts `wasmAsUrl`). */
  const url: string;
  export default url;
}

declare module 'virgil-crypto/dist/browser.es.js' {
  export function initCrypto(args?: { [name: string]: unknown[] }): Promise<void>;

  /** virgil-crypto's byte input: raw bytes, or a string in the given encoding. */
  type Data = Uint8Array | { value: string; encoding: 'base64' | 'utf8' };
  /** virgil-crypto's Buffer (a Uint8Array with Node's toString). */
  interface Bytes extends Uint8Array<ArrayBuffer> {
    toString(encoding?: 'utf8' | 'base64'): string;
  }
  /** A private or public key: a handle on an object in the WASM heap, freed by dispose(). */
  interface VirgilKey {
    readonly isDisposed: boolean;
    dispose(): void;
  }
  /** The parts of virgil-crypto the decryption worker uses (the same calls E3Kit's authDecrypt makes). */
  export class VirgilCrypto {
    importPrivateKey(raw: Data): VirgilKey;
    importPublicKey(raw: Data): VirgilKey;
    decryptAndVerify(data: Data, privateKey: VirgilKey, publicKey: VirgilKey): Bytes;
    createStreamDecryptAndVerify(): {
      start(privateKey: VirgilKey): void;
      update(data: Data): Bytes;
      final(): Bytes;
      verify(publicKey: VirgilKey, dispose?: boolean): void;
      dispose(): void;
    };
  }
  export type { VirgilKey };
}

declare module '*?worker-url' {
  /** The URL of the module worker chunk rollup emits for this module (rollup.config.ts `workerUrl`). */
  const url: string;
  export default url;
}

declare module 'virtual:password-lists' {
  /** The heads of zxcvbn-ts's ranked word lists, by dictionary name (widget/scripts/password-lists.ts). */
  const lists: Record<string, string[]>;
  export default lists;
}
