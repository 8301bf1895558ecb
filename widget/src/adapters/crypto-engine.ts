// The decryption worker's engine (crypto-worker.ts exposes it over Comlink): decrypts and verifies messages in
// batches and files chunk by chunk with the private key it was handed and the sender keys the main thread chose. It
// never fetches, stores or decides whom to trust. Kept apart from the worker entry so that it runs in Node tests too.
import type { VirgilCrypto, VirgilKey } from 'virgil-crypto/dist/browser.es.js';
import { classifyDecryptError, errorName } from './e3kit-support.js';
import { KeyMaterial } from './key-material.js';
import type {
  CryptoWorkerApi,
  DecryptJob,
  DecryptOutcome,
  FileOutcome,
  WorkerKeyReport,
} from './crypto-worker-protocol.js';

/** E3Kit's file chunk size: the same memory profile as decrypting on the main thread. */
const FILE_CHUNK = 64 * 1024;

/** The engine over a started virgil-crypto; `load` starts it (loads the WASM) and is run once, by `init()`. */
export function createCryptoEngine(load: () => Promise<VirgilCrypto>): CryptoWorkerApi {
  let crypto: VirgilCrypto | undefined;
  let keys: KeyMaterial | undefined;
  let privateKey: VirgilKey | undefined;
  /** Sender keys by their DER bytes (base64): imported once, disposed by the wipe. */
  let senderKeys = new Map<string, VirgilKey>();
  const abortedFiles = new Set<number>();
  let ready: Promise<void> | undefined;

  const report = (): WorkerKeyReport => ({
    keys: 0,
    live: 0,
    ...keys?.report(),
    privateKey: privateKey !== undefined,
  });

  const need = (): VirgilCrypto => {
    if (!crypto) throw new Error('The decryption engine has not started.');
    return crypto;
  };

  const senderKey = (der: string): VirgilKey => {
    let key = senderKeys.get(der);
    if (!key) {
      key = need().importPublicKey({ value: der, encoding: 'base64' });
      senderKeys.set(der, key);
    }
    return key;
  };

  const decryptOne = (job: DecryptJob): DecryptOutcome => {
    if (!privateKey) return { ok: false, kind: 'not-for-this-device' };
    try {
      const plain = need().decryptAndVerify(
        { value: job.ct, encoding: 'base64' },
        privateKey,
        senderKey(job.senderKey),
      );
      return { ok: true, text: plain.toString('utf8') };
    } catch (error) {
      return { ok: false, kind: classifyDecryptError(error) };
    }
  };

  return {
    init() {
      ready ??= load().then((started) => {
        crypto = started;
        keys = new KeyMaterial(started);
      });
      return ready;
    },

    async setPrivateKey(raw) {
      try {
        const next = need().importPrivateKey(raw);
        privateKey?.dispose();
        privateKey = next;
      } finally {
        raw.fill(0);
      }
      return report();
    },

    async decryptBatch(jobs) {
      return { outcomes: jobs.map(decryptOne), keys: report() };
    },

    async decryptFile(id, data, der, onProgress) {
      const stream = need().createStreamDecryptAndVerify();
      try {
        if (!privateKey) return { ok: false, kind: 'not-for-this-device' };
        stream.start(privateKey);
        const parts: Uint8Array<ArrayBuffer>[] = [];
        for (let offset = 0; offset < data.size; offset += FILE_CHUNK) {
          const chunk = new Uint8Array(await data.slice(offset, offset + FILE_CHUNK).arrayBuffer());
          // Checked after each await: the file may have been aborted, or the key wiped, meanwhile.
          if (abortedFiles.has(id) || !privateKey) return { ok: false, kind: 'aborted' };
          parts.push(stream.update(chunk));
          void onProgress?.(Math.min(offset + FILE_CHUNK, data.size) / (data.size || 1));
        }
        parts.push(stream.final());
        stream.verify(senderKey(der), false);
        return { ok: true, file: new Blob(parts) } satisfies FileOutcome;
      } catch (error) {
        return {
          ok: false,
          kind: errorName(error) === 'AbortError' ? 'aborted' : classifyDecryptError(error),
        };
      } finally {
        abortedFiles.delete(id);
        try {
          stream.dispose();
        } catch {
          // Already disposed by a failed step.
        }
      }
    },

    abortFile(id) {
      abortedFiles.add(id);
    },

    async wipe() {
      keys?.wipe();
      privateKey = undefined;
      senderKeys = new Map();
      return report();
    },
  };
}
