/**
 * Safety codes for key verification (HIPAA 164.312(d), person or entity authentication).
 *
 * Each party's fingerprint is an iterated SHA-512 over a version tag, their public key and their chat id, so that
 * finding a second key with the same code costs `ITERATIONS` hashes per guess. The conversation's code is the two
 * fingerprints in a fixed order (by chat id), so both sides compute the same 60 digits. Same construction as
 * Signal's safety numbers, with our own version tag; uses only WebCrypto so it runs in every runtime.
 */

export const SAFETY_CODE_VERSION = 1;
export const ITERATIONS = 5200;
const DIGIT_GROUPS = 6;
const BYTES_PER_GROUP = 5;

export interface KeyOwner {
  /** The opaque chat id, the same at Stream and Virgil. */
  id: string;
  /** The public key as exported by E3Kit (SPKI DER bytes). */
  publicKey: Uint8Array;
}

function concat(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((length, part) => length + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** 30 digits (six groups of five) that stand for one person's key. */
export async function fingerprintDigits({ id, publicKey }: KeyOwner): Promise<string> {
  const idBytes = new TextEncoder().encode(id);
  let hash = concat(new Uint8Array([0, SAFETY_CODE_VERSION]), publicKey, idBytes);
  for (let i = 0; i < ITERATIONS; i++) {
    hash = new Uint8Array(await crypto.subtle.digest('SHA-512', concat(hash, publicKey)));
  }
  let digits = '';
  for (let group = 0; group < DIGIT_GROUPS; group++) {
    let value = 0;
    for (let i = 0; i < BYTES_PER_GROUP; i++) value = value * 256 + hash[group * BYTES_PER_GROUP + i]!;
    digits += String(value % 100000).padStart(5, '0');
  }
  return digits;
}

/**
 * The 60-digit code two people compare, identical on both sides.
 * @example const code = await safetyCode(me, them); // "12345 67890 …" after formatSafetyCode
 */
export async function safetyCode(a: KeyOwner, b: KeyOwner): Promise<string> {
  const [first, second] = a.id < b.id ? [a, b] : [b, a];
  const [x, y] = await Promise.all([fingerprintDigits(first), fingerprintDigits(second)]);
  return x + y;
}

/** Groups digits in fives for reading aloud: "12345 67890 …". */
export function formatSafetyCode(digits: string): string {
  return digits.replace(/(\d{5})(?=\d)/g, '$1 ');
}

/** A short, stable key identity for remembering what was verified (hex SHA-256 of the public key). */
export async function keyFingerprintHex(publicKey: Uint8Array): Promise<string> {
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', new Uint8Array(publicKey)));
  return Array.from(hash, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
