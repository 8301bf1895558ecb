// The token API's clock as seen from this browser. Token lifetimes and signed times are the servers' business, and a
// browser clock can be minutes off; the offset is learned from the token API's answers.

/** A sample this old no longer outranks a newer, less precise one: clocks drift, and get set. */
const SAMPLE_LIFETIME_MS = 10 * 60_000;
/** now() holds still rather than step back by up to this much, so a device's own signed times keep their order. */
const MAX_HOLD_MS = 2_000;

export class ServerClock {
  #offsetMs = 0;
  /** How far the offset may be off: half the round trip of the answer it came from, plus that answer's resolution. */
  #errorMs = Number.POSITIVE_INFINITY;
  #observedAt = Number.NEGATIVE_INFINITY;
  #last = Number.NEGATIVE_INFINITY;

  constructor(private readonly local: () => number = Date.now) {}

  /** Now, by the server's clock (the browser's until a server time has been seen). Never steps back a little. */
  now(): number {
    const now = this.local() + this.#offsetMs;
    if (now >= this.#last || this.#last - now > MAX_HOLD_MS) this.#last = now;
    return this.#last;
  }

  /** How far the browser's clock is behind the server's (ms; negative when it is ahead). */
  get offsetMs(): number {
    return this.#offsetMs;
  }

  /**
   * Learns from a server time read in an answer to a request sent at `sentAt` and answered at `receivedAt` (both
   * local): the server read its clock somewhere in between, so the offset is known to within half the round trip
   * (plus `resolutionMs` when the time is truncated, as the `Date` header's whole seconds are). A busy browser can
   * hold an answer long after it arrived, so the most precise recent answer wins, unless a new one contradicts it
   * (a clock was set).
   */
  observe(serverMs: number, sentAt: number, receivedAt: number, resolutionMs = 0): void {
    if (!Number.isFinite(serverMs) || receivedAt < sentAt) return;
    const offset = Math.round(serverMs + resolutionMs / 2 - (sentAt + receivedAt) / 2);
    const error = (receivedAt - sentAt + resolutionMs) / 2;
    const moreExact = error <= this.#errorMs;
    const contradicts = Math.abs(offset - this.#offsetMs) > error + this.#errorMs;
    const stale = receivedAt - this.#observedAt > SAMPLE_LIFETIME_MS;
    if (!moreExact && !contradicts && !stale) return;
    this.#offsetMs = offset;
    this.#errorMs = error;
    this.#observedAt = receivedAt;
  }
}
