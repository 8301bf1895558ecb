// Automatic logoff screens: the warning before the idle lock, and the locked screen. Small on purpose: they are in
// the entry chunk so that locking never waits for a download.
import { html, type TemplateResult } from 'lit';
import type { LockCause } from '../core/audit.js';
import type { Localizer } from '../i18n/localize.js';

export function renderIdleWarning(i18n: Localizer, seconds: number, stay: () => void): TemplateResult {
  return html`<div class="warning idle-warning" part="idle-warning" role="alert">
    <p>${i18n.t('lock.warning', { seconds })}</p>
    <div class="row"><button type="button" @click=${stay}>${i18n.t('lock.stay')}</button></div>
  </div>`;
}

export function renderLockScreen(i18n: Localizer, reason: LockCause, unlock: () => void): TemplateResult {
  return html`<section class="screen" part="locked" role="status" aria-labelledby="lock-title">
    <h2 id="lock-title">${i18n.t('lock.title')}</h2>
    <p>${i18n.t(`lock.reason.${reason}`)}</p>
    <p>${i18n.t('lock.body')}</p>
    <div class="row"><button type="button" @click=${unlock}>${i18n.t('lock.unlock')}</button></div>
  </section>`;
}
