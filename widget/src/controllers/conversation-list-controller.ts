// Without `channel` or `peer` the element shows the user's conversations around the conversation screen. One
// ConversationList per connected session, over the session's chat and crypto ports; its templates, the list model and
// the notifier load as a lazy chunk the first time the list is shown.
import { html, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type * as ListModel from '../core/conversations.js';
import { toSecureChatError } from '../core/errors.js';
import type { ChatSession } from '../core/session.js';
import { SecureChatUnreadEvent } from '../events.js';
import type { Localizer } from '../i18n/localize.js';
import type * as ListViews from '../ui/conversation-list.js';
import {
  conversationListView,
  isStacked,
  STACK_BELOW,
  type ConversationListIntents,
  type ConversationListView,
  type ListNotice,
} from './conversation-list-view.js';

type Host = ReactiveControllerHost & HTMLElement;

export interface ConversationListControllerOptions {
  /** True when the element shows the list (no `channel`, no `peer`). */
  listMode: () => boolean;
  session: () => ChatSession | undefined;
  i18n: Localizer;
  layout: () => string;
  /** Where the notification opt-in is kept (a boolean only). */
  storageKey: () => string;
}

interface Modules {
  views: typeof ListViews;
  model: typeof ListModel;
}

/** The list of one connected session. */
interface OpenList {
  session: ChatSession;
  list: ListModel.ConversationList;
  notifier: ListViews.Notifier;
}

export class ConversationListController implements ReactiveController {
  #modules: Modules | undefined;
  #loading = false;
  #open: OpenList | undefined;
  #width = STACK_BELOW;
  #observer: ResizeObserver | undefined;
  #notice: ListNotice | undefined;
  #lastTotals = '';
  #view: ConversationListView | undefined;
  readonly intents: ConversationListIntents = {
    open: (cid) => void this.open(cid),
    start: (peer) => void this.start([peer]),
    back: () => void this.#back(),
    toggleNotifications: () => void this.#toggleNotifications(),
    signOut: (forgetKey) => {
      this.#open?.session
        .signOut({ forgetKey })
        .catch(() => this.#setNotice({ kind: 'error', key: 'error.generic' }));
    },
  };

  constructor(
    private readonly host: Host,
    private readonly opts: ConversationListControllerOptions,
  ) {
    host.addController(this);
  }

  /** The list's view model for this render, while the list is shown. */
  get view(): ConversationListView | undefined {
    return this.#view;
  }

  /** True while the list is shown (the element's `startConversation()` needs it). */
  get shown(): boolean {
    return this.#open !== undefined;
  }

  hostConnected(): void {
    this.#observer = new ResizeObserver(([entry]) => {
      const width = entry?.contentRect.width ?? STACK_BELOW;
      const layout = this.opts.layout();
      if (isStacked(layout, width) === isStacked(layout, this.#width)) return;
      // Re-render in the next frame: changing the layout inside the callback would loop the observer.
      requestAnimationFrame(() => {
        this.#width = width;
        this.host.requestUpdate();
      });
    });
    this.#observer.observe(this.host);
  }

  hostDisconnected(): void {
    this.#observer?.disconnect();
    this.#close();
  }

  /** Before each render: follows the session (a list per connected session) and takes the view. */
  hostUpdate(): void {
    const session = this.opts.session();
    const wanted = this.opts.listMode() && session?.state.status === 'ready' && session.ports;
    if (!wanted) {
      this.#close();
    } else if (this.#open?.session !== session) {
      this.#close();
      if (this.#modules) this.#openFor(session, this.#modules);
      else this.#load();
    }
    const open = this.#open;
    if (open && open.list.active !== open.session.cid) open.list.setActive(open.session.cid);
    this.#view = open
      ? conversationListView({
          rows: open.list.rows,
          totals: open.list.totals,
          activeCid: open.session.cid,
          stacked: isStacked(this.opts.layout(), this.#width),
          notice: this.#notice,
          contacts: open.session.contacts,
          notifications: { supported: open.notifier.supported, enabled: open.notifier.enabled },
        })
      : undefined;
  }

  /** Wraps the element's screen: the list beside (or instead of) the conversation once the session is ready. */
  wrap(screen: TemplateResult): TemplateResult {
    const view = this.#view;
    const modules = this.#modules;
    if (view && modules) {
      return html`<secure-chat-conversation-list
        .view=${view}
        .intents=${this.intents}
        .i18n=${this.opts.i18n}
        .conversation=${screen}
      ></secure-chat-conversation-list>`;
    }
    if (this.opts.listMode() && this.opts.session()?.ports && !modules) {
      return html`<p class="screen" part="status" role="status">${this.opts.i18n.t('status.loading')}</p>`;
    }
    return screen;
  }

  /** Opens a conversation over the session's connection and moves focus to its heading. */
  async open(cid: string): Promise<void> {
    const open = this.#open;
    if (!open) return;
    this.#notice = undefined;
    const previous = open.session.cid;
    try {
      await open.session.openChannel(cid);
    } catch {
      this.#recover(open.session, previous);
      this.#setNotice({ kind: 'error', key: 'conversationList.openFailed' });
      return;
    }
    this.host.requestUpdate();
    await this.host.updateComplete;
    this.#focusHeading();
  }

  /** Starts (or reopens) the conversation with these portal subjects through `/v1/channels`. */
  async start(peers: readonly string[]): Promise<string | undefined> {
    const open = this.#open;
    if (!open) return undefined;
    this.#notice = undefined;
    const previous = open.session.cid;
    let cid: string;
    try {
      cid = await open.session.startConversation(peers);
    } catch (error) {
      this.#recover(open.session, previous);
      const refused = toSecureChatError(error).code === 'forbidden';
      this.#setNotice({
        kind: 'error',
        key: refused ? 'conversationList.refused' : 'conversationList.startFailed',
      });
      return undefined;
    }
    await open.list.load().catch(() => undefined); // the new conversation joins the list
    this.host.requestUpdate();
    await this.host.updateComplete;
    this.#focusHeading();
    return cid;
  }

  #openFor(session: ChatSession, modules: Modules): void {
    const ports = session.ports;
    if (!ports || !session.user) return;
    const i18n = this.opts.i18n;
    const list = new modules.model.ConversationList({
      chat: ports.chat,
      crypto: ports.crypto,
      source: ports.chat.conversations(),
      me: session.user,
      contacts: session.contacts,
      pageVisible: () => document.visibilityState === 'visible',
    });
    const notifier = new modules.views.Notifier(`${this.opts.storageKey()}-notifications`);
    const open: OpenList = { session, list, notifier };
    this.#open = open;
    this.#width = this.host.getBoundingClientRect().width;
    list.onChange = () => this.#changed(open);
    list.onIncoming = (cid) => {
      // Only when the user would not see it: another conversation, or the page is in the background.
      if (cid !== session.cid || document.visibilityState === 'hidden')
        notifier.notify(i18n.t('notify.title'), () => this.#focusFromNotification(cid));
    };
    document.addEventListener('visibilitychange', this.#onVisibility);
    list.load().catch(() => this.#setNotice({ kind: 'error', key: 'conversationList.loadFailed' }));
  }

  #load(): void {
    if (this.#loading) return;
    this.#loading = true;
    void Promise.all([import('../ui/conversation-list.js'), import('../core/conversations.js')]).then(
      ([views, model]) => {
        this.#modules = { views, model };
        this.host.requestUpdate();
      },
    );
  }

  #close(): void {
    if (!this.#open) return;
    document.removeEventListener('visibilitychange', this.#onVisibility);
    this.#open.list.close();
    this.#open = undefined;
    this.#notice = undefined;
    this.#view = undefined;
    this.#lastTotals = '';
  }

  /** Back in view: the open conversation's row may be marked read now (see core/read-rule.ts). */
  #onVisibility = (): void => {
    if (document.visibilityState === 'visible') this.#open?.list.refresh();
  };

  /** After a failed open: never leave a half-opened conversation on screen. */
  #recover(session: ChatSession, previous: string): void {
    if (session.cid && session.cid !== previous) session.leaveConversation();
    this.host.requestUpdate();
  }

  /** Back to the list (stacked layout): closes the conversation and returns focus to its row. */
  async #back(): Promise<void> {
    const open = this.#open;
    if (!open) return;
    const cid = open.session.cid;
    open.session.leaveConversation();
    this.host.requestUpdate();
    await this.host.updateComplete;
    this.#row(cid)?.focus();
  }

  async #toggleNotifications(): Promise<void> {
    const notifier = this.#open?.notifier;
    if (!notifier) return;
    const result = await notifier.toggle();
    this.#setNotice(
      result === 'denied'
        ? { kind: 'error', key: 'notify.denied' }
        : result === 'on'
          ? { kind: 'info', key: 'notify.on' }
          : undefined,
    );
  }

  #changed(open: OpenList): void {
    if (this.#open !== open) return;
    const totals = open.list.totals;
    const key = `${totals.total}/${totals.conversations}`;
    if (key !== this.#lastTotals) {
      this.#lastTotals = key;
      this.host.dispatchEvent(new SecureChatUnreadEvent(totals));
    }
    this.host.requestUpdate();
  }

  #setNotice(notice: ListNotice | undefined): void {
    this.#notice = notice;
    this.host.requestUpdate();
  }

  #row(cid: string): HTMLElement | null | undefined {
    return this.host.shadowRoot?.querySelector<HTMLElement>(
      `button.conversation[data-cid="${CSS.escape(cid)}"]`,
    );
  }

  #focusHeading(): void {
    const heading = this.host.shadowRoot?.querySelector<HTMLElement>('[part~="conversation-pane"] h2');
    if (!heading) return;
    heading.tabIndex = -1;
    heading.focus();
  }

  /** A notification was clicked: bring the page forward and focus that conversation's row (or the open one). */
  #focusFromNotification(cid: string): void {
    window.focus();
    const row = this.#row(cid);
    if (row && row.offsetParent !== null) row.focus();
    else this.#focusHeading();
  }
}
