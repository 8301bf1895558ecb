// Decryption across the device's spare cores: up to two decryption workers (worker-decryptor.ts) share the messages
// of a history page, each job going to the worker with the least in flight. Each worker holds its own copy of this
// device's private key (transferred, so none stays on the main thread), only ever in workers of the widget's origin;
// lock and sign-out wipe and stop all of them. One core, or one worker that started: that worker alone.
import type { DecryptJob, DecryptOutcome, FileOutcome } from './crypto-worker-protocol.js';
import type { WorkerDecryptor, WorkerDecryptorReport } from './worker-decryptor.js';

/** Two workers reach about twice one worker's rate; more would compete with rendering on common 2-4 core devices. */
const MAX_WORKERS = 2;

/** What the E3Kit adapter decrypts with: one worker, or a pool of them. */
export type Decryptor = Pick<
  WorkerDecryptor,
  'running' | 'setPrivateKey' | 'decrypt' | 'decryptFile' | 'report' | 'close'
>;

export function poolSize(cores = globalThis.navigator?.hardwareConcurrency || 1): number {
  return Math.max(1, Math.min(MAX_WORKERS, cores));
}

export class DecryptorPool implements Decryptor {
  readonly #members: WorkerDecryptor[];
  readonly #inFlight = new Map<WorkerDecryptor, number>();

  private constructor(members: WorkerDecryptor[]) {
    this.#members = members;
  }

  /**
   * Starts `size` workers side by side with `start` (`WorkerDecryptor.start`); the pool of those that started, the
   * one that did, or undefined for none.
   */
  static async start(
    size: number,
    start: () => Promise<WorkerDecryptor | undefined>,
  ): Promise<Decryptor | undefined> {
    const started = (await Promise.all(Array.from({ length: size }, () => start()))).filter(
      (worker): worker is WorkerDecryptor => worker !== undefined,
    );
    if (started.length <= 1) return started[0];
    return new DecryptorPool(started);
  }

  get running(): boolean {
    return this.#members.some((member) => member.running);
  }

  /** Gives every running worker the key: copies to all but the last, which takes `raw` itself. */
  async setPrivateKey(raw: Uint8Array): Promise<void> {
    const live = this.#members.filter((member) => member.running);
    await Promise.all(
      live.map((member, i) => member.setPrivateKey(i === live.length - 1 ? raw : raw.slice())),
    );
  }

  /** To the worker with the least in flight; if that worker dies meanwhile, again on another one still running. */
  async decrypt(job: DecryptJob): Promise<DecryptOutcome> {
    for (;;) {
      const member = this.#leastBusy();
      try {
        return await this.#track(member, () => member.decrypt(job));
      } catch (error) {
        if (member.running || !this.running) throw error;
      }
    }
  }

  decryptFile(...args: Parameters<WorkerDecryptor['decryptFile']>): Promise<FileOutcome> {
    const member = this.#leastBusy();
    return this.#track(member, () => member.decryptFile(...args));
  }

  /** The workers' reports added up: running and holding a key if any does. */
  report(): WorkerDecryptorReport {
    const reports = this.#members.map((member) => member.report());
    return {
      running: reports.some((r) => r.running),
      privateKey: reports.some((r) => r.privateKey),
      keys: reports.reduce((sum, r) => sum + r.keys, 0),
      live: reports.reduce((sum, r) => sum + r.live, 0),
    };
  }

  async close(): Promise<void> {
    await Promise.all(this.#members.map((member) => member.close()));
  }

  #leastBusy(): WorkerDecryptor {
    const live = this.#members.filter((member) => member.running);
    const pool = live.length > 0 ? live : this.#members;
    return pool.reduce((best, next) =>
      (this.#inFlight.get(next) ?? 0) < (this.#inFlight.get(best) ?? 0) ? next : best,
    );
  }

  async #track<T>(member: WorkerDecryptor, run: () => Promise<T>): Promise<T> {
    this.#inFlight.set(member, (this.#inFlight.get(member) ?? 0) + 1);
    try {
      return await run();
    } finally {
      this.#inFlight.set(member, (this.#inFlight.get(member) ?? 1) - 1);
    }
  }
}
