// The message list's scroll state for one conversation: the window of rendered messages, following the newest,
// and the anchor that keeps the message being read in place while others change height or come and go.
import type { ConversationView } from '../controllers/conversation-view.js';
import { firstUnread, type TimelineEntry } from '../core/timeline.js';
import { clampWindow, latestWindow, type ListWindow } from '../core/windowing.js';

const AT_BOTTOM = 48;

/** One conversation's list state, kept between renders (never holds plaintext itself). */
export class ListState {
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

  /** The conversation this state belongs to (`ConversationView.key`). */
  readonly key: object;

  constructor(view: ConversationView) {
    this.key = view.key;
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
    if (el instanceof HTMLElement) this.#el = el;
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
