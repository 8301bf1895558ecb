// The conversation list screen (lazy chunk) as `<secure-chat-conversation-list>`: rows with decrypted previews,
// unread counts and presence; starting a conversation; split or stacked layout; the notification opt-in. It renders
// a snapshot (ConversationListView) and calls intents; preview text goes only through Lit text bindings.
import { html, LitElement, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type {
  ConversationListIntents,
  ConversationListView,
} from '../controllers/conversation-list-state.js';
import type { ConversationRow } from '../core/conversations.js';
import type { Localizer } from '../i18n/localize.js';
import { styles } from './conversation-list.styles.js';

export type LayoutMode = 'auto' | 'split' | 'stacked';

/** Below this width (px) `layout="auto"` shows one pane at a time. */
export const STACK_BELOW = 600;

/**
 * Renders into the widget's own shadow root (light DOM), like the message list, so the widget's parts, theme and
 * `::part()` styling reach the rows and the conversation beside them. Focus moves after open and back happen here.
 */
export class ConversationListElement extends LitElement {
  static override styles = styles;
  /** Registers the element once (the conversation list chunk does, when it loads). */
  static define(tag = 'secure-chat-conversation-list'): void {
    if (!customElements.get(tag)) customElements.define(tag, this);
  }

  @property({ attribute: false }) view: ConversationListView | undefined;
  @property({ attribute: false }) intents: ConversationListIntents | undefined;
  @property({ attribute: false }) i18n: Localizer | undefined;
  @property({ attribute: false }) layout: LayoutMode = 'auto';
  /** The conversation screen shown in the pane. */
  @property({ attribute: false }) conversation: TemplateResult | undefined;
  @state() private narrow = false;

  #observer: ResizeObserver | undefined;

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    const root = this.getRootNode();
    const sheet = styles.styleSheet;
    if (root instanceof ShadowRoot && sheet && !root.adoptedStyleSheets.includes(sheet))
      root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
    this.narrow = this.getBoundingClientRect().width < STACK_BELOW;
    this.#observer = new ResizeObserver(([entry]) => {
      const narrow = (entry?.contentRect.width ?? STACK_BELOW) < STACK_BELOW;
      // Re-render in a later task: changing the layout inside the callback would loop the observer.
      if (narrow !== this.narrow) setTimeout(() => (this.narrow = narrow));
    });
    this.#observer.observe(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#observer?.disconnect();
  }

  /** The effective layout: `layout` forces it; `auto` follows the element's width. */
  get stacked(): boolean {
    return this.layout === 'stacked' || (this.layout !== 'split' && this.narrow);
  }

  /** A notification was clicked: bring the page forward and focus that conversation's row (or the open one). */
  focusConversation(cid: string): void {
    window.focus();
    const row = this.#row(cid);
    if (row && row.offsetParent !== null) row.focus();
    else this.#focusHeading();
  }

  /** The effective layout, for styling and tests: `data-layout="stacked"` or `"split"`. */
  protected override updated(): void {
    this.dataset['layout'] = this.stacked ? 'stacked' : 'split';
  }

  protected override render(): TemplateResult | typeof nothing {
    const { view, i18n } = this;
    if (!view || !i18n) return nothing;
    const t = i18n.t.bind(i18n);
    const stacked = this.stacked;
    const cid = view.active;
    const { total } = view.totals;
    return html`<div class="list-layout ${stacked ? 'stacked' : 'split'}">
      <section part="conversation-list" aria-labelledby="list-title" ?hidden=${stacked && Boolean(cid)}>
        <div class="list-head">
          <h2 id="list-title">
            ${t('conversationList.title')}
            ${total > 0 ? html`<span class="badge" part="unread-total">${t('conversationList.unreadTotal', { count: total })}</span>` : nothing}
          </h2>
          ${this.#renderNotifyToggle(view, t)}
        </div>
        ${view.notice ? html`<p class=${view.notice.kind === 'error' ? 'error' : 'muted'} role="alert">${t(view.notice.key)}</p>` : nothing}
        ${
          view.rows.length
            ? html`<ul class="rows" aria-label=${t('conversationList.title')}>
                ${view.rows.map((row) => html`<li>${this.#renderRow(row, view, i18n)}</li>`)}
              </ul>`
            : html`<p class="muted">${t('conversationList.empty')}</p>`
        }
        ${view.contacts.length ? this.#renderStart(view, t) : nothing}
        ${
          // The conversation header has its own sign-out; without an open conversation the list offers it.
          cid
            ? nothing
            : html`<form class="row" @submit=${this.#onSignOut}>
                <label class="row"
                  ><input type="checkbox" name="forget" /> ${t('conversation.forgetKey')}</label
                >
                <button type="submit" class="secondary">${t('conversation.signOut')}</button>
              </form>`
        }
      </section>
      <section class="pane" part="conversation-pane" ?hidden=${stacked && !cid}>
        ${
          stacked && cid
            ? html`<button type="button" class="link back" part="back-button" @click=${this.#onBack}>
                <span aria-hidden="true">${i18n.dir === 'rtl' ? '→' : '←'}</span>
                ${t('conversationList.back')}
              </button>`
            : nothing
        }
        ${cid ? this.conversation : html`<p class="screen muted">${t('conversationList.choose')}</p>`}
      </section>
    </div>`;
  }

  #renderStart(view: ConversationListView, t: Localizer['t']): TemplateResult {
    return html`<form class="start" @submit=${this.#onStart}>
      <label
        >${t('conversationList.startTitle')}
        <select name="peer">
          ${view.contacts.map((c) => html`<option value=${c.sub}>${c.name ?? t('conversationList.unknownMember')}</option>`)}
        </select>
      </label>
      <button type="submit" class="secondary">${t('conversationList.startSubmit')}</button>
    </form>`;
  }

  #renderRow(row: ConversationRow, view: ConversationListView, i18n: Localizer): TemplateResult {
    const t = i18n.t.bind(i18n);
    const names = row.names.map((n) => n ?? t('conversationList.unknownMember')).join(', ');
    const today = new Date().toDateString() === row.lastAt.toDateString();
    const when = today
      ? i18n.time(row.lastAt)
      : new Intl.DateTimeFormat(i18n.locale, { month: 'short', day: 'numeric' }).format(row.lastAt);
    const p = row.preview;
    return html`<button
      type="button"
      class="conversation"
      part="conversation${row.unread ? ' unread' : ''}"
      data-cid=${row.cid}
      data-unread=${row.unread}
      data-online=${row.online}
      data-preview=${p.kind}
      data-reason=${p.kind === 'failed' ? p.reason : nothing}
      aria-current=${row.cid === view.active ? 'true' : 'false'}
      @click=${() => void this.#open(row.cid)}
    >
      <span class="names">${names}</span>
      <time class="when" datetime=${row.lastAt.toISOString()}>${when}</time>
      <span class="preview">${previewText(row, t)}</span>
      ${row.unread ? html`<span class="badge">${t('conversationList.rowUnread', { count: row.unread })}</span>` : html`<span></span>`}
      <span class="presence ${row.online ? 'online' : ''}"
        ><span class="dot" aria-hidden="true"></span
        >${row.online ? t('conversationList.online') : t('conversationList.offline')}</span
      >
    </button>`;
  }

  #renderNotifyToggle(view: ConversationListView, t: Localizer['t']): TemplateResult | typeof nothing {
    const n = view.notifications;
    if (!n.supported) return nothing;
    return html`<button
      type="button"
      class="secondary"
      part="notifications-toggle"
      aria-pressed=${n.enabled ? 'true' : 'false'}
      @click=${() => this.intents?.toggleNotifications()}
    >
      ${n.enabled ? t('notify.disable') : t('notify.enable')}
    </button>`;
  }

  /** Opens a conversation and, once it shows, moves focus to its heading. */
  async #open(cid: string): Promise<void> {
    if (await this.intents?.open(cid)) await this.#afterRender(() => this.#focusHeading());
  }

  #onBack = (): void => {
    const cid = this.intents?.back();
    if (cid) void this.#afterRender(() => this.#row(cid)?.focus());
  };

  #onStart = (event: SubmitEvent): void => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const peer = (form.elements.namedItem('peer') as HTMLSelectElement | null)?.value;
    if (peer) void this.start([peer]);
  };

  /**
   * Starts (or reopens) the conversation with these portal subjects; resolves once the result shows: the
   * conversation with its heading focused, or the notice saying why not.
   */
  async start(peers: readonly string[]): Promise<string | undefined> {
    const cid = await this.intents?.start(peers);
    await this.#afterRender(() => cid && this.#focusHeading());
    return cid;
  }

  #onSignOut = (event: SubmitEvent): void => {
    event.preventDefault();
    const forget = (event.currentTarget as HTMLFormElement).elements.namedItem('forget') as HTMLInputElement;
    this.intents?.signOut(forget.checked);
  };

  /** Runs once the widget has rendered the change the intent made (it re-renders this element with a new view). */
  async #afterRender(then: () => void): Promise<void> {
    const host = (this.getRootNode() as ShadowRoot).host as LitElement | undefined;
    await host?.updateComplete;
    await this.updateComplete;
    then();
  }

  #row(cid: string): HTMLElement | null {
    return this.querySelector<HTMLElement>(`button.conversation[data-cid="${CSS.escape(cid)}"]`);
  }

  #focusHeading(): void {
    const heading = this.querySelector<HTMLElement>('[part~="conversation-pane"] h2');
    if (!heading) return;
    heading.tabIndex = -1;
    heading.focus();
  }
}

function previewText(row: ConversationRow, t: Localizer['t']): string {
  const p = row.preview;
  switch (p.kind) {
    case 'text':
      return row.lastIsOwn ? t('conversationList.ownPreview', { text: p.text }) : p.text;
    case 'decrypting':
      return t('conversationList.decrypting');
    case 'failed':
      return t('conversationList.unverified');
    case 'deleted':
      return t('conversationList.deleted');
    case 'key-changed':
      return t('conversationList.keyChanged');
    default:
      return t('conversationList.noMessages');
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'secure-chat-conversation-list': ConversationListElement;
  }
}
