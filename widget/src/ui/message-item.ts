// One message as a bubble: the user's own on the inline-end side, others' on the inline-start side with an avatar;
// quoted reply, direction-isolated text with safe links, files, reaction chips, time and delivery under a group's
// last bubble, and the actions on demand (a toolbar on hover or focus, a menu behind "more" on touch).
// Content is rendered only through Lit text bindings; the only elements built from it are http(s) <a> links.
import { html, nothing, type TemplateResult } from 'lit';
import type { FailureReason } from '../core/ports.js';
import type { ConversationIntents, ConversationView } from '../controllers/conversation-view.js';
import type { SenderName } from '../core/people.js';
import type { TimelineEntry } from '../core/timeline.js';
import type { Localizer, MessageKey } from '../i18n/localize.js';
import { linkify } from './linkify.js';
import { renderFiles } from './attachments.js';
import { actions, REACTIONS } from './message-actions.js';
import { closePopup } from './roving.js';

export { REACTIONS } from './message-actions.js';

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
  /** The last bubble of a run from one sender within one minute: the time and delivery state show under it. */
  groupEnd: boolean;
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

/** Initials of the portal's name for a member ("Dr Bob" → "DB"); never an image, never the self-declared name. */
export function initials(name: string | undefined): string {
  const words = (name ?? '').trim().split(/\s+/).filter(Boolean);
  const first = (w: string | undefined) => (w ? ([...w][0] ?? '') : '');
  const letters = words.length > 1 ? first(words[0]) + first(words.at(-1)) : first(words[0]);
  return letters.toLocaleUpperCase() || '?';
}

/** One of six avatar colours (each with AA contrast for white text), derived from the member's id. */
export function avatarTone(id: string): number {
  let hash = 0;
  for (const char of id) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) >>> 0;
  return hash % 6;
}

export const avatar = (id: string, name: string | undefined, big = false) =>
  html`<span class="avatar tone-${avatarTone(id)}${big ? ' big' : ''}" part="avatar" aria-hidden="true"
    >${initials(name)}</span
  >`;

type Delivery = { state: string | undefined; line: unknown; alert: unknown };

function deliveryOf(
  entry: TimelineEntry,
  view: ConversationView,
  a: ItemActions,
  opts: ItemOptions,
): Delivery {
  const none = { state: undefined, line: nothing, alert: nothing };
  if (entry.kind !== 'message') return none;
  const t = a.i18n.t.bind(a.i18n);
  if (entry.failed) {
    return {
      state: 'failed',
      line: nothing,
      alert: html`<p class="delivery failed" role="alert" dir="auto">
        ${t('list.failed')}
        <button type="button" class="link" @click=${() => a.retry(entry.id)}>${t('list.retry')}</button>
      </p>`,
    };
  }
  if (entry.pending) {
    // Queued while offline (outbox) or on its way.
    const state = entry.delayed ? 'delayed' : entry.queued ? 'queued' : 'sending';
    const key = entry.delayed ? 'message.delayed' : entry.queued ? 'message.queued' : 'message.sending';
    return { state, line: html`<span class="delivery">${t(key)}</span>`, alert: nothing };
  }
  const me = view.me;
  const readers = view.members.filter((m) => {
    const at = m !== me ? view.reads.get(m) : undefined;
    return at && at.getTime() >= entry.sentAt.getTime();
  });
  const state = readers.length ? 'read' : 'sent';
  if (!opts.groupEnd && !opts.showDelivery) return { state, line: nothing, alert: nothing };
  const others = view.members.filter((m) => m !== me).length;
  const text = !readers.length
    ? t('list.sent')
    : others <= 1 || !opts.showDelivery
      ? t('list.seen')
      : t('list.seenBy', { names: readers.map((m) => view.nameOf(m) ?? t('list.someone')).join(', ') });
  return { state, line: html`<span class="delivery ${state}">${text}</span>`, alert: nothing };
}

/** Members who had no key when the message was sent can never read it: say so, by name, to the sender. */
function unreadableNotice(entry: TimelineEntry, view: ConversationView, a: ItemActions) {
  if (entry.kind !== 'message' || !entry.unreadableBy?.length) return nothing;
  const t = a.i18n.t.bind(a.i18n);
  const names = entry.unreadableBy.map((id) => view.nameOf(id) ?? t('list.someone')).join(', ');
  return html`<p class="delivery warning" part="unreadable-notice" dir="auto">
    ${t('list.unreadableBy', { names })}
  </p>`;
}

/** Reactions the message has, as chips that toggle the user's own; nothing when it has none. */
function reactionChips(entry: TimelineEntry, view: ConversationView, a: ItemActions) {
  const t = a.i18n.t.bind(a.i18n);
  const summary = view.reactions(entry.id);
  const present = REACTIONS.filter(({ type }) => (summary?.counts[type] ?? 0) > 0);
  if (!present.length) return nothing;
  return html`<div class="reactions" part="reactions" role="group" aria-label=${t('list.reactions')}>
    ${present.map(({ type, emoji, label }) => {
      const count = summary?.counts[type] ?? 0;
      const mine = summary?.own.includes(type) ?? false;
      return html`<button
        type="button"
        part="reaction-chip"
        data-reaction=${type}
        aria-pressed=${mine ? 'true' : 'false'}
        title=${t('list.reactLabel', { reaction: t(label), count })}
        @click=${() => a.react(entry.id, type, !mine)}
      >
        <span aria-hidden="true">${emoji}</span><span class="vh">${t(label)}</span> ${a.i18n.number(count)}
      </button>`;
    })}
  </div>`;
}

