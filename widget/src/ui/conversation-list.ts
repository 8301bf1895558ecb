// The conversation list screen (lazy chunk): rows with decrypted previews, unread counts and presence; starting a
// conversation; split or stacked layout; opt-in browser notifications. Preview text is rendered only through Lit
// text bindings: content never becomes HTML.
import { html, nothing, type TemplateResult } from 'lit';
import { ConversationList, type ConversationRow } from '../core/conversations.js';
import { toSecureChatError } from '../core/errors.js';
import type { ChatSession } from '../core/session.js';
import { SecureChatUnreadEvent } from '../events.js';
import type { Localizer } from '../i18n/localize.js';
import { styles } from './conversation-list.styles.js';
import { Notifier } from './notifications.js';

export type LayoutMode = 'auto' | 'split' | 'stacked';

/** Below this width (px) `layout="auto"` shows one pane at a time. */
export const STACK_BELOW = 600;

export interface InboxHost extends HTMLElement {
  requestUpdate(): void;
  readonly updateComplete: Promise<boolean>;
}

export interface InboxOptions {
  i18n: () => Localizer;
  layout: () => LayoutMode;
  /** Where the notification preference is kept (a boolean only). */
  storageKey: string;
}

type Notice = { kind: 'error' | 'info'; key: Parameters<Localizer['t']>[0] } | undefined;

/** The list screen for one connected session. Owns its ConversationList, layout observer and notifier. */
export class Inbox {
  readonly list: ConversationList;
  readonly notifier: Notifier;
  #narrow = false;
  #notice: Notice;
  #lastTotals = '';
  #observer?: ResizeObserver;
  #closed = false;

