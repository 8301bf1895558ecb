// The connection state and the outbox: while the connection is down, outgoing messages wait (in order) and go out
// when it returns; a send that fails on the network is retried once the connection is back.

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface OutboxTask<T> {
  send: () => Promise<T>;
  /** Called with true when the task starts waiting for the connection, false when it goes out. */
  onWaiting?: (waiting: boolean) => void;
}

export class Outbox {
  #online = true;
  #closed = false;
  #waiters: (() => void)[] = [];
  #chain: Promise<unknown> = Promise.resolve();
  onChange?: (online: boolean) => void;

  constructor(
    private readonly isRetryable: (error: unknown) => boolean,
    private readonly maxAttempts = 5,
    private readonly retryDelayMs = 500,
  ) {}

  get online(): boolean {
    return this.#online;
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
    for (const wake of this.#waiters.splice(0)) wake();
  }

  async #attempt<T>(task: OutboxTask<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      if (!this.#online && !this.#closed) {
        task.onWaiting?.(true);
        await new Promise<void>((resolve) => this.#waiters.push(resolve));
        task.onWaiting?.(false);
      }
      try {
        return await task.send();
      } catch (error) {
        if (this.#closed || attempt >= this.maxAttempts || !this.isRetryable(error)) throw error;
        // The connection may have just dropped without us hearing yet: give it a moment, then wait or retry.
        await pause(this.retryDelayMs * attempt);
      }
    }
  }
}
