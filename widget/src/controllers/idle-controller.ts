// Automatic logoff: wires core/idle-timer.ts to the page's user activity and to the element's lock.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { IdleTimer, type LockReason } from '../core/idle-timer.js';

/** User activity anywhere in the page counts: the person is at the screen. */
const ACTIVITY = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart', 'focusin'] as const;

export interface IdleSettings {
  /** Seconds without activity before the lock (`idle-timeout`). */
  idleSeconds(): number;
  /** Absolute seconds from session start, 0 for none (`session-limit`). */
  limitSeconds(): number;
  onLock(reason: LockReason): void;
}

const DEFAULT_IDLE_SECONDS = 900;

/** Warning lead time: a minute, or a quarter of short timeouts so the warning never fills the whole period. */
export const warningMs = (idleMs: number) => Math.min(60_000, idleMs / 4);

export class IdleController implements ReactiveController {
  /** Seconds left, while the "about to lock" warning is showing. */
  warningSeconds: number | undefined;
  #timer: IdleTimer | undefined;
  readonly #onActivity = () => {
    const wasWarning = this.#timer?.warning;
    this.#timer?.activity();
    if (wasWarning && !this.#timer?.warning) this.#setWarning(undefined);
  };

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly settings: IdleSettings,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    for (const type of ACTIVITY) document.addEventListener(type, this.#onActivity, { passive: true });
    this.start();
  }

  hostDisconnected(): void {
    for (const type of ACTIVITY) document.removeEventListener(type, this.#onActivity);
    this.stop();
  }

  /** Arms the timers for a new session (reads the current attribute values). */
  start(): void {
    this.stop();
    const idle = this.settings.idleSeconds();
    const idleMs = (Number.isFinite(idle) && idle > 0 ? idle : DEFAULT_IDLE_SECONDS) * 1000;
    const limit = this.settings.limitSeconds();
    this.#timer = new IdleTimer({
      idleMs,
      warningMs: warningMs(idleMs),
      absoluteMs: Number.isFinite(limit) && limit > 0 ? limit * 1000 : 0,
      onWarn: (seconds) => this.#setWarning(seconds),
      onLock: (reason) => {
        this.#setWarning(undefined);
        this.settings.onLock(reason);
      },
    });
    this.#timer.start();
  }

  /** The "Stay signed in" button. */
  staySignedIn(): void {
    this.#onActivity();
  }

  stop(): void {
    this.#timer?.stop();
    this.#timer = undefined;
    this.#setWarning(undefined);
  }

  #setWarning(seconds: number | undefined): void {
    if (this.warningSeconds === seconds) return;
    this.warningSeconds = seconds;
    this.host.requestUpdate();
  }
}
