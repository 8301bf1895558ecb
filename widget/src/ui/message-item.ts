// One message: sender and time, quoted reply, text with safe links, delivery state, reactions and actions.
// Content is rendered only through Lit text bindings; the only elements built from it are http(s) <a> links.
import { html, nothing, type TemplateResult } from 'lit';
import type { FailureReason } from '../core/ports.js';
import type { ConversationIntents, ConversationView } from '../controllers/conversation-view.js';
import type { SenderName } from '../core/people.js';
import type { TimelineEntry } from '../core/timeline.js';
import type { Localizer, MessageKey } from '../i18n/localize.js';
import { linkify } from './linkify.js';
import { renderFiles } from './attachments.js';

/**
 * The fixed reaction set. Types are sent to Stream in plain text (see docs/element.md, "Reactions — what they reveal"): neutral
 * acknowledgements only, so the type says little beyond "this person reacted to that message".
 */
export const REACTIONS = [
  { type: 'like', emoji: '👍', label: 'list.react.like' },
  { type: 'done', emoji: '✅', label: 'list.react.done' },
  { type: 'thanks', emoji: '🙏', label: 'list.react.thanks' },
  { type: 'question', emoji: '❓', label: 'list.react.question' },
] as const satisfies readonly { type: string; emoji: string; label: MessageKey }[];

/** Words for each per-message failure (catalogue keys). Never blank, never shown as trusted. */
export const FAILURE_TEXT: Record<FailureReason, MessageKey> = {
  'unverified-sender': 'failure.unverified-sender',
  'unknown-sender': 'failure.unknown-sender',
  'not-for-this-device': 'failure.not-for-this-device',
  'previous-key': 'failure.previous-key',
  tampered: 'failure.tampered',
  misplaced: 'failure.misplaced',
  'not-encrypted': 'failure.not-encrypted',
  unavailable: 'failure.unavailable',
  'time-mismatch': 'failure.time-mismatch',
  'rolled-back': 'failure.rolled-back',
  'removed-by-server': 'failure.removed-by-server',
  'stale-key': 'failure.stale-key',
};

export interface ItemUi {
  editingId?: string | undefined;
  /** Senders whose verified key changed: their messages are hidden, not trusted (see ui/verification.ts). */
  distrusted?: ReadonlySet<string> | undefined;
}

export interface ItemActions extends Pick<
  ConversationIntents,
  'retry' | 'deleteMessage' | 'react' | 'openFile'
> {
  readonly i18n: Localizer;
  openThread(id: string): void;
  quote(id: string): void;
  edit(id: string): void;
}

export interface ItemOptions {
  inThread: boolean;
  groupStart: boolean;
  /** Show "Sent" / "Seen by …" under this (the user's latest) message. */
  showDelivery: boolean;
}

/** Message text as text nodes, with http(s) URLs as safe links. */
export function renderText(text: string): unknown[] {
  return linkify(text).map((part) =>
    typeof part === 'string'
      ? part
      : html`<a href=${part.href} rel="noopener noreferrer" target="_blank">${part.text}</a>`,
  );
}

function deliveryOf(entry: TimelineEntry, view: ConversationView, a: ItemActions, show: boolean) {
  if (entry.kind !== 'message') return { state: undefined, line: nothing };
  const t = a.i18n.t.bind(a.i18n);
  if (entry.failed) {
    return {
      state: 'failed',
      line: html`<p class="delivery failed" role="alert">
        ${t('list.failed')}
        <button type="button" class="link" @click=${() => a.retry(entry.id)}>${t('list.retry')}</button>
      </p>`,
    };
  }
  if (entry.pending) {
    // Queued while offline (outbox) or on its way.
    const state = entry.delayed ? 'delayed' : entry.queued ? 'queued' : 'sending';
    const key = entry.delayed ? 'message.delayed' : entry.queued ? 'message.queued' : 'message.sending';
    return { state, line: html`<p class="delivery">${t(key)}</p>` };
  }
  const me = view.me;
  const readers = view.members.filter((m) => {
    const at = m !== me ? view.reads.get(m) : undefined;
    return at && at.getTime() >= entry.sentAt.getTime();
  });
  const state = readers.length ? 'read' : 'sent';
  if (!show) return { state, line: nothing };
  const others = view.members.filter((m) => m !== me).length;
  const text = !readers.length
    ? t('list.sent')
    : others <= 1
      ? t('list.seen')
      : t('list.seenBy', { names: readers.map((m) => view.nameOf(m) ?? t('list.someone')).join(', ') });
  return { state, line: html`<p class="delivery">${text}</p>` };
}

/** Members who had no key when the message was sent can never read it: say so, by name, to the sender. */
function unreadableNotice(entry: TimelineEntry, view: ConversationView, a: ItemActions) {
  if (entry.kind !== 'message' || !entry.unreadableBy?.length) return nothing;
  const t = a.i18n.t.bind(a.i18n);
  const names = entry.unreadableBy.map((id) => view.nameOf(id) ?? t('list.someone')).join(', ');
  return html`<p class="delivery warning" part="unreadable-notice">${t('list.unreadableBy', { names })}</p>`;
}

function reactionBar(entry: TimelineEntry, view: ConversationView, a: ItemActions) {
  const t = a.i18n.t.bind(a.i18n);
  const summary = view.reactions(entry.id);
  return html`<div class="row reactions" role="group" aria-label=${t('list.reactions')}>
    ${REACTIONS.map(({ type, emoji, label }) => {
      const count = summary?.counts[type] ?? 0;
      const mine = summary?.own.includes(type) ?? false;
      return html`<button
        type="button"
        data-reaction=${type}
        aria-pressed=${mine ? 'true' : 'false'}
        aria-label=${t('list.reactLabel', { reaction: t(label), count })}
        @click=${() => a.react(entry.id, type, !mine)}
      >
        <span aria-hidden="true">${emoji}${count ? ` ${a.i18n.number(count)}` : ''}</span>
      </button>`;
    })}
  </div>`;
}

