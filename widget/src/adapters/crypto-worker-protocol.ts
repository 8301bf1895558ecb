// The messages between the widget and its decryption worker (crypto-worker.ts), as the typed API that Comlink
// carries. The worker is a pure crypto engine: it holds this device's private key and decrypts and verifies with the
// sender keys the main thread chose (key trust stays in core and the E3Kit adapter). No plaintext or key ever leaves
// through anything but these answers.
import type { FailureReason } from '../core/ports.js';

/** Why a decryption failed, as classifyDecryptError sees it ('recipient-missing' is refined by the caller). */
export type DecryptFailureKind = 'recipient-missing' | FailureReason;

/** One message to open: the base64 ciphertext and the sender's public key (DER, base64) to verify it with. */
export interface DecryptJob {
  ct: string;
  senderKey: string;
}

export type DecryptOutcome = { ok: true; text: string } | { ok: false; kind: DecryptFailureKind };

export type FileOutcome = { ok: true; file: Blob } | { ok: false; kind: DecryptFailureKind | 'aborted' };

/** Key objects the worker holds (see key-material.ts): after `wipe()`, `live` is 0. */
export interface WorkerKeyReport {
  /** Key objects the worker's VirgilCrypto created. */
  keys: number;
  /** Of those, the ones not disposed yet. */
  live: number;
  /** A private key is installed. */
  privateKey: boolean;
}

export interface CryptoWorkerApi {
  /** Loads the foundation WASM (once per worker). Rejects when it cannot: the widget then decrypts on the main thread. */
  init(): Promise<void>;
  /**
   * Installs this device's private key (raw bytes, transferred: the caller's copy is detached). The worker wipes the
   * bytes once imported. Replaces the key installed before, disposing it.
   */
  setPrivateKey(raw: Uint8Array): Promise<WorkerKeyReport>;
  /** Decrypts and verifies a batch of messages; one outcome per job, in order, and the worker's keys after it. */
  decryptBatch(jobs: DecryptJob[]): Promise<{ outcomes: DecryptOutcome[]; keys: WorkerKeyReport }>;
  /**
   * Decrypts and verifies a file (E3Kit's authEncryptFile format) chunk by chunk. `id` names it for `abortFile`;
   * `onProgress` is a Comlink proxy.
   */
  decryptFile(
    id: number,
    data: Blob,
    senderKey: string,
    onProgress?: (fraction: number) => void,
  ): Promise<FileOutcome>;
  abortFile(id: number): void;
  /** Disposes every key object and forgets the private key; resolves with what is left (live 0). */
  wipe(): Promise<WorkerKeyReport>;
}
