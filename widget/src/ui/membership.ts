// Membership notices (lazy views chunk): members Stream reports whom the user has not confirmed on this device, and
// confirmed members Stream no longer reports (core/membership.ts). People are named by the portal, else by their id:
// never by a name from their own envelope.
import { html, nothing, type TemplateResult } from 'lit';
import type { ConversationIntents, ConversationView } from '../controllers/conversation-view.js';
import type { Localizer } from '../i18n/localize.js';

export interface MembershipActions extends Pick<
  ConversationIntents,
  'confirmMembers' | 'acknowledgeRemoved'
> {
  readonly i18n: Localizer;
}

const label = (view: ConversationView, id: string) => view.nameOf(id) ?? id;

/** Why the composers are blocked, in words; undefined when they are not. */
export function blockedReason(view: ConversationView, i18n: Localizer): string | undefined {
  const members = view.composerBlocked?.members ?? [];
  if (!members.length) return undefined;
  const names = members.map((id) => label(view, id)).join(', ');
  if (view.composerBlocked?.reason === 'key-changed') return i18n.t('composer.keyChanged', { names });
  return members.length === 1
    ? i18n.t('members.added', { name: names })
    : i18n.t('members.addedMany', { names });
}

/** One notice per unconfirmed member (with Confirm) and per removed member (with OK), above the messages. */
export function renderMembershipNotices(
  view: ConversationView,
  a: MembershipActions,
): TemplateResult | typeof nothing {
  const t = a.i18n.t.bind(a.i18n);
  if (!view.unconfirmed.length && !view.removed.length) return nothing;
  return html`<div class="safeguards membership">
    ${view.unconfirmed.map(
      (id) =>
        html`<div
          class="warning"
          part="membership-notice"
          role="alert"
          data-kind="unconfirmed"
          data-member=${id}
        >
          <p id=${`member-added-${id}`}><strong>${t('members.added', { name: label(view, id) })}</strong></p>
          <p>${t('members.addedBody')}</p>
          <div class="row">
            <button
              type="button"
              aria-describedby=${`member-added-${id}`}
              @click=${() => a.confirmMembers([id])}
            >
              ${t('members.confirm')}
            </button>
          </div>
        </div>`,
    )}
    ${view.removed.map(
      (id) =>
        html`<div
          class="warning"
          part="membership-notice"
          role="status"
          data-kind="removed"
          data-member=${id}
        >
          <p id=${`member-removed-${id}`}>
            <strong>${t('members.removed', { name: label(view, id) })}</strong>
          </p>
          <div class="row">
            <button
              type="button"
              class="secondary"
              aria-describedby=${`member-removed-${id}`}
              @click=${() => a.acknowledgeRemoved([id])}
            >
              ${t('members.dismiss')}
            </button>
          </div>
        </div>`,
    )}
  </div>`;
}
