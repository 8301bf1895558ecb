// The main thread's side of the decryption worker (crypto-worker.ts): starts it as a module Worker of the document's
// own origin, hands it the private key by transfer, feeds it messages in batches (core/batcher.ts) and files one at a
// time, and on close wipes its keys and terminates it. When module workers are unavailable (no Worker, a CSP that
// forbids it, an engine without module workers) `start()` resolves undefined and the E3Kit adapter decrypts on the
// main thread as before.
import { proxy, transfer, wrap, type Remote } from 'comlink';
import { Batcher } from '../core/batcher.js';
import { SecureChatError } from '../core/errors.js';
import type {
  CryptoWorkerApi,
  DecryptJob,
  DecryptOutcome,
  FileOutcome,
  WorkerKeyReport,
} from './crypto-worker-protocol.js';
import workerUrl from './crypto-worker.js?worker-url';

/** Longest wait for the worker to load its WASM before decrypting on the main thread instead. */
const START_TIMEOUT_MS = 15_000;
/**
 * Longest wait for the worker to confirm its wipe before it is terminated anyway (which frees its memory too). A
 * worker finishing a batch on a busy device can take over a second; the screen is cleared before this wait begins.
 */
const WIPE_TIMEOUT_MS = 3_000;
/**
 * Messages per batch: enough to amortise a round trip, small enough to return the first results early and to keep
 * two batches in flight for a history page (core/conversation.ts opens 64 at once).
 */
const MAX_BATCH = 32;
/** Answers handed to the conversation per task: each is parsed, checked and stored on the main thread. */
const DELIVER = 4;

export interface WorkerDecryptorReport extends WorkerKeyReport {
  /** The worker thread exists (false once terminated). */
  running: boolean;
}

export class WorkerDecryptor {
  readonly #worker: Worker;
  readonly #api: Remote<CryptoWorkerApi>;
  readonly #batcher: Batcher<DecryptJob, DecryptOutcome>;
  #last: WorkerKeyReport = { keys: 0, live: 0, privateKey: false };
  #running = true;
  #closing: Promise<void> | undefined;
  #nextFile = 0;

  private constructor(worker: Worker) {
    this.#worker = worker;
    this.#api = wrap<CryptoWorkerApi>(worker);
    this.#batcher = new Batcher({
      run: async (jobs) => {
        const { outcomes, keys } = await this.#api.decryptBatch(jobs);
        if (this.#running) this.#last = keys;
        return outcomes;
      },
      maxBatch: MAX_BATCH,
      deliver: DELIVER,
    });
    // A worker that dies (out of memory, killed) rejects what is queued; the adapter falls back to the main thread.
    worker.addEventListener('error', () => this.#stop(new Error('The decryption worker failed.')));
  }

  /** Starts the worker and loads its WASM; undefined when this browsing context cannot run it. */
  static async start(url: string | URL = workerUrl): Promise<WorkerDecryptor | undefined> {
    if (typeof Worker !== 'function') return undefined;
    let worker: Worker;
    let boot: string | undefined;
    try {
      // Resolved against the chunk's own URL, so it works in whichever document (a page, a frame) loaded the widget.
      const script = new URL(url, import.meta.url);
      const options = { type: 'module', name: 'secure-chat-crypto' } as const;
      if (script.origin === globalThis.location?.origin) worker = new Worker(script, options);
      else {
        // Widget files on another origin (a CDN): a worker's script must be the document's, so a blob: module of this
        // document imports the worker chunk (a CORS request, like the widget's other chunks; CSP `worker-src blob:`).
        const source = new Blob([`import ${JSON.stringify(script.href)};`], { type: 'text/javascript' });
        boot = URL.createObjectURL(source);
        worker = new Worker(boot, options);
      }
    } catch {
      return undefined; // SecurityError (a sandboxed or opaque-origin document), or no module workers
    }
    const decryptor = new WorkerDecryptor(worker);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const failed = new Promise<false>((resolve) => {
      worker.addEventListener('error', () => resolve(false), { once: true });
      timer = setTimeout(() => resolve(false), START_TIMEOUT_MS);
    });
    const started = await Promise.race([
      decryptor.#api.init().then(
        () => true,
        () => false,
      ),
      failed,
    ]);
    clearTimeout(timer);
    if (boot) URL.revokeObjectURL(boot);
    if (started) return decryptor;
    decryptor.#stop(new Error('The decryption worker did not start.'));
    return undefined;
  }

  get running(): boolean {
    return this.#running;
  }

  /** Installs the private key; `raw` is transferred (detached here) and wiped in the worker once imported. */
  async setPrivateKey(raw: Uint8Array): Promise<void> {
    this.#last = await this.#api.setPrivateKey(transfer(raw, [raw.buffer]));
  }

  decrypt(job: DecryptJob): Promise<DecryptOutcome> {
    return this.#batcher.submit(job);
  }

  /** Decrypts and verifies one file; `signals` abort it (the answer is then never used). */
  async decryptFile(
    data: Blob,
    senderKey: string,
    signals: readonly (AbortSignal | undefined)[],
    onProgress?: (fraction: number) => void,
  ): Promise<FileOutcome> {
    const id = this.#nextFile++;
    const live = signals.filter((s): s is AbortSignal => s !== undefined);
    if (live.some((s) => s.aborted)) return { ok: false, kind: 'aborted' };
    let onAbort = () => {};
    const aborted = new Promise<FileOutcome>((resolve) => {
      onAbort = () => {
        void this.#api.abortFile(id).catch(() => {});
        resolve({ ok: false, kind: 'aborted' });
      };
      for (const s of live) s.addEventListener('abort', onAbort);
    });
    try {
      const run = this.#api.decryptFile(id, data, senderKey, onProgress ? proxy(onProgress) : undefined);
      return await Promise.race([run, aborted]);
    } finally {
      for (const s of live) s.removeEventListener('abort', onAbort);
    }
  }

  /** What the worker reported last: after close(), the report of its wipe, and `running: false`. */
  report(): WorkerDecryptorReport {
    return { ...this.#last, running: this.#running };
  }

  /**
   * Lock and sign-out: rejects queued work at once, asks the worker to dispose every key object (like the main
   * thread's KeyMaterial), then terminates it, which frees its whole heap and WASM memory.
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#batcher.close(new SecureChatError('aborted', 'Secure chat stopped.'));
      if (this.#running) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        const timeout = new Promise<undefined>(
          (resolve) => (timer = setTimeout(() => resolve(undefined), WIPE_TIMEOUT_MS)),
        );
        const wiped = await Promise.race([this.#api.wipe().catch(() => undefined), timeout]);
        clearTimeout(timer);
        if (wiped) this.#last = wiped;
      }
      this.#stop(new SecureChatError('aborted', 'Secure chat stopped.'));
    })();
    return this.#closing;
  }

  #stop(reason: unknown): void {
    this.#batcher.close(reason);
    this.#worker.terminate();
    this.#running = false;
  }
}
