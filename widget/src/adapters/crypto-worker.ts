// The decryption worker: a dedicated module Worker of the widget's own origin (rollup emits it as its own chunk,
// sharing virgil-crypto's chunk and its one WASM asset with the E3Kit chunk). It decrypts and verifies messages in
// batches and files chunk by chunk, with the private key the main thread handed over by transfer and the sender keys
// the main thread chose; it never fetches, stores or decides whom to trust. See crypto-worker-protocol.ts.
import { expose, releaseProxy, type Remote } from 'comlink';
import foundationWasmUrl from '@virgilsecurity/e3kit-browser/dist/libfoundation.browser.wasm';
import { initCrypto, VirgilCrypto, type VirgilKey } from 'virgil-crypto/dist/browser.es.js';
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

let crypto: VirgilCrypto | undefined;
let keys: KeyMaterial | undefined;
let privateKey: VirgilKey | undefined;
/** Sender keys by their DER bytes (base64): imported once, disposed by the wipe. */
let senderKeys = new Map<string, VirgilKey>();
const abortedFiles = new Set<number>();
let ready: Promise<void> | undefined;

function report(): WorkerKeyReport {
  return { keys: 0, live: 0, ...keys?.report(), privateKey: privateKey !== undefined };
}

function need(): VirgilCrypto {
  if (!crypto) throw new Error('The decryption worker has not started.');
  return crypto;
}

function senderKey(der: string): VirgilKey {
  let key = senderKeys.get(der);
  if (!key) {
    key = need().importPublicKey({ value: der, encoding: 'base64' });
    senderKeys.set(der, key);
  }
  return key;
}

function decryptOne(job: DecryptJob): DecryptOutcome {
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
}

const api: CryptoWorkerApi = {
  init() {
    ready ??= initCrypto({ foundation: [{ locateFile: () => foundationWasmUrl }] }).then(() => {
      crypto = new VirgilCrypto();
      keys = new KeyMaterial(crypto);
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
    return jobs.map(decryptOne);
  },

  async decryptFile(id, data, der, onProgress) {
    const progress = onProgress as Remote<(fraction: number) => void> | undefined;
    const stream = need().createStreamDecryptAndVerify();
    try {
      if (!privateKey) return { ok: false, kind: 'not-for-this-device' };
      stream.start(privateKey);
      const parts: Uint8Array<ArrayBuffer>[] = [];
      for (let offset = 0; offset < data.size; offset += FILE_CHUNK) {
        const chunk = new Uint8Array(await data.slice(offset, offset + FILE_CHUNK).arrayBuffer());
        // Checked after each await: the key may have been wiped meanwhile.
        if (abortedFiles.has(id) || !privateKey) return { ok: false, kind: 'aborted' };
        parts.push(stream.update(chunk));
        void progress?.(Math.min(offset + FILE_CHUNK, data.size) / (data.size || 1));
      }
      parts.push(stream.final());
      stream.verify(senderKey(der), false);
      return { ok: true, file: new Blob(parts) } satisfies FileOutcome;
    } catch (error) {
      return { ok: false, kind: errorName(error) === 'AbortError' ? 'aborted' : classifyDecryptError(error) };
    } finally {
      abortedFiles.delete(id);
      try {
        stream.dispose();
      } catch {
        // Already disposed by a failed step.
      }
      progress?.[releaseProxy]();
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

expose(api);