  constructor(
    private readonly host: InboxHost,
    readonly session: ChatSession,
    private readonly opts: InboxOptions,
  ) {
    const ports = session.ports;
    if (!ports) throw new Error('The conversation list needs a connected session.');
    this.list = new ConversationList({
      chat: ports.chat,
      crypto: ports.crypto,
      source: ports.chat.conversations(),
      me: session.user ?? { id: '' },
      contacts: session.contacts,
      pageVisible: () => document.visibilityState === 'visible',
    });
    this.notifier = new Notifier(opts.storageKey);
    this.list.onChange = () => this.#changed();
    this.list.onIncoming = (cid) => {
      // Only when the user would not see it: another conversation, or the page is in the background.
      if (cid !== this.session.cid || document.visibilityState === 'hidden')
        this.notifier.notify(opts.i18n().t('notify.title'), () => this.#focusFromNotification(cid));
    };
    this.#adoptStyles();
    this.#observer = new ResizeObserver(([entry]) => {
      const narrow = (entry?.contentRect.width ?? STACK_BELOW) < STACK_BELOW;
      if (narrow === this.#narrow) return;
      // Re-render in the next frame: changing the layout inside the callback would loop the observer.
      requestAnimationFrame(() => {
        this.#narrow = narrow;
        host.requestUpdate();
      });
    });
    this.#observer.observe(host);
    document.addEventListener('visibilitychange', this.#onVisibility);
    this.#narrow = host.getBoundingClientRect().width < STACK_BELOW;
    this.list.load().catch(() => this.#setNotice({ kind: 'error', key: 'conversationList.loadFailed' }));
  }

  /** The effective layout: `layout` forces it; `auto` follows the element's width. */
  get stacked(): boolean {
    const layout = this.opts.layout();
    return layout === 'stacked' || (layout !== 'split' && this.#narrow);
  }

  close(): void {
    this.#closed = true;
    this.#observer?.disconnect();
    document.removeEventListener('visibilitychange', this.#onVisibility);
    this.list.close();
  }

  /** Opens a conversation over the session's connection and moves focus to its heading. */
  async open(cid: string): Promise<void> {
    this.#notice = undefined;
    const previous = this.session.cid;
    this.list.setActive(cid);
    try {
      await this.session.openChannel(cid);
    } catch {
      this.#recover(previous);
      this.#setNotice({ kind: 'error', key: 'conversationList.openFailed' });
      return;
    }
    this.host.requestUpdate();
    await this.host.updateComplete;
    this.#focusHeading();
  }

  /** Starts (or reopens) the conversation with these portal subjects through `/v1/channels`. */
  async start(peers: readonly string[]): Promise<string | undefined> {
    this.#notice = undefined;
    const previous = this.session.cid;
    let cid: string;
    try {
      cid = await this.session.startConversation(peers);
    } catch (error) {
      this.#recover(previous);
      const refused = toSecureChatError(error).code === 'forbidden';
      this.#setNotice({
        kind: 'error',
        key: refused ? 'conversationList.refused' : 'conversationList.startFailed',
      });
      return undefined;
    }
    this.list.setActive(cid);
    await this.list.load().catch(() => undefined); // the new conversation joins the list
    this.host.requestUpdate();
    await this.host.updateComplete;
    this.#focusHeading();
    return cid;
  }

  /** After a failed open: never leave a half-opened conversation on screen. */
  #recover(previous: string): void {
    if (this.session.cid && this.session.cid !== previous) this.session.leaveConversation();
    this.list.setActive(this.session.cid);
  }

  /** Back to the list (stacked layout): closes the conversation and returns focus to its row. */
  async back(): Promise<void> {
    const cid = this.session.cid;
    this.session.leaveConversation();
    this.list.setActive('');
    this.host.requestUpdate();
    await this.host.updateComplete;
    this.#root()
      ?.querySelector<HTMLElement>(`button.conversation[data-cid="${CSS.escape(cid)}"]`)
      ?.focus();
  }

  render(conversation: TemplateResult): TemplateResult {
    const t = this.opts.i18n().t.bind(this.opts.i18n());
    const stacked = this.stacked;
    const cid = this.session.cid;
    const { total } = this.list.totals;
    const contacts = this.session.contacts.filter((c) => c.sub);
    return html`<div
      class="inbox ${stacked ? 'stacked' : 'split'}"
      data-layout=${stacked ? 'stacked' : 'split'}
    >
      <section part="conversation-list" aria-labelledby="list-title" ?hidden=${stacked && Boolean(cid)}>
        <div class="list-head">
          <h2 id="list-title">
            ${t('conversationList.title')}
            ${
              total > 0
                ? html`<span class="badge" part="unread-total"
                    >${t('conversationList.unreadTotal', { count: total })}</span
                  >`
                : nothing
            }
          </h2>
          ${this.#renderNotifyToggle(t)}
        </div>
        ${
          this.#notice
            ? html`<p class=${this.#notice.kind === 'error' ? 'error' : 'muted'} role="alert">
                ${t(this.#notice.key)}
              </p>`
            : nothing
        }
        ${
          this.list.rows.length
            ? html`<ul class="rows" aria-label=${t('conversationList.title')}>
                ${this.list.rows.map((row) => html`<li>${this.#renderRow(row, t)}</li>`)}
              </ul>`
            : html`<p class="muted">${t('conversationList.empty')}</p>`
        }
        ${
          contacts.length
            ? html`<form class="start" @submit=${this.#onStart}>
                <label
                  >${t('conversationList.startTitle')}
                  <select name="peer">
                    ${contacts.map(
                      (c) =>
                        html`<option value=${c.sub ?? ''}>
                          ${c.name ?? t('conversationList.unknownMember')}
                        </option>`,
                    )}
                  </select>
                </label>
                <button type="submit" class="secondary">${t('conversationList.startSubmit')}</button>
              </form>`
            : nothing
        }
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
            ? html`<button
                type="button"
                class="link back"
                part="back-button"
                @click=${() => void this.back()}
              >
                <span aria-hidden="true">${this.opts.i18n().dir === 'rtl' ? '→' : '←'}</span>
                ${t('conversationList.back')}
              </button>`
            : nothing
        }
        ${cid ? conversation : html`<p class="screen muted">${t('conversationList.choose')}</p>`}
      </section>
    </div>`;
  }

  #renderRow(row: ConversationRow, t: Localizer['t']): TemplateResult {
    const i18n = this.opts.i18n();
    const names = row.names.map((n) => n ?? t('conversationList.unknownMember')).join(', ');
    const today = new Date().toDateString() === row.lastAt.toDateString();
    const when = today
      ? i18n.time(row.lastAt)
      : new Intl.DateTimeFormat(i18n.locale, { month: 'short', day: 'numeric' }).format(row.lastAt);
    const p = row.preview;
    const previewText =
      p.kind === 'text'
        ? row.lastIsOwn
          ? t('conversationList.ownPreview', { text: p.text })
          : p.text
        : p.kind === 'decrypting'
          ? t('conversationList.decrypting')
          : p.kind === 'failed'
            ? t('conversationList.unverified')
            : p.kind === 'deleted'
              ? t('conversationList.deleted')
              : t('conversationList.noMessages');
    return html`<button
      type="button"
      class="conversation"
      part="conversation${row.unread ? ' unread' : ''}"
      data-cid=${row.cid}
      data-unread=${row.unread}
      data-online=${row.online}
      data-preview=${p.kind}
      data-reason=${p.kind === 'failed' ? p.reason : nothing}
      aria-current=${row.cid === this.session.cid ? 'true' : 'false'}
      @click=${() => void this.open(row.cid)}
    >
      <span class="names">${names}</span>
      <time class="when" datetime=${row.lastAt.toISOString()}>${when}</time>
      <span class="preview">${previewText}</span>
      ${row.unread ? html`<span class="badge">${t('conversationList.rowUnread', { count: row.unread })}</span>` : html`<span></span>`}
      <span class="presence ${row.online ? 'online' : ''}"
        ><span class="dot" aria-hidden="true"></span
        >${row.online ? t('conversationList.online') : t('conversationList.offline')}</span
      >
    </button>`;
  }

  #renderNotifyToggle(t: Localizer['t']): TemplateResult {
    const n = this.notifier;
    if (!n.supported) return html``;
    return html`<button
      type="button"
      class="secondary"
      part="notifications-toggle"
      aria-pressed=${n.enabled ? 'true' : 'false'}
      @click=${() => void this.#toggleNotifications()}
    >
      ${n.enabled ? t('notify.disable') : t('notify.enable')}
    </button>`;
  }

  async #toggleNotifications(): Promise<void> {
    const result = await this.notifier.toggle();
    this.#setNotice(
      result === 'denied'
        ? { kind: 'error', key: 'notify.denied' }
        : result === 'on'
          ? { kind: 'info', key: 'notify.on' }
          : undefined,
    );
  }

  /** Back in view: the open conversation's row may be marked read now (see core/read-rule.ts). */
  #onVisibility = (): void => {
    if (document.visibilityState === 'visible') this.list.refresh();
  };

