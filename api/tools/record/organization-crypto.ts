/**
 * @module
 * Opening messages with the rebuilt organization key: the widget's own rules (`openMessage` in
 * widget/src/core/codec.ts: signed time, envelope binding, uploaded envelopes checked by hash) over virgil-crypto
 * in Node. Every signature is verified against the sender's card in the key directory, the key the sender held at
 * the message's time; nothing that fails is trusted, and nothing is dropped: failures carry their reason.
 */
import type { VirgilCrypto, VirgilPrivateKey, VirgilPublicKey } from 'virgil-crypto';
import type { ICard } from 'virgil-sdk';
import { cardAt } from '../../../widget/src/adapters/card-at.js';
import { sha256, type FileRef } from '../../../widget/src/core/files.js';
import type { CryptoPort, DecryptResult, FailureReason } from '../../../widget/src/core/ports.js';

/** What a virgil-crypto failure means for the record. */
function reasonOf(error: unknown): FailureReason {
  const { name, status, message } = (error ?? {}) as { name?: string; status?: string; message?: string };
  if (name === 'FoundationError' && /recipient .*not found/i.test(String(message)))
    return 'not-for-this-device';
  if (status === 'SIGNER_NOT_FOUND' || status === 'INVALID_SIGNATURE' || status === 'DATA_NOT_SIGNED')
    return 'unverified-sender';
  if (/signature|signer/i.test(String(message))) return 'unverified-sender';
  return 'tampered';
}

export type CardLookup = (identity: string, refresh: boolean) => Promise<ICard | undefined>;

export class OrganizationCrypto implements Pick<CryptoPort, 'decrypt' | 'decryptBlob'> {
  constructor(
    private readonly crypto: VirgilCrypto,
    private readonly privateKey: VirgilPrivateKey,
    private readonly cards: CardLookup,
  ) {}

  decrypt(ciphertext: string, from: string, sentAt: Date, opts: { refresh?: boolean } = {}) {
    return this.#open(from, sentAt, opts, (key) =>
      this.crypto.decryptAndVerify(Buffer.from(ciphertext, 'base64'), this.privateKey, key).toString('utf8'),
    );
  }

  async decryptBlob(data: Blob, from: string, sentAt: Date, opts: { refresh?: boolean } = {}) {
    const bytes = new Uint8Array(await data.arrayBuffer());
    return this.#open(from, sentAt, opts, (key) => this.#streamed(bytes, key).toString('utf8'));
  }

  /** A file: its encrypted bytes checked against the sealed SHA-256, then decrypted and verified. */
  async openFile(
    encrypted: Blob,
    ref: FileRef,
    from: string,
    sentAt: Date,
  ): Promise<Uint8Array | FailureReason> {
    if (ref.sha256 && (await sha256(encrypted)) !== ref.sha256) return 'tampered';
    const card = await this.cards(from, false);
    if (!card) return 'unknown-sender';
    try {
      const plain = this.#streamed(
        new Uint8Array(await encrypted.arrayBuffer()),
        cardAt(card, sentAt).card.publicKey as VirgilPublicKey,
      );
      return new Uint8Array(plain);
    } catch (error) {
      return reasonOf(error);
    }
  }

  /** E3Kit's `authEncryptFile` format: streamed sign-and-encrypt, the signature checked after the last chunk. */
  #streamed(bytes: Uint8Array, key: VirgilPublicKey): Buffer {
    const decipher = this.crypto.createStreamDecryptAndVerify();
    try {
      decipher.start(this.privateKey);
      const head = decipher.update(Buffer.from(bytes));
      const tail = decipher.final();
      decipher.verify(key);
      return Buffer.concat([head, tail]);
    } finally {
      decipher.dispose();
    }
  }

  async #open(
    from: string,
    sentAt: Date,
    opts: { refresh?: boolean },
    run: (key: VirgilPublicKey) => string,
  ): Promise<DecryptResult> {
    const current = await this.cards(from, opts.refresh === true);
    if (!current) return { ok: false, reason: 'unknown-sender' };
    const { card, valid } = cardAt(current, sentAt);
    try {
      return { ok: true, plaintext: run(card.publicKey as VirgilPublicKey), keyValid: valid };
    } catch (error) {
      return { ok: false, reason: reasonOf(error) };
    }
  }
}
