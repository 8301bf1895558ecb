// Collects single requests into batches: callers await one result each, while the work crosses a boundary (a
// Worker's postMessage) once per batch. A batch leaves when it is full or on the next turn of the event loop, so the
// requests made together (a history page opened in parallel) share a round trip, and a lone live message waits for
// nothing but that turn.
import { yieldToEventLoop } from './yielding.js';

export interface BatcherOptions<J, R> {
  /** Runs one batch; resolves with one result per job, in the same order. */
  run: (jobs: J[]) => Promise<R[]>;
  /** Largest batch; a full batch leaves at once. */
  maxBatch?: number;
  /** When a batch that is not full leaves (default: the next macrotask, see yielding.ts). */
  schedule?: () => Promise<void>;
  /**
   * Results are handed to their callers this many at a time, one turn of the event loop apart (default: all at
   * once), so that what the callers do with them (parse, check, render) never adds up to one long task.
   */
  deliver?: number;
}

interface Pending<J, R> {
  job: J;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

export class Batcher<J, R> {
  readonly #run: (jobs: J[]) => Promise<R[]>;
  readonly #maxBatch: number;
  readonly #schedule: () => Promise<void>;
  readonly #deliver: number;
  #queue: Pending<J, R>[] = [];
  #scheduled = false;
  #closed: unknown;
  /** Batches sent and jobs in them (for tests and benchmarks). */
  readonly stats = { batches: 0, jobs: 0 };

  constructor(opts: BatcherOptions<J, R>) {
    this.#run = opts.run;
    this.#maxBatch = Math.max(1, opts.maxBatch ?? 64);
    this.#schedule = opts.schedule ?? yieldToEventLoop;
    this.#deliver = Math.max(1, opts.deliver ?? Infinity);
  }

  /** Queues one job; resolves with its result, or rejects with the batch's error (or the reason given to close). */
  submit(job: J): Promise<R> {
    if (this.#closed !== undefined) return Promise.reject(this.#closed);
    return new Promise<R>((resolve, reject) => {
      this.#queue.push({ job, resolve, reject });
      if (this.#queue.length >= this.#maxBatch) this.#flush();
      else if (!this.#scheduled) {
        this.#scheduled = true;
        void this.#schedule().then(() => {
          this.#scheduled = false;
          this.#flush();
        });
      }
    });
  }

  /** Rejects every queued job with `reason`, and every later one. Results of batches already sent are dropped. */
  close(reason: unknown): void {
    this.#closed = reason;
    const queued = this.#queue;
    this.#queue = [];
    for (const p of queued) p.reject(reason);
  }

  #flush(): void {
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.#maxBatch);
      this.stats.batches++;
      this.stats.jobs += batch.length;
      void this.#send(batch);
    }
  }

  async #send(batch: Pending<J, R>[]): Promise<void> {
    try {
      const results = await this.#run(batch.map((p) => p.job));
      if (results.length !== batch.length)
        throw new Error('A batch answered with the wrong number of results.');
      for (const [i, p] of batch.entries()) {
        // The callers of the previous group run (as microtasks) before the next turn.
        if (i > 0 && i % this.#deliver === 0) await this.#schedule();
        if (this.#closed !== undefined) p.reject(this.#closed);
        else p.resolve(results[i] as R);
      }
    } catch (error) {
      for (const p of batch) p.reject(this.#closed ?? error);
    }
  }
}
