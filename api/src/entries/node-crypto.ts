/**
 * @module
 * `CryptoProvider` on `node:crypto`: synchronous HMAC, SHA-512 and Ed25519 with keys imported once. Same bytes as
 * the WebCrypto provider (Ed25519 and HMAC are deterministic), without WebCrypto's per-call thread-pool hop.
 */
import { createHash, createHmac, createPrivateKey, sign } from 'node:crypto';
import type { CryptoProvider } from '../crypto.js';

const bytes = (buffer: Buffer): Uint8Array<ArrayBuffer> =>
  new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength) as Uint8Array<ArrayBuffer>;

export const nodeCryptoProvider: CryptoProvider = {
  hmacSha256(secret) {
    const key = Buffer.from(secret);
    return async (data) => bytes(createHmac('sha256', key).update(data).digest());
  },
  ed25519(pkcs8) {
    const key = createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' });
    if (key.asymmetricKeyType !== 'ed25519') throw new Error('expected an Ed25519 private key');
    return async (data) => bytes(sign(null, data, key));
  },
  async sha512(data) {
    return bytes(createHash('sha512').update(data).digest());
  },
};
