// The connection line above the messages. The live region is always rendered so that screen readers announce the
// change when the text appears (role=status is polite).
import { html, nothing, type TemplateResult } from 'lit';
import type { ConversationView } from '../controllers/conversation-view.js';
import type { Localizer } from '../i18n/localize.js';

export function renderConnectionStatus(view: ConversationView, i18n: Localizer): TemplateResult {
  const offline = !view.connected;
  return html`<p part="connection" class="connection${offline ? ' offline' : ''}" role="status">
    ${offline ? i18n.t('connection.offline') : nothing}
  </p>`;
}