/** The sender's name; a self-declared one isolated (`<bdi>`) so its characters cannot reorder the mark. */
function whoLabel(who: string, name: SenderName | undefined, t: Localizer['t']) {
  if (name?.source !== 'self-declared') return html`<bdi>${who}</bdi>`;
  const [before = '', after = ''] = t('message.selfDeclared', { name: '\u0000' }).split('\u0000');
  return html`${before}<bdi>${name.name}</bdi>${after}`;
}

function bodyOf(entry: TimelineEntry, view: ConversationView, ui: ItemUi, a: ItemActions, hidden: boolean) {
  const t = a.i18n.t.bind(a.i18n);
  if (hidden) return html`<div class="error" dir="auto">${t('verify.hidden')}</div>`;
  switch (entry.kind) {
    case 'message': {
      const quoted = entry.quoteId ? view.entry(entry.quoteId) : undefined;
      const quote = !entry.quoteId
        ? nothing
        : html`<div class="quote" dir="auto">
            ${
              quoted?.kind === 'message' && !ui.distrusted?.has(quoted.from)
                ? quoted.text.slice(0, 140)
                : t('message.quoteMissing')
            }
          </div>`;
      return html`${quote}${entry.text ? html`<div class="text" dir="auto">${renderText(entry.text)}</div>` : nothing}${renderFiles(entry, view, a)}`;
    }
    case 'undecryptable':
      return html`<div class="error" dir="auto">${t(FAILURE_TEXT[entry.reason])}</div>`;
    case 'deleted':
      return html`<div class="muted" dir="auto">${t('list.deleted')}</div>`;
    default:
      return html`<div class="muted" dir="auto">${t('message.decrypting')}</div>`;
  }
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
  const delivery = own
    ? deliveryOf(entry, view, a, opts)
    : { state: undefined, line: nothing, alert: nothing };
  const sent = entry.kind === 'message' && !entry.pending && !entry.failed && !hidden;
  const replies = opts.inThread ? 0 : view.replyCount(entry.id);
  const edited = entry.kind === 'message' && entry.edited;
  const kind = entry.kind === 'undecryptable' || hidden ? 'failed' : entry.kind === 'message' ? '' : 'quiet';
  const heading = opts.groupStart && !own;
  const showMeta = opts.groupEnd || edited || Boolean(flag) || delivery.line !== nothing;
  const classes = [
    'msg',
    own ? 'own' : 'other',
    kind,
    flag ? 'flagged' : '',
    opts.groupStart ? 'group-start' : '',
    opts.groupEnd ? 'group-end' : '',
  ];
  return html`<article
    part="message${own ? ' own-message' : ''}"
    class=${classes.filter(Boolean).join(' ')}
    tabindex="-1"
    data-id=${entry.id}
    data-trust=${trust}
    data-sender=${own ? 'own' : (name?.source ?? 'unknown')}
    data-flag=${flag ?? nothing}
    data-delivery=${delivery.state ?? nothing}
    @focusout=${(e: FocusEvent) => {
      const item = e.currentTarget as HTMLElement;
      if (item.dataset.open && !item.contains(e.relatedTarget as Node | null)) closePopup(item);
    }}
  >
    ${heading ? avatar(entry.from, own ? undefined : view.nameOf(entry.from)) : nothing}
    <div class="stack">
      ${heading ? html`<div class="who-line"><span class="who">${whoLabel(who, name, t)}</span></div>` : nothing}
      <div class="meta${showMeta ? '' : ' quiet'}">
        ${heading ? nothing : html`<span class="vh">${who}, </span>`}<time
          class=${opts.groupEnd ? '' : 'vh'}
          datetime=${entry.sentAt.toISOString()}
          >${a.i18n.time(entry.sentAt)}</time
        >${edited ? html`<span class="edited">${t('message.edited')}</span>` : nothing}${
          flag ? html`<span class="sender-flag" part="sender-flag">${t('message.notMember')}</span>` : nothing
        }${delivery.line}
      </div>
      <div class="bubble" part="bubble">${bodyOf(entry, view, ui, a, hidden)}</div>
      ${
        replies > 0
          ? html`<button
              type="button"
              class="link replies"
              data-action="replies"
              @click=${() => a.openThread(entry.id)}
            >
              ${t('message.replies', { count: replies })}
            </button>`
          : nothing
      }
      ${sent ? reactionChips(entry, view, a) : nothing} ${delivery.alert} ${unreadableNotice(entry, view, a)}
      ${ui.editingId === entry.id ? html`<span class="muted editing">${t('message.editingBelow')}</span>` : nothing}
    </div>
    ${actions(entry, view, a, opts, sent)}
  </article>`;
}
