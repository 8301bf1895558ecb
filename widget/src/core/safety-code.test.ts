import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  ITERATIONS,
  fingerprintDigits,
  formatSafetyCode,
  keyFingerprintHex,
  safetyCode,
} from './safety-code.js';

// Two fixed Ed25519 SPKI public keys (44 bytes each), as E3Kit exports them.
const ALICE = {
  id: 'u_alice',
  publicKey: Uint8Array.from(
    Buffer.from('MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=', 'base64'),
  ),
};
const BOB = {
  id: 'u_bob',
  publicKey: Uint8Array.from(
    Buffer.from('MCowBQYDK2VwAyEAPUAXw+hDiVqStwqnTRt+vJyYooSd+dLWXeD3Rfs7Bk4=', 'base64'),
  ),
};

/** An independent implementation on Node's hash API, to cross-check the WebCrypto one. */
function referenceFingerprint(id: string, publicKey: Uint8Array): string {
  let hash = Buffer.concat([Buffer.from([0, 1]), publicKey, Buffer.from(id, 'utf8')]);
  for (let i = 0; i < ITERATIONS; i++) hash = createHash('sha512').update(hash).update(publicKey).digest();
  let digits = '';
  for (let group = 0; group < 6; group++) {
    const value = hash.readUIntBE(group * 5, 5);
    digits += String(value % 100000).padStart(5, '0');
  }
  return digits;
}

describe('safety codes', () => {
  it('match the fixed vectors', async () => {
    expect(await fingerprintDigits(ALICE)).toBe('827878294182686277956111272263');
    expect(await fingerprintDigits(BOB)).toBe('664886555406072773391452114823');
    expect(await safetyCode(ALICE, BOB)).toBe('827878294182686277956111272263664886555406072773391452114823');
  });

  it('agree with an independent implementation', async () => {
    expect(await fingerprintDigits(ALICE)).toBe(referenceFingerprint(ALICE.id, ALICE.publicKey));
    expect(await fingerprintDigits(BOB)).toBe(referenceFingerprint(BOB.id, BOB.publicKey));
  });

  it('are the same from both sides and change when a key changes', async () => {
    const code = await safetyCode(ALICE, BOB);
    expect(await safetyCode(BOB, ALICE)).toBe(code);
    const rotated = {
      ...BOB,
      publicKey: Uint8Array.from(BOB.publicKey, (byte, i) => (i === 20 ? byte ^ 1 : byte)),
    };
    expect(await safetyCode(ALICE, rotated)).not.toBe(code);
  });

  it('bind the key to the chat id', async () => {
    expect(await fingerprintDigits({ ...ALICE, id: 'u_mallory' })).not.toBe(await fingerprintDigits(ALICE));
  });

  it('format in groups of five', () => {
    expect(formatSafetyCode('1234567890123')).toBe('12345 67890 123');
    expect(formatSafetyCode('827878294182686277956111272263')).toBe('82787 82941 82686 27795 61112 72263');
  });

  it('give a hex key id', async () => {
    expect(await keyFingerprintHex(ALICE.publicKey)).toBe(
      createHash('sha256').update(ALICE.publicKey).digest('hex'),
    );
  });
});
