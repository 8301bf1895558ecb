/**
 * Virgil's signature scheme (shared by VEDS512 tokens and card signatures): Ed25519 over SHA-512(data),
 * wrapped in a DER `SEQUENCE { AlgorithmIdentifier(sha512), OCTET STRING(64) }`.
 */
import { createHash, sign, verify, type KeyObject } from 'node:crypto';

/** The fixed 19-byte DER header in front of the 64-byte Ed25519 signature. */
const DER_PREFIX = Buffer.from('3051300d060960864801650304020305000440', 'hex');
const SIGNATURE_DER_LENGTH = DER_PREFIX.length + 64;

function sha512(data: Uint8Array): Buffer {
  return createHash('sha512').update(data).digest();
}

/**
 * Signs `data` the way virgil-crypto does.
 * @example const der = signVirgil(privateKey, Buffer.from(snapshot)).toString('base64');
 */
export function signVirgil(privateKey: KeyObject, data: Uint8Array): Buffer {
  return Buffer.concat([DER_PREFIX, sign(null, sha512(data), privateKey)]);
}

/**
 * True when `signatureDer` is a valid Virgil signature of `data` by the Ed25519 `publicKey`.
 * @example verifyVirgil(publicKey, data, Buffer.from(signatureBase64, 'base64'))
 */
export function verifyVirgil(publicKey: KeyObject, data: Uint8Array, signatureDer: Uint8Array): boolean {
  if (signatureDer.length !== SIGNATURE_DER_LENGTH) return false;
  if (!DER_PREFIX.equals(signatureDer.subarray(0, DER_PREFIX.length))) return false;
  try {
    return verify(null, sha512(data), publicKey, signatureDer.subarray(DER_PREFIX.length));
  } catch {
    return false;
  }
}

/** True for a Node key object holding an Ed25519 key (the only card key type this stand-in verifies). */
export function isEd25519(key: KeyObject): boolean {
  return key.asymmetricKeyType === 'ed25519';
}
