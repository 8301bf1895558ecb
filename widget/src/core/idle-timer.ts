/**
 * Automatic logoff (HIPAA 164.312(a)(2)(iii)): an idle timeout with a warning before it fires, plus an absolute
 * session limit that activity does not extend. Pure logic: the clock and timers are injected so tests run instantly.
 */

export interface IdleTimerOptions {
  /** Lock after this long without activity. */
  idleMs: number;
  /** Show the warning this long before the idle lock (clamped to the idle time). */
  warningMs: number;
  /** Lock this long after start whatever the activity; 0 or less for no limit. */
  absoluteMs?: number;
  onWarn(secondsLeft: number): void;
  onLock(reason: LockReason): void;
  now?: () => number;
  setTimer?: (callback: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

export type LockReason = 'idle' | 'session-limit' | 'manual';

export class IdleTimer {
  readonly #options: Required<IdleTimerOptions>;
  #idleHandle: unknown;
  #warnHandle: unknown;
  #absoluteHandle: unknown;
  #lastActivity = 0;
  #running = false;
  #warning = false;

  constructor(options: IdleTimerOptions) {
    this.#options = {
      absoluteMs: 0,
      now: () => Date.now(),
      setTimer: (callback, ms) => setTimeout(callback, ms),
      clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
      ...options,
    };
  }

  get running(): boolean {
    return this.#running;
  }

  /** True between the warning and either activity or the lock. */
  get warning(): boolean {
    return this.#warning;
  }

  start(): void {
    this.stop();
    this.#running = true;
    const { absoluteMs, setTimer } = this.#options;
    if (absoluteMs > 0) this.#absoluteHandle = setTimer(() => this.#lock('session-limit'), absoluteMs);
    this.#arm();
  }

  /** Call on user activity. Throttled: re-arming at most once a second keeps pointer moves cheap. */
  activity(): void {
    if (!this.#running) return;
    if (!this.#warning && this.#options.now() - this.#lastActivity < 1000) return;
    this.#arm();
  }

  /** Locks now, e.g. from the portal's `lock()` call. */
  lockNow(): void {
    if (this.#running) this.#lock('manual');
  }

  stop(): void {
    const { clearTimer } = this.#options;
    for (const handle of [this.#idleHandle, this.#warnHandle, this.#absoluteHandle]) {
      if (handle !== undefined) clearTimer(handle);
    }
    this.#idleHandle = this.#warnHandle = this.#absoluteHandle = undefined;
    this.#running = false;
    this.#warning = false;
  }

  #arm(): void {
    const { idleMs, warningMs, setTimer, clearTimer, now, onWarn } = this.#options;
    if (this.#idleHandle !== undefined) clearTimer(this.#idleHandle);
    if (this.#warnHandle !== undefined) clearTimer(this.#warnHandle);
    this.#warning = false;
    this.#lastActivity = now();
    const warnAfter = Math.max(0, idleMs - Math.min(warningMs, idleMs));
    this.#warnHandle = setTimer(() => {
      this.#warning = true;
      onWarn(Math.round((idleMs - warnAfter) / 1000));
    }, warnAfter);
    this.#idleHandle = setTimer(() => this.#lock('idle'), idleMs);
  }

  #lock(reason: LockReason): void {
    this.stop();
    this.#options.onLock(reason);
  }
}
