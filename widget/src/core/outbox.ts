// The connection state and the outbox: while the connection is down, outgoing messages wait (in order) and go out
// when it returns; a send that fails on the network is retried once the connection is back; a send the service
// refuses for its rate limit waits as long as asked (or backs off) and goes again, however long that takes.
import { SecureChatError } from './errors.js';

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface OutboxTask<T> {
  send: () => Promise<T>;
  /** Called with true when the task starts waiting for the connection, false when it goes out. */
  onWaiting?: (waiting: boolean) => void;
  /** Called with true when the service's rate limit delays the task, false when it is tried again. */
  onDelayed?: (delayed: boolean) => void;
}

/** Back-off after the n-th rate-limited attempt (from 1) when the service did not say how long: 1 s doubling to 30 s. */
export function rateLimitBackoff(n: number, random: () => number = Math.random): number {
  const ceiling = Math.min(30_000, 1000 * 2 ** (n - 1));
  // Jitter spreads out the senders that were refused together.
  return Math.round(ceiling * (0.5 + random() / 2));
}

const isRateLimited = (error: unknown): error is SecureChatError =>
  error instanceof SecureChatError && error.code === 'rate-limited';

export class Outbox {
  #online = true;
  #delayed = false;
  #closed = false;
  #waiters: (() => void)[] = [];
  #sleepers: (() => void)[] = [];
  #chain: Promise<unknown> = Promise.resolve();
  onChange?: (online: boolean) => void;

  constructor(
    private readonly isRetryable: (error: unknown) => boolean,
    private readonly maxAttempts = 5,
    private readonly retryDelayMs = 500,
    private readonly backoff: (n: number) => number = rateLimitBackoff,
  ) {}

  get online(): boolean {
    return this.#online;
  }

  /** True while a send waits out the service's rate limit. */
  get delayed(): boolean {
    return this.#delayed;
  }

  #setDelayed(delayed: boolean, task: OutboxTask<unknown>): void {
    this.#delayed = delayed;
    task.onDelayed?.(delayed);
    this.onChange?.(this.#online);
  }

  setOnline(online: boolean): void {
    if (this.#online === online) return;
    this.#online = online;
    if (online) for (const wake of this.#waiters.splice(0)) wake();
    this.onChange?.(online);
  }

  /** Queues a send behind earlier ones, so messages typed while offline keep their order. */
  run<T>(task: OutboxTask<T>): Promise<T> {
    const result = this.#chain.then(() => this.#attempt(task));
    this.#chain = result.catch(() => undefined);
    return result;
  }

  /** Wakes every waiting send; they then fail because the session is gone. */
  close(): void {
    this.#closed = true;
    for (const wake of [...this.#waiters.splice(0), ...this.#sleepers.splice(0)]) wake();
  }

  /** Sleeps, or less if the outbox closes meanwhile. */
  #sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.#sleepers = this.#sleepers.filter((w) => w !== wake);
        resolve();
      }, ms);
      this.#sleepers.push(wake);
    });
  }

  async #attempt<T>(task: OutboxTask<T>): Promise<T> {
    const untyped = task as OutboxTask<unknown>;
    let limited = 0;
    for (let attempt = 1; ; attempt++) {
      if (!this.#online && !this.#closed) {
        task.onWaiting?.(true);
        await new Promise<void>((resolve) => this.#waiters.push(resolve));
        task.onWaiting?.(false);
      }
      try {
        return await task.send();
      } catch (error) {
        if (!this.#closed && isRateLimited(error)) {
          // Not counted as an attempt: the message stays queued until the service takes it.
          attempt--;
          this.#setDelayed(true, untyped);
          await this.#sleep(error.retryAfterMs ?? this.backoff(++limited));
          this.#setDelayed(false, untyped);
          if (this.#closed) throw error;
          continue;
        }
        if (this.#closed || attempt >= this.maxAttempts || !this.isRetryable(error)) throw error;
        // The connection may have just dropped without us hearing yet: give it a moment, then wait or retry.
        await pause(this.retryDelayMs * attempt);
      }
    }
  }
}
