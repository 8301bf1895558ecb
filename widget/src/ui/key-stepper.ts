// The key setup screens as a short stepper: where the user is (create or restore the key, back it up, chat) and how
// far along. An ordered list with `aria-current="step"`, plus "Step 2 of 3" as text, so it reads well without sight.
import { html, type TemplateResult } from 'lit';
import type { KeySetupState } from '../core/key-setup.js';
import type { Localizer, MessageKey } from '../i18n/localize.js';

/** The steps each key setup screen belongs to, and which of them it is. */
function stepsOf(state: KeySetupState): { steps: MessageKey[]; current: number } {
  switch (state.step) {
    case 'restore':
      return { steps: ['key.step.restore', 'key.step.chat'], current: 0 };
    case 'confirm-rotate':
      return { steps: ['key.step.newKey', 'key.step.backup', 'key.step.chat'], current: 0 };
    case 'offer-backup':
      return {
        steps: [
          state.afterRotate ? 'key.step.newKey' : 'key.step.create',
          'key.step.backup',
          'key.step.chat',
        ],
        current: 1,
      };
    default:
      return { steps: ['key.step.create', 'key.step.backup', 'key.step.chat'], current: 0 };
  }
}

export function renderKeyStepper(state: KeySetupState, i18n: Localizer): TemplateResult {
  const t = i18n.t.bind(i18n);
  const { steps, current } = stepsOf(state);
  return html`<div class="stepper" part="key-stepper">
    <p class="muted step-count">${t('key.stepOf', { current: current + 1, total: steps.length })}</p>
    <ol aria-label=${t('key.steps')}>
      ${steps.map(
        (key, i) =>
          html`<li
            class=${i < current ? 'done' : i === current ? 'current' : ''}
            aria-current=${i === current ? 'step' : 'false'}
          >
            <span class="step-mark" aria-hidden="true">${i < current ? '✓' : i18n.number(i + 1)}</span>
            <span>${t(key)}</span>
          </li>`,
      )}
    </ol>
  </div>`;
}
