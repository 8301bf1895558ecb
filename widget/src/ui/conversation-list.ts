// The conversation list screen (lazy chunk) as `<secure-chat-conversation-list>`: rows with avatars, decrypted
// previews, relative times, unread counts and presence; a name search; the new-conversation picker; loading, empty
// and error states; split or stacked layout; the notification opt-in. It renders a snapshot (ConversationListView)
// and calls intents; preview text goes only through Lit text bindings.
import { html, LitElement, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type {
  ConversationListIntents,
  ConversationListView,
} from '../controllers/conversation-list-state.js';
import { filterByName } from '../controllers/conversation-list-model.js';
import type { ConversationRow } from '../core/conversations.js';
import type { Localizer } from '../i18n/localize.js';
import { renderAvatar } from './avatar.js';
import { ContactPicker } from './contact-picker.js';
import { styles } from './conversation-list.styles.js';
import { emptyIcon, errorIcon, renderSkeletonRows } from './list-states.js';

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
  /** The name search over the rows. */
  @state() private search = '';
  /** The new-conversation picker is open. */
  @state() private composing = false;

  readonly #picker = new ContactPicker(
    this,
    (peers) => void this.#startFromPicker(peers),
    () => this.#closePicker(),
  );

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
          ${
            view.contacts.length
              ? html`<button
                  type="button"
                  class="new"
                  part="new-conversation-button"
                  aria-expanded=${this.composing ? 'true' : 'false'}
                  aria-controls="new-conversation"
                  @click=${() => (this.composing ? this.#closePicker() : this.#openPicker())}
                >
                  <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
                    <path d="M8 2v12M2 8h12" stroke="currentColor" stroke-width="2" />
                  </svg>
                  ${t('conversationList.new')}
                </button>`
              : nothing
          }
        </div>
        ${this.composing ? this.#renderStart(view, i18n) : nothing} ${this.#renderNotice(view, t)}
        ${this.#renderRows(view, i18n)}
        <div class="list-foot">
          ${this.#renderNotifyToggle(view, t)}
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
        </div>
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
        ${
          cid
            ? this.conversation
            : html`<div class="screen empty-state" part="empty-state">
                ${emptyIcon}
                <p class="muted">${t('conversationList.choose')}</p>
              </div>`
        }
      </section>
    </div>`;
  }

  #renderNotice(view: ConversationListView, t: Localizer['t']): TemplateResult | typeof nothing {
    const notice = view.notice;
    if (!notice) return nothing;
    if (notice.key === 'conversationList.loadFailed')
      return html`<div class="list-error" part="list-error" role="alert">
        ${errorIcon}
        <p>${t(notice.key)}</p>
        <button type="button" class="secondary" @click=${() => this.intents?.reload()}>
          ${t('conversationList.retry')}
        </button>
      </div>`;
    return html`<p class=${notice.kind === 'error' ? 'error' : 'muted'} role="alert">${t(notice.key)}</p>`;
  }

  #renderRows(view: ConversationListView, i18n: Localizer): TemplateResult | typeof nothing {
    const t = i18n.t.bind(i18n);
    if (view.loading) return renderSkeletonRows(t('conversationList.loading'));
    if (!view.rows.length) {
      if (view.notice?.key === 'conversationList.loadFailed') return nothing;
      return html`<div class="empty-state" part="empty-state">
        ${emptyIcon}
        <h3>${t('conversationList.empty')}</h3>
        ${view.contacts.length ? html`<p class="muted">${t('conversationList.emptyHint')}</p>` : nothing}
      </div>`;
    }
    const unknown = t('conversationList.unknownMember');
    const rows = filterByName(view.rows, this.search, (row) => row.names.map((n) => n ?? unknown).join(' '));
    const now = new Date();
    return html`<input
        type="search"
        class="search"
        part="conversation-search"
        aria-label=${t('conversationList.search')}
        placeholder=${t('conversationList.search')}
        .value=${this.search}
        @input=${(e: Event) => (this.search = (e.currentTarget as HTMLInputElement).value)}
      />
      ${
        rows.length
          ? html`<ul class="rows" aria-label=${t('conversationList.title')}>
              ${rows.map((row) => html`<li>${this.#renderRow(row, view, i18n, now)}</li>`)}
            </ul>`
          : html`<p class="muted no-matches" role="status">
              ${t('conversationList.noMatches', { query: this.search.trim() })}
            </p>`
      }`;
  }

  #renderStart(view: ConversationListView, i18n: Localizer): TemplateResult {
    const t = i18n.t.bind(i18n);
    return html`<form
      id="new-conversation"
      class="start"
      part="new-conversation"
      aria-labelledby="new-conversation-title"
      @submit=${(e: SubmitEvent) => {
        e.preventDefault();
        if (this.#picker.chosen.length) void this.#startFromPicker([...this.#picker.chosen]);
        else this.#picker.focus();
      }}
    >
      <h3 id="new-conversation-title">${t('conversationList.startTitle')}</h3>
      ${this.#picker.render(view.contacts, i18n)}
      <div class="row">
        <button type="submit" part="start-button" ?disabled=${!this.#picker.chosen.length}>
          ${t('conversationList.startSubmit')}
        </button>
        <button type="button" class="secondary" @click=${() => this.#closePicker()}>
          ${t('conversationList.cancel')}
        </button>
      </div>
    </form>`;
  }

  #renderRow(row: ConversationRow, view: ConversationListView, i18n: Localizer, now: Date): TemplateResult {
    const t = i18n.t.bind(i18n);
    const names = row.names.map((n) => n ?? t('conversationList.unknownMember'));
    const people = row.peers.map((id, i) => ({ id, name: names[i] }));
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
      ${renderAvatar(people, row.online)}
      <span class="names">${names.join(', ')}</span>
      <time class="when" datetime=${row.lastAt.toISOString()}>${i18n.relative(row.lastAt, now)}</time>
      <span class="preview">${previewText(row, t)}</span>
      ${
        row.unread
          ? html`<span class="badge" part="unread-badge"
              ><span aria-hidden="true">${i18n.number(row.unread)}</span
              ><span class="visually-hidden"
                >${t('conversationList.rowUnread', { count: row.unread })}</span
              ></span
            >`
          : nothing
      }
      <span class="visually-hidden presence"
        >${people.length > 1 ? `${t('conversationList.groupOf', { count: people.length + 1 })}, ` : ''}${
          row.online ? t('conversationList.online') : t('conversationList.offline')
        }</span
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

  #openPicker(): void {
    this.#picker.reset();
    this.composing = true;
    void this.updateComplete.then(() => this.#picker.focus());
  }

  #closePicker(): void {
    this.composing = false;
    void this.updateComplete.then(() =>
      this.querySelector<HTMLElement>('[part~="new-conversation-button"]')?.focus(),
    );
  }

  async #startFromPicker(peers: string[]): Promise<void> {
    if (await this.start(peers)) {
      this.#picker.reset();
      this.composing = false;
    }
  }

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
