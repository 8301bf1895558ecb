// Which screen the element shows: locked, the passkey prompt, or the session's own state (errors, key setup, the
// conversation with its safeguards). Element layer: it reads the controllers, never the session's internals.
import { html, nothing, type TemplateResult } from 'lit';
import type { ConversationController } from './controllers/conversation-controller.js';
import type { IdleController } from './controllers/idle-controller.js';
import type { LockController } from './controllers/lock-controller.js';
import type { PasskeyController } from './controllers/passkey-controller.js';
import type { SessionController } from './controllers/session-controller.js';
import type { VerificationController } from './controllers/verification-controller.js';
import type { Localizer } from './i18n/localize.js';
import { renderIdleWarning, renderLockScreen } from './ui/lock-screen.js';
import { renderSessionError, renderSignedOut, renderStatus } from './ui/session-screens.js';

/** The element's parts a screen is rendered from. */
export interface ScreenParts {
  readonly i18n: Localizer;
  readonly locks: LockController;
  readonly passkey: PasskeyController;
  readonly idle: IdleController;
  readonly session: SessionController;
  readonly conversation: ConversationController;
  readonly verification: VerificationController;
  reconnect(): void;
}

export function renderScreen(p: ScreenParts): TemplateResult {
  const lock = p.locks.state;
  // Unlocking is a re-authentication; a failure stays on the locked screen, which says so.
  if (lock) return renderLockScreen(p.i18n, lock, () => void p.locks.unlock().catch(() => undefined));
  if (p.passkey.unlocking) return html`${p.passkey.renderUnlock()}`;
  const seconds = p.idle.warningSeconds;
  return html`${seconds !== undefined ? renderIdleWarning(p.i18n, seconds, () => p.idle.staySignedIn()) : nothing}${renderState(p)}`;
}

function renderState(p: ScreenParts): TemplateResult {
  const { i18n, conversation } = p;
  const t = i18n.t.bind(i18n);
  const state = p.session.state;
  const views = conversation.views;
  const reconnect = () => p.reconnect();
  switch (state.status) {
    case 'error':
      return renderSessionError(i18n, state.error.code, reconnect);
    case 'signed-out':
      return renderSignedOut(i18n, state.keyRemoved, reconnect);
    case 'key-setup':
      return views
        ? views.renderKeySetup(state, conversation.ui, conversation.actions)
        : renderStatus(t('status.loading'));
    case 'ready': {
      const session = p.session.session;
      const view = conversation.view;
      if (!views || !session) return renderStatus(t('status.loading'));
      // Messages from a contact whose key changed (not acknowledged) are not shown as trusted (ui/verification.ts).
      const ui = { ...conversation.ui, distrusted: p.verification.changed };
      const members = session.conversation?.members ?? [];
      const menu = {
        safetyCodes: () => p.verification.showPanel(members),
        passkey: p.passkey.canOfferAgain ? () => p.passkey.offerAgain() : undefined,
      };
      return html`${p.passkey.renderOffer()}${p.verification.render(i18n, (id) => session.nameOf(id), members)}${view ? views.renderConversation(view, ui, conversation.actions, menu) : nothing}`;
    }
    default:
      return renderStatus(t('status.connecting'));
  }
}
