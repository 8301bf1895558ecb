// The "are you sure?" panel used before a step that loses something (skipping a backup, abandoning a passkey).
import { html, type TemplateResult } from 'lit';

export interface ConfirmWarning {
  message: string;
  confirmLabel: string;
  cancelLabel: string;
  onConfirm: (e: Event) => void;
  onCancel: (e: Event) => void;
}

/** A role=alert warning with a dangerous confirm button and a way back. */
export function confirmWarning(w: ConfirmWarning): TemplateResult {
  return html`<div class="warning" role="alert">
    <p>${w.message}</p>
    <div class="row">
      <button type="button" class="danger" @click=${w.onConfirm}>${w.confirmLabel}</button>
      <button type="button" class="secondary" @click=${w.onCancel}>${w.cancelLabel}</button>
    </div>
  </div>`;
}
