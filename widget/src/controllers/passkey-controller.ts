// The passkey offer and unlock prompt (the key protected at rest). The E3Kit adapter hands over the key's
// protection controls and asks for an unlock through here; the screens are a lazy chunk (ui/passkey.ts).
import { nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import { PasskeySkippedError, type KeyProtection } from '../core/key-protection.js';
import { SecureChatError } from '../core/errors.js';
import type { Localizer } from '../i18n/localize.js';
import type * as PasskeyViews from '../ui/passkey.js';

interface PendingUnlock {
  attempt: () => Promise<CryptoKey>;
  resolve: (key: CryptoKey) => void;
  reject: (reason: unknown) => void;
}

export class PasskeyController implements ReactiveController {
  #protection: KeyProtection | undefined;
  #offer: PasskeyViews.OfferStep | undefined;
  #unlock: PasskeyViews.UnlockState | undefined;
  #pending: PendingUnlock | undefined;
  #views: typeof PasskeyViews | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly i18n: Localizer,
  ) {
    host.addController(this);
  }

  /** Removed from the page: the session stops, so a waiting unlock must not keep it waiting. */
  hostDisconnected(): void {
    this.reset();
  }

  /** True while the session waits for the user to unlock the key with their passkey. */
  get unlocking(): boolean {
    return this.#unlock !== undefined;
  }

  attach(protection: KeyProtection): void {
    this.#protection = protection;
  }

  /**
   * After the conversation opens: offers a passkey if one can protect the key and the user has not answered; after
   * "Not now", only a small control that brings the offer back.
   */
  async refresh(): Promise<void> {
    const protection = this.#protection;
    if (!protection || this.#offer) return;
    const { supported, state } = await protection.status();
    if (!supported || state === 'passkey' || protection !== this.#protection) return;
    await this.#load();
    this.#offer = state === 'declined' ? 'menu' : 'offer';
    this.host.requestUpdate();
  }

  /** Shows the unlock prompt; each click runs `attempt` (a WebAuthn request needs the user's gesture). */
  requestUnlock(attempt: () => Promise<CryptoKey>): Promise<CryptoKey> {
    this.#pending?.reject(new SecureChatError('aborted', 'Replaced by a newer unlock request.'));
    return new Promise((resolve, reject) => {
      this.#pending = { attempt, resolve, reject };
      this.#unlock = { failed: false, working: false };
      void this.#load().then(() => this.host.requestUpdate());
    });
  }

  /** Drops everything (lock, reconnect): a waiting unlock fails, so no session keeps waiting behind the lock. */
  reset(): void {
    this.#pending?.reject(new SecureChatError('aborted', 'Secure chat was locked.', { recoverable: true }));
    this.#pending = undefined;
    this.#unlock = undefined;
    this.#offer = undefined;
    this.#protection = undefined;
  }

  renderUnlock(): TemplateResult | typeof nothing {
    const views = this.#views;
    const state = this.#unlock;
    if (!views || !state) return nothing;
    return views.renderPasskeyUnlock(this.i18n, state, {
      unlock: this.#tryUnlock,
      askSkip: (show) => {
        this.#unlock = { ...state, confirmSkip: show };
        this.host.requestUpdate();
      },
      skip: () => {
        const pending = this.#pending;
        this.#pending = undefined;
        this.#unlock = undefined;
        this.host.requestUpdate();
        pending?.reject(new PasskeySkippedError());
      },
    });
  }

  /** After "Not now": the conversation's menu offers to bring the passkey offer back. */
  get canOfferAgain(): boolean {
    return this.#offer === 'menu';
  }

  offerAgain(): void {
    this.#set('offer');
  }

  renderOffer(): TemplateResult | typeof nothing {
    const views = this.#views;
    if (!views || !this.#offer) return nothing;
    return views.renderPasskeyOffer(this.i18n, this.#offer, {
      open: () => this.#set('offer'),
      protect: () => void this.#protect(),
      decline: () => void this.#decline(),
      dismiss: () => this.#set(undefined),
    });
  }

  #tryUnlock = (): void => {
    const pending = this.#pending;
    if (!pending || this.#unlock?.working) return;
    this.#unlock = { failed: false, working: true };
    this.host.requestUpdate();
    pending.attempt().then(
      (key) => {
        if (this.#pending !== pending) return;
        this.#pending = undefined;
        this.#unlock = undefined;
        this.host.requestUpdate();
        pending.resolve(key);
      },
      () => {
        if (this.#pending !== pending) return;
        this.#unlock = { failed: true, working: false };
        this.host.requestUpdate();
      },
    );
  };

  async #protect(): Promise<void> {
    const protection = this.#protection;
    if (!protection) return;
    this.#set('working');
    try {
      await protection.protect(this.i18n.t('passkey.label'));
      this.#set('done');
    } catch (error) {
      this.#set((error as Error | undefined)?.name === 'PasskeyPrfUnavailableError' ? 'no-prf' : 'failed');
    }
  }

  async #decline(): Promise<void> {
    const protection = this.#protection;
    this.#set('menu');
    await protection?.decline();
  }

  #set(step: PasskeyViews.OfferStep | undefined): void {
    this.#offer = step;
    this.host.requestUpdate();
  }

  async #load(): Promise<void> {
    this.#views ??= await import('../ui/passkey.js');
  }
}
