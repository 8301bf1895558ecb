// The message list: day headings, sender groups, a "new messages" divider, windowed rendering of long histories,
// history paging on scroll-up with a steady scroll position, and "jump to latest". Part of the lazy views chunk.
import { css, html, nothing, type TemplateResult } from 'lit';
import { ref } from 'lit/directives/ref.js';
import { repeat } from 'lit/directives/repeat.js';
import type { ConversationIntents, ConversationView } from '../controllers/conversation-view.js';
import { buildRows, firstUnread, type ListRow, type TimelineEntry } from '../core/timeline.js';
import { clampWindow, latestWindow, slideDown, slideUp, type ListWindow } from '../core/windowing.js';
import { renderMessage, type ItemActions, type ItemUi } from './message-item.js';

/** How close (px) to an edge counts as "at" it. */
const EDGE = 160;
const AT_BOTTOM = 48;

const listStyles = css`
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
  [part~='message']:not(.group-start) {
    margin-top: -0.35rem;
  }
  [part~='message']:focus-within {
    outline: 2px solid var(--_accent);
    outline-offset: 1px;
  }
  .delivery {
    font-size: 0.8rem;
    color: var(--_muted);
  }
  .delivery.failed,
  .delivery.warning {
    color: var(--_danger);
  }
  .reactions button {
    padding: 0.05rem 0.45rem;
    font-size: 0.85rem;
    border-radius: 999px;
    background: transparent;
    color: var(--_fg);
    border-color: var(--_border);
  }
  .reactions button[aria-pressed='true'] {
    border-color: var(--_accent);
    background: var(--_bg);
    font-weight: 600;
  }
  .text a {
    color: var(--_accent);
  }
`;

/** Per-conversation list state, kept between renders (never holds plaintext itself). */
class ListState {
  win: ListWindow = { start: 0, end: 0 };
  /** Following the newest message (scrolled to the bottom). */
  stick = true;
  firstUnreadId: string | undefined;
  #firstId: string | undefined;
  #laidOut = 0;
  #anchor: { id: string; top: number } | undefined;
  #anchorId: string | undefined;
  #ownScrollTop = -1;
  #el: HTMLElement | undefined;
  #styled = new WeakSet<Node>();

  constructor(view: ConversationView) {
    this.firstUnreadId = firstUnread(view.entries, view.me, view.lastReadAtOpen);
  }

  /** Fits the window to the entries, following the newest while stuck and keeping it steady after prepends. */
  layout(main: readonly TimelineEntry[]): TimelineEntry[] {
    const total = main.length;
    const firstId = main[0]?.id;
    if (this.#firstId && firstId !== this.#firstId) {
      const moved = main.findIndex((e) => e.id === this.#firstId);
      if (moved > 0) this.win = { start: this.win.start + moved, end: this.win.end + moved };
    }
    this.#firstId = firstId;
    // Any re-render while scrolled up (decrypted text, new reactions) keeps the first visible message in place.
    if (!this.stick) this.holdAnchor();
    this.win = this.stick ? latestWindow(total) : clampWindow(this.win, total);
    this.#laidOut = total;
    return main.slice(this.win.start, this.win.end);
  }

  attach(el: Element | undefined): void {
    if (!(el instanceof HTMLElement)) return;
    this.#el = el;
    const root = el.getRootNode();
    if (root instanceof ShadowRoot && !this.#styled.has(root) && listStyles.styleSheet) {
      this.#styled.add(root);
      root.adoptedStyleSheets = [...root.adoptedStyleSheets, listStyles.styleSheet];
    }
  }

  /** The first fully visible message (else the one covering the top). */
  #firstVisible(el: HTMLElement): HTMLElement | undefined {
    const top = el.getBoundingClientRect().top;
    let covering: HTMLElement | undefined;
    for (const node of el.querySelectorAll<HTMLElement>('[data-id]')) {
      const rect = node.getBoundingClientRect();
      if (rect.bottom <= top) continue;
      covering ??= node;
      if (rect.top >= top - 1) return node;
    }
    return covering;
  }

