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
    ${view.unconfirmed.map((id) =>
      notice(id, {
        kind: 'unconfirmed',
        role: 'alert',
        title: t('members.added', { name: label(view, id) }),
        body: t('members.addedBody'),
        action: t('members.confirm'),
        onAction: () => a.confirmMembers([id]),
      }),
    )}
    ${view.removed.map((id) =>
      notice(id, {
        kind: 'removed',
        role: 'status',
        title: t('members.removed', { name: label(view, id) }),
        action: t('members.dismiss'),
        secondary: true,
        onAction: () => a.acknowledgeRemoved([id]),
      }),
    )}
  </div>`;
}

interface NoticeText {
  kind: 'unconfirmed' | 'removed';
  role: 'alert' | 'status';
  title: string;
  body?: string;
  action: string;
  secondary?: boolean;
  onAction: () => void;
}

/** One member's notice: what happened, and the one button that answers it (described by the title). */
function notice(id: string, n: NoticeText): TemplateResult {
  const titleId = `member-${n.kind === 'unconfirmed' ? 'added' : 'removed'}-${id}`;
  return html`<div
    class="warning"
    part="membership-notice"
    role=${n.role}
    data-kind=${n.kind}
    data-member=${id}
  >
    <p id=${titleId}><strong>${n.title}</strong></p>
    ${n.body ? html`<p>${n.body}</p>` : nothing}
    <div class="row">
      <button
        type="button"
        class=${n.secondary ? 'secondary' : nothing}
        aria-describedby=${titleId}
        @click=${n.onAction}
      >
        ${n.action}
      </button>
    </div>
  </div>`;
}