  #onSignOut = (event: SubmitEvent) => {
    event.preventDefault();
    const forget = (event.currentTarget as HTMLFormElement).elements.namedItem('forget') as HTMLInputElement;
    this.session.signOut({ forgetKey: forget.checked }).catch(() => {
      this.#setNotice({ kind: 'error', key: 'error.generic' });
    });
  };

  #onStart = (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const peer = (form.elements.namedItem('peer') as HTMLSelectElement | null)?.value;
    if (peer) void this.start([peer]);
  };

  #changed(): void {
    if (this.#closed) return;
    const totals = this.list.totals;
    const key = `${totals.total}/${totals.conversations}`;
    if (key !== this.#lastTotals) {
      this.#lastTotals = key;
      this.host.dispatchEvent(new SecureChatUnreadEvent(totals));
    }
    this.host.requestUpdate();
  }

  #setNotice(notice: Notice): void {
    this.#notice = notice;
    this.host.requestUpdate();
  }

  #root(): ShadowRoot | null {
    return this.host.shadowRoot;
  }

  #focusHeading(): void {
    const heading = this.#root()?.querySelector<HTMLElement>('[part~="conversation-pane"] h2');
    if (!heading) return;
    heading.tabIndex = -1;
    heading.focus();
  }

  /** A notification was clicked: bring the page forward and focus that conversation's row (or the open one). */
  #focusFromNotification(cid: string): void {
    window.focus();
    const row = this.#root()?.querySelector<HTMLElement>(
      `button.conversation[data-cid="${CSS.escape(cid)}"]`,
    );
    if (row && row.offsetParent !== null) row.focus();
    else this.#focusHeading();
  }

  /** The list's styles join the element's adopted sheets only once this chunk is loaded. */
  #adoptStyles(): void {
    const root = this.host.shadowRoot;
    const sheet = styles.styleSheet;
    if (root && sheet && !root.adoptedStyleSheets.includes(sheet))
      root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  }
}