  /** After the user scrolls: the message they are looking at becomes the one to keep in place. */
  noteAnchor(el: HTMLElement): void {
    if (Math.abs(el.scrollTop - this.#ownScrollTop) < 1) return; // our own scroll from settle()
    this.#anchorId = this.#firstVisible(el)?.dataset.id;
  }

  /**
   * Measures where the anchor message is, so the next render keeps it in place even when messages around it change
   * height (decrypted, edited) or come and go (window slides, history pages).
   */
  holdAnchor(): void {
    const el = this.#el;
    if (!el) return;
    const id = this.#anchorId;
    const node =
      (id && el.querySelector<HTMLElement>(`[data-id="${CSS.escape(id)}"]`)) || this.#firstVisible(el);
    if (!node) return;
    this.#anchorId = node.dataset.id;
    this.#anchor = {
      id: node.dataset.id as string,
      top: node.getBoundingClientRect().top - el.getBoundingClientRect().top,
    };
  }

  /** After each render: restore the anchor or follow the bottom. */
  settle(): void {
    const el = this.#el;
    if (!el) return;
    const anchor = this.#anchor;
    this.#anchor = undefined;
    if (this.stick) {
      el.scrollTop = el.scrollHeight;
      this.#anchorId = undefined;
    } else if (anchor) {
      const node = el.querySelector<HTMLElement>(`[data-id="${CSS.escape(anchor.id)}"]`);
      if (node)
        el.scrollTop += node.getBoundingClientRect().top - el.getBoundingClientRect().top - anchor.top;
    }
    this.#ownScrollTop = el.scrollTop;
  }

  /** At the bottom of what was last rendered (messages that arrived since then do not count against it). */
  atBottom(el: HTMLElement): boolean {
    return this.win.end >= this.#laidOut && el.scrollHeight - el.scrollTop - el.clientHeight < AT_BOTTOM;
  }

  get element(): HTMLElement | undefined {
    return this.#el;
  }
}

/** List state per open conversation: a conversation opened again starts at its newest message. */
const states = new WeakMap<object, ListState>();

function stateFor(view: ConversationView): ListState {
  let state = states.get(view.key);
  if (!state) {
    state = new ListState(view);
    states.set(view.key, state);
  }
  return state;
}

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

/** The main message list of the open conversation (windowed). */
export function renderMessageList(view: ConversationView, ui: ItemUi, a: ListActions): TemplateResult {
  const t = a.i18n.t.bind(a.i18n);
  const state = stateFor(view);
  const main = view.entries;
  const me = view.me;
  if (
    main.at(-1)?.from === me &&
    main.at(-1)?.kind === 'message' &&
    (main.at(-1) as { pending?: boolean }).pending
  ) {
    state.stick = true; // the user just sent: show it
  }
  const visible = state.layout(main);
  const rows = buildRows(visible, state.firstUnreadId);
  const lastOwnId = [...main].reverse().find((e) => e.from === me && e.kind === 'message')?.id;
  const unseen = main.slice(state.win.end).filter((e) => e.from !== me).length;
  const others = view.members.filter((m) => m !== me);
  const online = others.filter((m) => view.online.has(m)).map((m) => view.nameOf(m) ?? t('list.someone'));
  const typing = typingLine(view, a, '');
  // After this render is committed: keep the scroll position, decrypt what is shown, mark read at the bottom.
  queueMicrotask(() => {
    state.settle();
    const encrypted = visible.filter((e) => e.kind === 'decrypting').map((e) => e.id);
    if (encrypted.length) a.decrypt(encrypted);
    if (state.stick) a.markRead();
  });
  return html`<div class="list-wrap">
      <div
        part="messages"
        role="log"
        aria-live="polite"
        aria-label=${t('conversation.messages')}
        tabindex="0"
        ${ref((el) => state.attach(el))}
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
              ? html`<p class="muted day" part="history-status">${t('list.beginning')}</p>`
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
    <p class="list-status" part="typing">
      ${typing || (online.length ? t('list.online', { names: online.join(', ') }) : '')}
    </p>`;
}

/** A thread's replies (threads are short: rendered whole). */
export function renderThreadList(view: ConversationView, parentId: string, ui: ItemUi, a: ListActions) {
  const t = a.i18n.t.bind(a.i18n);
  const replies = view.thread(parentId);
  const me = view.me;
  const lastOwnId = [...replies].reverse().find((e) => e.from === me && e.kind === 'message')?.id;
  return html`<div part="thread" role="log" aria-live="polite" aria-label=${t('thread.replies')}>
      ${repeat(
        replies,
        (e) => e.id,
        (e) =>
          renderMessage(e, view, ui, a, {
            inThread: true,
            groupStart: true,
            showDelivery: e.id === lastOwnId,
          }),
      )}
    </div>
    <p class="list-status" part="typing">${typingLine(view, a, parentId)}</p>`;
}
