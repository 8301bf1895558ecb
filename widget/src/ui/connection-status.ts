// The connection line above the messages. The live region is always rendered so that screen readers announce the
// change when the text appears (role=status is polite).
import { html, nothing, type TemplateResult } from 'lit';
import type { ConversationView } from '../controllers/conversation-view.js';
import type { Localizer } from '../i18n/localize.js';

export function renderConnectionStatus(view: ConversationView, i18n: Localizer): TemplateResult {
  const offline = !view.connected;
  // A send held back by the service's rate limit is announced here too (the message itself says "delayed").
  const text = offline
    ? i18n.t('connection.offline')
    : view.sendsDelayed
      ? i18n.t('connection.delayed')
      : nothing;
  return html`<p part="connection" class="connection${offline ? ' offline' : ''}" role="status">${text}</p>`;
}
