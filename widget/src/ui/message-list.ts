// The message list: day headings, sender groups, a "new messages" divider, windowed rendering of long histories,
// history paging on scroll-up with a steady scroll position, and "jump to latest". Part of the lazy views chunk.
import { css, html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { ref } from 'lit/directives/ref.js';
import { repeat } from 'lit/directives/repeat.js';
import type { ConversationIntents, ConversationView } from '../controllers/conversation-view.js';
import { buildRows, type ListRow, type TimelineEntry } from '../core/timeline.js';
import { latestWindow, slideDown, slideUp } from '../core/windowing.js';
import { ListState } from './list-scroll.js';
import { bubbleStyles } from './bubble.styles.js';
import { conversationStyles } from './conversation.styles.js';
import { renderMessage, type ItemActions, type ItemUi } from './message-item.js';
import { applyRoving, rovingFocusIn, rovingKeydown } from './roving.js';

/** How close (px) to an edge counts as "at" it. */
const EDGE = 160;

const listStyles = css`
  secure-chat-message-list {
    display: contents;
  }
  .list-wrap {
    position: relative;
  }
  [part~='messages'] {
    overflow-anchor: none;
    align-content: start;
  }
  .day {
    text-align: center;
    font-size: 0.85rem;
    color: var(--_muted);
    margin: 0.5rem 0 0;
  }
  .divider {
    display: flex;
    align-items: center;
    gap: 0.5rem;
    color: var(--_danger);
    font-size: 0.85rem;
    font-weight: 600;
  }
  .divider::before,
  .divider::after {
    content: '';
    flex: 1;
    border-top: 1px solid currentColor;
  }
  [part~='jump-to-latest'] {
    position: absolute;
    inset-inline-end: 1.25rem;
    bottom: 0.75rem;
    box-shadow: 0 1px 4px rgb(0 0 0 / 0.3);
  }
  .list-status {
    min-height: 1.4em;
    padding: 0 1rem;
    font-size: 0.85rem;
    color: var(--_muted);
  }
  .text a {
    color: var(--_accent);
  }
`;

export interface ListActions
  extends ItemActions, Pick<ConversationIntents, 'loadOlder' | 'decrypt' | 'markRead'> {
  /** Re-renders the element (list state changed without a session change). */
  refresh(): void;
}

function onScroll(view: ConversationView, state: ListState, a: ListActions, el: HTMLElement): void {
  const total = view.entries.length;
  const wasStuck = state.stick;
  state.noteAnchor(el);
  state.stick = state.atBottom(el);
  if (state.stick) a.markRead();
  if (el.scrollTop < EDGE) {
    if (showOlder(view, state, a)) return;
  } else if (el.scrollHeight - el.scrollTop - el.clientHeight < EDGE && state.win.end < total) {
    state.holdAnchor();
    state.win = slideDown(state.win, total);
    a.refresh();
    return;
  }
  if (wasStuck !== state.stick) a.refresh();
}

/** Shows older messages: slides the window up, or pages in history from Stream. True if the window moved. */
function showOlder(view: ConversationView, state: ListState, a: ListActions): boolean {
  const total = view.entries.length;
  if (state.win.start > 0) {
    state.stick = false;
    state.holdAnchor();
    state.win = slideUp(state.win, total);
    a.refresh();
    return true;
  }
  if (view.hasOlder) {
    void a
      .loadOlder()
      .then((added) => {
        if (added > 0 && !state.stick) {
          state.holdAnchor();
          state.win = slideUp(state.win, total + added);
          a.refresh();
        }
      })
      // Offline or closed: "Show older messages" stays on screen, so the reader can simply try again.
      .catch(() => {});
  }
  return false;
}

function jumpToLatest(view: ConversationView, state: ListState, a: ListActions): void {
  state.stick = true;
  state.win = latestWindow(view.entries.length);
  a.refresh();
  state.element?.focus();
  a.markRead();
}

function renderRow(row: ListRow, view: ConversationView, ui: ItemUi, a: ListActions, lastOwnId?: string) {
  switch (row.kind) {
    case 'day':
      return html`<h3 class="day" part="day-heading">
        <time datetime=${row.key}>${a.i18n.day(row.date)}</time>
      </h3>`;
    case 'divider':
      return html`<p class="divider" part="new-messages-divider">${a.i18n.t('list.newMessages')}</p>`;
    case 'entry':
      return renderMessage(row.entry, view, ui, a, {
        inThread: false,
        groupStart: row.groupStart,
        groupEnd: row.groupEnd,
        showDelivery: row.entry.id === lastOwnId,
      });
  }
}

function rowKey(row: ListRow): string {
  return row.kind === 'entry' ? row.entry.id : row.kind === 'day' ? `day:${row.key}` : 'divider';
}

function typingLine(view: ConversationView, a: ListActions, thread: string): string {
  const names = [...view.typing]
    .filter(([, where]) => where === thread)
    .map(([id]) => view.nameOf(id) ?? a.i18n.t('list.someone'));
  if (!names.length) return '';
  return a.i18n.t(names.length > 1 ? 'list.typingMany' : 'list.typing', { names: names.join(', ') });
}

/**
 * The main message list of the open conversation (windowed), as `<secure-chat-message-list>`. It renders into the
 * widget's own shadow root (light DOM), so the widget's parts, theme and `::part()` styling reach its messages; its
 * static styles join that root's adopted style sheets when it connects. Side effects (scroll position, decrypting
 * what is shown, read marks) run in `updated()`, after each render is committed.
 */
export class MessageListElement extends LitElement {
  static override styles = [listStyles, bubbleStyles, conversationStyles];
  /** Registers the element once (the views chunk does, when it loads). */
  static define(tag = 'secure-chat-message-list'): void {
    if (!customElements.get(tag)) customElements.define(tag, this);
  }

  @property({ attribute: false }) view: ConversationView | undefined;
  @property({ attribute: false }) ui: ItemUi = {};
  @property({ attribute: false }) actions: ListActions | undefined;

  #state: ListState | undefined;
  #visible: readonly TimelineEntry[] = [];

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    const root = this.getRootNode();
    if (!(root instanceof ShadowRoot)) return;
    for (const { styleSheet: sheet } of [listStyles, bubbleStyles, conversationStyles])
      if (sheet && !root.adoptedStyleSheets.includes(sheet))
        root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  }

  /** Before rendering: the conversation's list state (a new one per opened conversation) and the window to show. */
  protected override willUpdate(changed: PropertyValues<this>): void {
    const view = this.view;
    if (!view) return;
    if (changed.has('view') && this.#state?.key !== view.key) this.#state = new ListState(view);
    const state = this.#state as ListState;
    const last = view.entries.at(-1);
    if (last?.from === view.me && last.kind === 'message' && last.pending) state.stick = true; // the user just sent
    this.#visible = state.layout(view.entries);
  }

  protected override render(): TemplateResult | typeof nothing {
    const { view, actions: a } = this;
    const state = this.#state;
    if (!view || !a || !state) return nothing;
    return renderList(view, this.ui, a, state, this.#visible);
  }

  /** After each committed render: keep the scroll position, decrypt what is shown, mark read at the bottom. */
  protected override updated(): void {
    const state = this.#state;
    const a = this.actions;
    if (!state || !a) return;
    state.settle();
    // One message of each list is its tab stop (ui/roving.ts); the thread panel renders beside this element.
    applyRoving(state.element);
    applyRoving(this.parentElement?.closest('.layout')?.querySelector<HTMLElement>('[part~="thread"]'));
    const encrypted = this.#visible.filter((e) => e.kind === 'decrypting').map((e) => e.id);
    if (encrypted.length) a.decrypt(encrypted);
    if (state.stick) a.markRead();
  }
}

function renderList(
  view: ConversationView,
  ui: ItemUi,
  a: ListActions,
  state: ListState,
  visible: readonly TimelineEntry[],
): TemplateResult {
  const t = a.i18n.t.bind(a.i18n);
  const main = view.entries;
  const me = view.me;
  const rows = buildRows(visible, state.firstUnreadId);
  const lastOwnId = [...main].reverse().find((e) => e.from === me && e.kind === 'message')?.id;
  const unseen = main.slice(state.win.end).filter((e) => e.from !== me).length;
  const others = view.members.filter((m) => m !== me);
  const online = others.filter((m) => view.online.has(m)).map((m) => view.nameOf(m) ?? t('list.someone'));
  const typing = typingLine(view, a, '');
  return html`<div class="list-wrap">
      <div
        part="messages"
        role="log"
        aria-live="polite"
        aria-label=${t('conversation.messages')}
        tabindex="-1"
        ${ref((el) => state.attach(el))}
        @keydown=${rovingKeydown}
        @focusin=${rovingFocusIn}
        @scroll=${(e: Event) => onScroll(view, state, a, e.currentTarget as HTMLElement)}
      >
        ${
          state.win.start > 0 || view.hasOlder
            ? html`<p class="day" part="history-status">
                <button type="button" class="link" @click=${() => showOlder(view, state, a)}>
                  ${t('list.loadOlder')}
                </button>
              </p>`
            : main.length
              ? html`<p class="muted day" part="history-status" dir="auto">${t('list.beginning')}</p>`
              : nothing
        }
        ${repeat(rows, rowKey, (row) => renderRow(row, view, ui, a, lastOwnId))}
      </div>
      ${
        state.stick || !main.length
          ? nothing
          : html`<button type="button" part="jump-to-latest" @click=${() => jumpToLatest(view, state, a)}>
              ${unseen ? t('list.jumpToLatestCount', { count: unseen }) : t('list.jumpToLatest')}
            </button>`
      }
    </div>
    <p class="list-status" part="typing" dir="auto">
      ${typing || (online.length ? t('list.online', { names: online.join(', ') }) : '')}
    </p>`;
}

/** A thread's replies (threads are short: rendered whole). */
export function renderThreadList(view: ConversationView, parentId: string, ui: ItemUi, a: ListActions) {
  const t = a.i18n.t.bind(a.i18n);
  const replies = view.thread(parentId);
  const me = view.me;
  const lastOwnId = [...replies].reverse().find((e) => e.from === me && e.kind === 'message')?.id;
  const rows = buildRows(replies).filter((r): r is Extract<ListRow, { kind: 'entry' }> => r.kind === 'entry');
  return html`<div
      part="thread"
      role="log"
      aria-live="polite"
      aria-label=${t('thread.replies')}
      @keydown=${rovingKeydown}
      @focusin=${rovingFocusIn}
    >
      ${repeat(
        rows,
        (r) => r.entry.id,
        (r) =>
          renderMessage(r.entry, view, ui, a, {
            inThread: true,
            groupStart: r.groupStart,
            groupEnd: r.groupEnd,
            showDelivery: r.entry.id === lastOwnId,
          }),
      )}
    </div>
    <p class="list-status" part="typing" dir="auto">${typingLine(view, a, parentId)}</p>`;
}
