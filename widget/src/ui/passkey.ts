// Passkey screens (the key protected at rest): the offer to wrap this device's key under a passkey's PRF, and
// the unlock prompt on later starts. A lazy chunk: loaded only when a passkey can be offered or must be used.
import { html, nothing, type TemplateResult } from 'lit';
import type { Localizer } from '../i18n/localize.js';
import { confirmWarning } from './confirm-warning.js';

/**
 * Where the offer stands: shown, waiting for the authenticator, enrolled, or why it did not work. `menu`: declined
 * earlier, so only a small control to bring the offer back.
 */
export type OfferStep = 'offer' | 'working' | 'done' | 'failed' | 'no-prf' | 'menu';

export interface OfferActions {
  open(): void;
  protect(): void;
  decline(): void;
  dismiss(): void;
}

export function renderPasskeyOffer(i18n: Localizer, step: OfferStep, a: OfferActions): TemplateResult {
  const t = i18n.t.bind(i18n);
  // After "Not now" the offer comes back from the conversation's menu (ui/header.ts).
  if (step === 'menu') return html``;
  if (step === 'done') {
    return html`<div class="screen" part="passkey-offer">
      <p role="status">${t('passkey.offer.done')}</p>
      <div class="row">
        <button type="button" class="secondary" @click=${a.dismiss}>${t('passkey.offer.dismiss')}</button>
      </div>
    </div>`;
  }
  return html`<section class="screen" part="passkey-offer" aria-labelledby="passkey-offer-title">
    <h2 id="passkey-offer-title">${t('passkey.offer.title')}</h2>
    <p>${t('passkey.offer.body')}</p>
    ${
      step === 'working'
        ? html`<p role="status">${t('passkey.offer.working')}</p>`
        : step === 'failed' || step === 'no-prf'
          ? html`<p class="error" role="alert">
              ${t(step === 'failed' ? 'passkey.offer.failed' : 'passkey.offer.noPrf')}
            </p>`
          : nothing
    }
    <div class="row">
      ${
        step === 'no-prf'
          ? nothing
          : html`<button type="button" ?disabled=${step === 'working'} @click=${a.protect}>
              ${t('passkey.offer.accept')}
            </button>`
      }
      <button type="button" class="secondary" ?disabled=${step === 'working'} @click=${a.decline}>
        ${t('passkey.offer.decline')}
      </button>
    </div>
  </section>`;
}

export interface UnlockState {
  failed: boolean;
  working: boolean;
  /** The user asked to use the backup password instead: confirm, since this device's copy is removed. */
  confirmSkip?: boolean;
}

export interface UnlockActions {
  unlock(): void;
  askSkip(show: boolean): void;
  /** Removes this device's passkey-wrapped copy and goes to the backup password. */
  skip(): void;
}

export function renderPasskeyUnlock(i18n: Localizer, state: UnlockState, a: UnlockActions): TemplateResult {
  const t = i18n.t.bind(i18n);
  return html`<section class="screen" part="passkey-unlock" aria-labelledby="passkey-unlock-title">
    <h2 id="passkey-unlock-title">${t('passkey.unlock.title')}</h2>
    <p>${t('passkey.unlock.body')}</p>
    ${state.failed ? html`<p class="error" role="alert">${t('passkey.unlock.failed')}</p>` : nothing}
    <div class="row">
      <button type="button" ?disabled=${state.working} @click=${a.unlock}>
        ${t('passkey.unlock.button')}
      </button>
      <button type="button" class="link" @click=${() => a.askSkip(true)}>${t('passkey.unlock.skip')}</button>
    </div>
    ${
      state.confirmSkip
        ? confirmWarning({
            message: t('passkey.unlock.skipWarning'),
            confirmLabel: t('passkey.unlock.skipConfirm'),
            cancelLabel: t('key.goBack'),
            onConfirm: a.skip,
            onCancel: () => a.askSkip(false),
          })
        : nothing
    }
  </section>`;
}
