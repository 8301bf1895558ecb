// The key lifecycle screens' actions: back up a new key, skip the backup, restore from the backup, or replace a
// forgotten key after a warning. Each moves the session between its `key-setup` steps and on to the conversation.
import { SecureChatError, toSecureChatError, type ErrorCode } from './errors.js';
import type { CryptoPort } from './ports.js';

/** Steps of the key lifecycle screens. */
export type KeyStep = 'offer-backup' | 'restore' | 'confirm-rotate' | 'working';

export type KeySetupState = { status: 'key-setup'; step: KeyStep; error?: ErrorCode; afterRotate?: boolean };

export type KeyAction = 'registered' | 'restored' | 'rotated' | 'backed-up' | 'backup-skipped';

/** What key setup needs from its session. */
export interface KeySetupContext {
  crypto(): CryptoPort;
  /** The current step, if the session is in key setup. */
  step(): KeySetupState | undefined;
  setStep(state: KeySetupState): void;
  report(action: KeyAction): void;
  /** Key setup is done: open the conversation. */
  done(): Promise<void>;
  fail(error: unknown): void;
}

export class KeySetup {
  constructor(private readonly c: KeySetupContext) {}

  /** Backs up the new key with a password (first device, or after a rotation). */
  async backup(password: string): Promise<void> {
    const step = this.#waiting();
    this.c.setStep({ ...step, step: 'working' });
    try {
      await this.c.crypto().backup(password, { replace: step.afterRotate === true });
    } catch (error) {
      this.c.setStep({ ...step, error: toSecureChatError(error).code });
      return;
    }
    this.c.report('backed-up');
    await this.c.done();
  }

  /** Continues without a backup; the UI has already warned that losing this device loses the messages. */
  async skipBackup(): Promise<void> {
    this.#waiting();
    this.c.report('backup-skipped');
    await this.c.done();
  }

  /** Restores the key from the password backup. A wrong password keeps the restore screen with an error. */
  async restore(password: string): Promise<void> {
    this.#waiting();
    this.c.setStep({ status: 'key-setup', step: 'working' });
    try {
      await this.c.crypto().restore(password);
    } catch (error) {
      this.c.setStep({ status: 'key-setup', step: 'restore', error: toSecureChatError(error).code });
      return;
    }
    this.c.report('restored');
    await this.c.done();
  }

  /** "I forgot my password": shows the warning that older messages become unreadable. */
  forgotPassword(): void {
    this.#waiting();
    this.c.setStep({ status: 'key-setup', step: 'confirm-rotate' });
  }

  cancelRotate(): void {
    this.#waiting();
    this.c.setStep({ status: 'key-setup', step: 'restore' });
  }

  /** Replaces the key pair after the explicit warning, then offers a new backup. */
  async confirmRotate(): Promise<void> {
    this.#waiting();
    this.c.setStep({ status: 'key-setup', step: 'working' });
    try {
      await this.c.crypto().rotate();
    } catch (error) {
      this.c.fail(error);
      return;
    }
    this.c.report('rotated');
    this.c.setStep({ status: 'key-setup', step: 'offer-backup', afterRotate: true });
  }

  #waiting(): KeySetupState {
    const step = this.c.step();
    if (!step || step.step === 'working') {
      throw new SecureChatError('config', 'No key setup step is waiting for input.');
    }
    return step;
  }
}
