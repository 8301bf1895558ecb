// Automatic logoff screens: the warning before the idle lock, and the locked screen. Small on purpose: they are in
// the entry chunk so that locking never waits for a download.
import { html, nothing, type TemplateResult } from 'lit';
import type { LockState } from '../controllers/lock-controller.js';
import type { Localizer } from '../i18n/localize.js';

export function renderIdleWarning(i18n: Localizer, seconds: number, stay: () => void): TemplateResult {
  return html`<div class="warning idle-warning" part="idle-warning" role="alert">
    <p>${i18n.t('lock.warning', { seconds })}</p>
    <div class="row"><button type="button" @click=${stay}>${i18n.t('lock.stay')}</button></div>
  </div>`;
}

/**
 * The locked screen. It unlocks only through a re-authentication: the portal's sign-in (`reauthenticate`), or this
 * device's passkey; with neither it says to sign in again through the portal and offers no button.
 */
export function renderLockScreen(i18n: Localizer, lock: LockState, unlock: () => void): TemplateResult {
  const t = i18n.t.bind(i18n);
  const { method, working, failed } = lock;
  const passkey = method === 'passkey';
  const action = method === 'portal' ? t('lock.signIn') : passkey ? t('lock.unlockPasskey') : undefined;
  return html`<section class="screen" part="locked" role="status" aria-labelledby="lock-title">
    <h2 id="lock-title">${t('lock.title')}</h2>
    <p>${t(`lock.reason.${lock.reason}`)}</p>
    <p>${t('lock.body')}</p>
    ${method === 'checking' ? nothing : html`<p>${t(`lock.how.${method}`)}</p>`}
    ${working ? html`<p class="muted">${t(passkey ? 'lock.waitingPasskey' : 'lock.waiting')}</p>` : nothing}
    ${failed ? html`<p class="error" role="alert">${t(passkey ? 'lock.failedPasskey' : 'lock.failed')}</p>` : nothing}
    ${
      action
        ? html`<div class="row">
            <button type="button" part="unlock-button" ?disabled=${working} @click=${unlock}>
              ${action}
            </button>
          </div>`
        : nothing
    }
  </section>`;
}
