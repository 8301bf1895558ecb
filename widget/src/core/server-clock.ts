// The token API's clock as seen from this browser. Token lifetimes and signed times are the servers' business, and a
// browser clock can be minutes off; the offset is learned from each token API answer.

export class ServerClock {
  #offsetMs = 0;

  constructor(private readonly local: () => number = Date.now) {}

  /** Now, by the server's clock (the browser's until a server time has been seen). */
  now(): number {
    return this.local() + this.#offsetMs;
  }

  /** How far the browser's clock is behind the server's (ms; negative when it is ahead). */
  get offsetMs(): number {
    return this.#offsetMs;
  }

  /**
   * Learns the offset from a server time read in an answer to a request sent at `sentAt` and answered at
   * `receivedAt` (both local): the server read its clock about halfway through.
   */
  observe(serverMs: number, sentAt: number, receivedAt: number): void {
    if (!Number.isFinite(serverMs) || receivedAt < sentAt) return;
    this.#offsetMs = Math.round(serverMs - (sentAt + receivedAt) / 2);
  }
}
