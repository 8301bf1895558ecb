// Key verification UI (lazy chunk): safety codes as digits and QR, verify buttons, and the key-change warning.
// The QR is drawn from uqr's module matrix as SVG rects through Lit's `svg` template: no HTML strings.
import { html, nothing, svg, type TemplateResult } from 'lit';
import { encode } from 'uqr';
import type { ContactKey } from '../controllers/verification-controller.js';
import type { Localizer } from '../i18n/localize.js';

export interface VerificationActions {
  readonly i18n: Localizer;
  nameOf(id: string): string;
  open: boolean;
  toggle(open: boolean): void;
  verify(id: string): void;
  unverify(id: string): void;
  acknowledge(id: string): void;
}

/** The safety code as a QR code: one rect per dark module. */
export function qrCode(digits: string, label: string): TemplateResult {
  const { data, size } = encode(digits.replace(/\s/g, ''), { ecc: 'M', border: 2 });
  const rects: TemplateResult[] = [];
  data.forEach((row, y) =>
    row.forEach((dark, x) => {
      if (dark) rects.push(svg`<rect x=${x} y=${y} width="1" height="1"></rect>`);
    }),
  );
  return html`<svg
    class="qr"
    part="safety-qr"
    role="img"
    aria-label=${label}
    viewBox="0 0 ${size} ${size}"
    width="160"
    height="160"
    shape-rendering="crispEdges"
  >
    <rect width=${size} height=${size} fill="#fff"></rect>
    <g fill="#000">${rects}</g>
  </svg>`;
}

/**
 * Shown above the messages when a contact's key is not the one this device first saw (or the user verified), for
 * every contact; it offers to compare safety codes or to accept the new key.
 */
export function renderKeyChangeWarnings(contacts: readonly ContactKey[], a: VerificationActions) {
  const t = a.i18n.t.bind(a.i18n);
  const changed = contacts.filter((c) => c.trust === 'key-changed');
  if (!changed.length) return nothing;
  return changed.map(
    (c) =>
      html`<div class="warning key-changed" part="key-change-warning" role="alert" data-contact=${c.id}>
        <p><strong>${t('verify.changedTitle', { name: a.nameOf(c.id) })}</strong></p>
        <p>${t('verify.changedBody')}</p>
        <div class="row">
          <button type="button" @click=${() => a.toggle(true)}>${t('verify.compare')}</button>
          <button type="button" class="secondary" @click=${() => a.acknowledge(c.id)}>
            ${t('verify.acknowledge')}
          </button>
        </div>
      </div>`,
  );
}

const trustLabel = (c: ContactKey) =>
  c.trust === 'key-changed' && !c.wasVerified
    ? 'verify.trust.key-changed-first-use'
    : (`verify.trust.${c.trust}` as const);

/** The toggle and, when open, one safety code per member. */
export function renderVerification(contacts: readonly ContactKey[], a: VerificationActions) {
  const t = a.i18n.t.bind(a.i18n);
  const toggle = html`<button
    type="button"
    class="link"
    aria-expanded=${a.open ? 'true' : 'false'}
    aria-controls="safety-codes"
    @click=${() => a.toggle(!a.open)}
  >
    ${t('verify.toggle')}
  </button>`;
  // Closed, it is reached from the conversation's menu (ui/header.ts); open, the toggle closes it.
  if (!a.open) return nothing;
  return html`${toggle}
    <section id="safety-codes" class="screen safety" part="verification" aria-labelledby="vh" tabindex="-1">
      <h3 id="vh">${t('verify.title')}</h3>
      <p>${t('verify.intro')}</p>
      ${
        contacts.length
          ? contacts.map((c) => {
              const name = a.nameOf(c.id);
              return html`<div class="contact" data-contact=${c.id} data-trust=${c.trust}>
                <h4>${name}</h4>
                <p class="trust">${t(trustLabel(c))}</p>
                ${
                  c.code
                    ? html`<p class="code" aria-label=${t('verify.codeLabel', { name })}>${c.code}</p>
                        ${qrCode(c.code, t('verify.qrLabel', { name }))}`
                    : html`<p class="muted">${t('verify.noKey')}</p>`
                }
                <div class="row">
                  ${
                    c.trust === 'verified'
                      ? html`<button type="button" class="secondary" @click=${() => a.unverify(c.id)}>
                          ${t('verify.unmark')}
                        </button>`
                      : c.code
                        ? html`<button type="button" @click=${() => a.verify(c.id)}>
                            ${t('verify.mark')}
                          </button>`
                        : nothing
                  }
                </div>
              </div>`;
            })
          : html`<p class="muted">${t('status.loading')}</p>`
      }
    </section>`;
}
