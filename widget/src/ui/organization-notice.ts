// The organization recipient's disclosure (lazy views chunk): when the deployment pins an organization key, every
// message and file of the conversation is also encrypted to it (core/organization.ts, docs/medical-record.md). The
// conversation says so above its messages (a status region, announced when the conversation opens), and each
// composer says so next to its input (its description, announced when the input takes focus).
import { html, nothing, type TemplateResult } from 'lit';
import type { ConversationView } from '../controllers/conversation-view.js';
import type { Localizer } from '../i18n/localize.js';

const nameOf = (view: ConversationView, i18n: Localizer) =>
  view.organization?.name ?? i18n.t('organization.unnamed');

/** The conversation-wide notice, or nothing without an organization recipient. */
export function renderOrganizationNotice(
  view: ConversationView,
  i18n: Localizer,
): TemplateResult | typeof nothing {
  if (!view.organization) return nothing;
  return html`<p class="connection" part="organization-notice" role="status" data-organization>
    ${i18n.t('organization.notice', { name: nameOf(view, i18n) })}
  </p>`;
}

/** The id of a composer's disclosure line, for its input's `aria-describedby`; undefined without one. */
export function organizationHintId(view: ConversationView, composerId: string): string | undefined {
  return view.organization ? `${composerId}-organization` : undefined;
}

/** The composer's line: who else can read what is sent here. */
export function renderOrganizationHint(
  view: ConversationView,
  i18n: Localizer,
  composerId: string,
): TemplateResult | typeof nothing {
  const id = organizationHintId(view, composerId);
  if (!id) return nothing;
  return html`<p class="muted" part="organization-hint" id=${id}>
    ${i18n.t('organization.composer', { name: nameOf(view, i18n) })}
  </p>`;
}
