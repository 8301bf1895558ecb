// Cooperative scheduling for long loops on the main thread (e.g. decrypting history): run work in time slices and
// yield to the event loop between slices, so no task grows into a long task (> 50 ms) and input stays responsive.
// `setTimeout(0)` is clamped to >= 4 ms after a few nested calls, which caps throughput; a MessageChannel post (or
// `scheduler.yield()` where it exists) returns after pending input and rendering without that clamp.

type YieldFn = () => Promise<void>;

interface SchedulerWithYield {
  yield(): Promise<void>;
}

/** Resolves on a fresh macrotask, after the browser has had a chance to handle input and paint. */
export const yieldToEventLoop: YieldFn = (() => {
  const scheduler = (globalThis as { scheduler?: Partial<SchedulerWithYield> }).scheduler;
  if (typeof scheduler?.yield === 'function') return () => scheduler.yield!();
  if (typeof MessageChannel === 'function') {
    return () =>
      new Promise<void>((resolve) => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => {
          channel.port1.close();
          resolve();
        };
        channel.port2.postMessage(undefined);
      });
  }
  return () => new Promise<void>((resolve) => setTimeout(resolve, 0));
})();

export interface TimeSlicerOptions {
  /** Longest stretch of work before yielding, in ms (well under the 50 ms long-task threshold). */
  budgetMs?: number;
  now?: () => number;
  yieldFn?: YieldFn;
}

/**
 * `await slicer.checkpoint()` between work items: yields only once the current slice has used its budget, so short
 * items are batched (throughput) and long runs are split (responsiveness).
 */
export class TimeSlicer {
  readonly #budgetMs: number;
  readonly #now: () => number;
  readonly #yield: YieldFn;
  #sliceStart: number;
  /** How many times the slicer has yielded (for tests and benchmarks). */
  yields = 0;

  constructor(opts: TimeSlicerOptions = {}) {
    this.#budgetMs = opts.budgetMs ?? 8;
    this.#now = opts.now ?? (() => performance.now());
    this.#yield = opts.yieldFn ?? yieldToEventLoop;
    this.#sliceStart = this.#now();
  }

  async checkpoint(): Promise<void> {
    if (this.#now() - this.#sliceStart < this.#budgetMs) return;
    this.yields++;
    await this.#yield();
    this.#sliceStart = this.#now();
  }
}

/** Runs `work` over `items` in time slices; `concurrency` items are awaited together (async crypto overlaps). */
export async function forEachSliced<T>(
  items: readonly T[],
  work: (item: T) => Promise<void> | void,
  opts: TimeSlicerOptions & { concurrency?: number; signal?: AbortSignal } = {},
): Promise<void> {
  const slicer = new TimeSlicer(opts);
  const concurrency = Math.max(1, opts.concurrency ?? 1);
  for (let i = 0; i < items.length; i += concurrency) {
    if (opts.signal?.aborted) return;
    await Promise.all(items.slice(i, i + concurrency).map((item) => work(item)));
    await slicer.checkpoint();
  }
}
