/**
 * @module
 * The crypto port used by the token signers and the user-id derivation: HMAC-SHA256, SHA-512 and Ed25519, each
 * key imported once. `webCryptoProvider` (the default) uses `crypto.subtle` and runs on every runtime. Node's
 * WebCrypto pays a thread-pool hop per call (~50 µs measured on Node 20), so the Node entry plugs in a
 * `node:crypto` provider producing byte-identical output (tested), which is what makes the API several times
 * faster than a minimal Express token server there.
 */

/** Computes a MAC or signature over `data` with a key fixed when the signer was made. */
export type Signer = (data: Uint8Array<ArrayBuffer>) => Promise<Uint8Array<ArrayBuffer>>;

export interface CryptoProvider {
  hmacSha256(secret: Uint8Array<ArrayBuffer>): Signer;
  /** Pure Ed25519 with a PKCS#8 DER private key. */
  ed25519(pkcs8: Uint8Array<ArrayBuffer>): Signer;
  sha512(data: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>>;
}

export const webCryptoProvider: CryptoProvider = {
  hmacSha256(secret) {
    const key = crypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    key.catch(() => undefined); // a bad key surfaces on first use, not as an unhandled rejection
    return async (data) => new Uint8Array(await crypto.subtle.sign('HMAC', await key, data));
  },
  ed25519(pkcs8) {
    const key = crypto.subtle.importKey('pkcs8', pkcs8, { name: 'Ed25519' }, false, ['sign']);
    key.catch(() => undefined);
    return async (data) => new Uint8Array(await crypto.subtle.sign('Ed25519', await key, data));
  },
  async sha512(data) {
    return new Uint8Array(await crypto.subtle.digest('SHA-512', data));
  },
};
