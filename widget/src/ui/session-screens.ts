// The small screens of the session's own states: connecting or loading, a session error with a retry, signed out.
// Part of the entry (they show before the views chunk loads).
import { html, type TemplateResult } from 'lit';
import type { ErrorCode } from '../core/errors.js';
import type { Localizer, MessageKey } from '../i18n/localize.js';

/** Session error codes with their own explanation in the catalogue; others show `error.generic`. */
const ERROR_KEYS: Partial<Record<ErrorCode, MessageKey>> = {
  config: 'error.config',
  unauthorized: 'error.unauthorized',
  forbidden: 'error.forbidden',
  'rate-limited': 'error.rate-limited',
  network: 'error.network',
  'identity-conflict': 'error.identity-conflict',
};

export function renderSessionError(i18n: Localizer, code: ErrorCode, retry: () => void): TemplateResult {
  const t = i18n.t.bind(i18n);
  return html`<section class="screen" part="error" role="alert">
    <svg class="screen-icon" viewBox="0 0 24 24" aria-hidden="true">
      <circle cx="12" cy="12" r="10" fill="none" stroke="currentColor" stroke-width="2" />
      <path d="M12 7v6M12 16.5v.5" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" />
    </svg>
    <h2>${t('error.title')}</h2>
    <p>${t(ERROR_KEYS[code] ?? 'error.generic')}</p>
    <slot name="error"></slot>
    <div class="row">
      <button type="button" @click=${retry}>${t('error.retry')}</button>
    </div>
  </section>`;
}

export function renderSignedOut(i18n: Localizer, keyRemoved: boolean, reopen: () => void): TemplateResult {
  const t = i18n.t.bind(i18n);
  return html`<section class="screen" role="status">
    <h2>${t('signedOut.title')}</h2>
    <p>${t(keyRemoved ? 'signedOut.keyRemoved' : 'signedOut.keyKept')}</p>
    <div class="row">
      <button type="button" @click=${reopen}>${t('signedOut.reopen')}</button>
    </div>
  </section>`;
}

/** Connecting or loading: the text, with placeholder lines where the screen will be. */
export function renderStatus(text: string): TemplateResult {
  return html`<div class="screen" part="status" role="status" aria-busy="true">
    <p>${text}</p>
    <span class="skeleton-lines" aria-hidden="true"
      ><span class="skeleton line"></span><span class="skeleton line"></span
      ><span class="skeleton line"></span
    ></span>
  </div>`;
}
