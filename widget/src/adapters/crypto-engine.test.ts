// The decryption worker's engine with the real virgil-crypto (its Node build; the worker loads the browser build of
// the same version): the protocol's answers for genuine, tampered, forged and misaddressed messages and files, the key
// hand-over and the wipe.
import { initCrypto, VirgilCrypto } from 'virgil-crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCryptoEngine } from './crypto-engine.js';
import type { VirgilCrypto as EngineCrypto } from 'virgil-crypto/dist/browser.es.js';

let crypto: VirgilCrypto;
type KeyPair = ReturnType<VirgilCrypto['generateKeys']>;
let alice: KeyPair;
let bob: KeyPair;
let carol: KeyPair;
const der = (pair: KeyPair) => crypto.exportPublicKey(pair.publicKey).toString('base64');

/** What E3Kit's authEncrypt produces: signed by `from`, encrypted to `to`. */
const seal = (text: string, from: KeyPair, to: KeyPair[]) =>
  crypto
    .signAndEncrypt(
      text,
      from.privateKey,
      to.map((p) => p.publicKey),
      true,
    )
    .toString('base64');

/** What E3Kit's authEncryptFile produces. */
function sealFile(bytes: Uint8Array, from: KeyPair, to: KeyPair[]): Blob {
  const cipher = crypto.createStreamSignAndEncrypt(
    from.privateKey,
    to.map((p) => p.publicKey),
    true,
  );
  const parts = [cipher.start(bytes.length), cipher.update(bytes), cipher.final()];
  cipher.dispose();
  return new Blob(parts.map((p) => new Uint8Array(p)));
}

function flipByte(b64: string): string {
  const bytes = Buffer.from(b64, 'base64');
  const i = Math.floor(bytes.length * 0.75);
  bytes[i] = (bytes[i] ?? 0) ^ 0x5a;
  return bytes.toString('base64');
}

/** A started engine holding Alice's private key. */
async function aliceEngine() {
  const engine = createCryptoEngine(async () => new VirgilCrypto() as unknown as EngineCrypto);
  await engine.init();
  const raw = new Uint8Array(crypto.exportPrivateKey(alice.privateKey));
  const report = await engine.setPrivateKey(raw);
  return { engine, raw, report };
}

beforeAll(async () => {
  await initCrypto();
  crypto = new VirgilCrypto();
  [alice, bob, carol] = [crypto.generateKeys(), crypto.generateKeys(), crypto.generateKeys()];
});

describe('crypto engine (decryption worker)', () => {
  it('wipes the handed-over key bytes once imported', async () => {
    const { raw, report } = await aliceEngine();
    expect(raw.every((b) => b === 0)).toBe(true);
    expect(report).toEqual({ keys: 1, live: 1, privateKey: true });
  });

  it('answers a batch in order: verified, tampered, forged, not for this device', async () => {
    const { engine } = await aliceEngine();
    const ct = seal('hello Alice', bob, [alice, bob]);
    const { outcomes, keys } = await engine.decryptBatch([
      { ct, senderKey: der(bob) },
      { ct: flipByte(ct), senderKey: der(bob) },
      { ct, senderKey: der(carol) }, // the server claims Carol sent it
      { ct: seal('for Carol only', bob, [carol]), senderKey: der(bob) },
      { ct: 'not base64 at all', senderKey: der(bob) },
    ]);
    expect(outcomes).toEqual([
      { ok: true, text: 'hello Alice' },
      { ok: false, kind: expect.stringMatching(/^(tampered|unverified-sender)$/) },
      { ok: false, kind: 'unverified-sender' },
      { ok: false, kind: 'recipient-missing' },
      { ok: false, kind: 'tampered' },
    ]);
    // The private key and the two sender keys, each imported once.
    expect(keys).toEqual({ keys: 3, live: 3, privateKey: true });
  });

  it('decrypts and verifies a file, and refuses a forged or altered one', async () => {
    const { engine } = await aliceEngine();
    const bytes = new Uint8Array(130 * 1024).map((_, i) => i % 251);
    const sealed = sealFile(bytes, bob, [alice]);
    const progress: number[] = [];
    const opened = await engine.decryptFile(1, sealed, der(bob), (f) => progress.push(f));
    expect(opened.ok).toBe(true);
    if (opened.ok) expect(new Uint8Array(await opened.file.arrayBuffer())).toEqual(bytes);
    expect(progress.at(-1)).toBe(1);
    expect(await engine.decryptFile(2, sealed, der(carol))).toEqual({ ok: false, kind: 'unverified-sender' });
    const altered = new Uint8Array(await sealed.arrayBuffer());
    altered[altered.length - 40] ^= 0x5a;
    const refused = await engine.decryptFile(3, new Blob([altered]), der(bob));
    expect(refused.ok).toBe(false);
  });

  it('stops a file that was aborted', async () => {
    const { engine } = await aliceEngine();
    const sealed = sealFile(new Uint8Array(512 * 1024), bob, [alice]);
    const running = engine.decryptFile(7, sealed, der(bob));
    engine.abortFile(7);
    expect(await running).toEqual({ ok: false, kind: 'aborted' });
  });

  it('wipe() disposes every key object and forgets the private key', async () => {
    const { engine } = await aliceEngine();
    const ct = seal('before the lock', bob, [alice]);
    await engine.decryptBatch([{ ct, senderKey: der(bob) }]);
    expect(await engine.wipe()).toEqual({ keys: 2, live: 0, privateKey: false });
    const { outcomes } = await engine.decryptBatch([{ ct, senderKey: der(bob) }]);
    expect(outcomes).toEqual([{ ok: false, kind: 'not-for-this-device' }]);
  });
});