/** The sender's name; a self-declared one isolated (`<bdi>`) so its characters cannot reorder the mark. */
function whoLabel(who: string, name: SenderName | undefined, t: Localizer['t']) {
  if (name?.source !== 'self-declared') return who;
  const [before = '', after = ''] = t('message.selfDeclared', { name: '\u0000' }).split('\u0000');
  return html`${before}<bdi>${name.name}</bdi>${after}`;
}

export function renderMessage(
  entry: TimelineEntry,
  view: ConversationView,
  ui: ItemUi,
  a: ItemActions,
  opts: ItemOptions,
): TemplateResult {
  const t = a.i18n.t.bind(a.i18n);
  const own = entry.from === view.me;
  // Names come from the portal; a name the sender wrote itself is shown only marked as such (core/people.ts).
  const name = own ? undefined : view.senderName(entry);
  const who = own
    ? t('message.you')
    : name?.source === 'self-declared'
      ? t('message.selfDeclared', { name: name.name })
      : (name?.name ?? t('message.unknownMember'));
  // Not a member the user confirmed on this device: flagged on every message, never styled as trusted.
  const flag = own ? undefined : view.senderFlag(entry.from);
  const hidden = entry.kind === 'message' && !own && ui.distrusted?.has(entry.from) === true;
  const trust = hidden
    ? 'key-changed'
    : entry.kind === 'message'
      ? 'verified'
      : entry.kind === 'undecryptable'
        ? entry.reason
        : entry.kind;
  let body: TemplateResult;
  if (hidden) {
    body = html`<div class="error">${t('verify.hidden')}</div>`;
  } else if (entry.kind === 'message') {
    const quoted = entry.quoteId ? view.entry(entry.quoteId) : undefined;
    body = html`${
        entry.quoteId
          ? html`<div class="quote">
              ${quoted?.kind === 'message' && !ui.distrusted?.has(quoted.from) ? quoted.text.slice(0, 140) : t('message.quoteMissing')}
            </div>`
          : nothing
      }
      <div class="text">${renderText(entry.text)}</div>
      ${renderFiles(entry, view, a)}`;
  } else if (entry.kind === 'undecryptable') {
    body = html`<div class="error">${t(FAILURE_TEXT[entry.reason])}</div>`;
  } else if (entry.kind === 'deleted') {
    body = html`<div class="muted">${t('list.deleted')}</div>`;
  } else {
    body = html`<div class="muted">${t('message.decrypting')}</div>`;
  }
  const delivery = own ? deliveryOf(entry, view, a, opts.showDelivery) : { state: undefined, line: nothing };
  const sent = entry.kind === 'message' && !entry.pending && !entry.failed && !hidden;
  const replies = opts.inThread ? 0 : view.replyCount(entry.id);
  const time = html`<time datetime=${entry.sentAt.toISOString()}>${a.i18n.time(entry.sentAt)}</time>`;
  return html`<article
    part="message${own ? ' own-message' : ''}"
    class="${entry.kind === 'undecryptable' || hidden ? 'failed' : own ? 'own' : ''}${flag ? ' flagged' : ''}${opts.groupStart ? ' group-start' : ''}"
    data-id=${entry.id}
    data-trust=${trust}
    data-sender=${own ? 'own' : (name?.source ?? 'unknown')}
    data-flag=${flag ?? nothing}
    data-delivery=${delivery.state ?? nothing}
    aria-label=${opts.groupStart ? nothing : who}
  >
    <div class="meta">
      ${opts.groupStart ? html`<span class="who">${whoLabel(who, name, t)}</span> · ` : nothing}${time}${
        entry.kind === 'message' && entry.edited ? ` · ${t('message.edited')}` : nothing
      }${flag ? html` · <span class="sender-flag" part="sender-flag">${t('message.notMember')}</span>` : nothing}
    </div>
    ${body} ${delivery.line} ${unreadableNotice(entry, view, a)}
    ${sent ? reactionBar(entry, view, a) : nothing}
    ${
      sent
        ? html`<div class="row" role="group" aria-label=${t('list.actions')}>
            ${
              opts.inThread
                ? nothing
                : html`<button
                      type="button"
                      class="link"
                      data-action="thread"
                      @click=${() => a.openThread(entry.id)}
                    >
                      ${replies > 0 ? t('message.replies', { count: replies }) : t('message.replyInThread')}
                    </button>
                    <button type="button" class="link" @click=${() => a.quote(entry.id)}>
                      ${t('message.quote')}
                    </button>`
            }
            ${
              own
                ? html`<button type="button" class="link" @click=${() => a.edit(entry.id)}>
                      ${t('message.edit')}
                    </button>
                    <button type="button" class="link" @click=${() => a.deleteMessage(entry.id)}>
                      ${t('list.delete')}
                    </button>`
                : nothing
            }
          </div>`
        : own && entry.kind === 'message' && entry.failed
          ? html`<div class="row">
              <button type="button" class="link" @click=${() => a.deleteMessage(entry.id)}>
                ${t('list.delete')}
              </button>
            </div>`
          : nothing
    }
    ${ui.editingId === entry.id ? html`<span class="muted">${t('message.editingBelow')}</span>` : nothing}
  </article>`;
}
