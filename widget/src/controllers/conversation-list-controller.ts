// When the element has neither `channel` nor `peer`, shows the user's conversations around the conversation screen.
// The list's state and view are a lazy chunk; one ConversationListState per connected session, reusing its ports.
import { html, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import { SecureChatError } from '../core/errors.js';
import type { KeyTrust } from '../core/key-trust.js';
import type { ChatSession } from '../core/session.js';
import { SecureChatUnreadEvent } from '../events.js';
import type { Localizer } from '../i18n/localize.js';
import { renderStatus } from '../ui/session-screens.js';
import type * as ViewModule from '../ui/conversation-list.js';
import type * as StateModule from './conversation-list-state.js';

type Host = ReactiveControllerHost & HTMLElement;
type Chunk = { view: typeof ViewModule; state: typeof StateModule };

export interface ConversationListControllerOptions {
  /** True when the element should show the list (no `channel`, no `peer`). */
  listMode: () => boolean;
  session: () => ChatSession | undefined;
  i18n: () => Localizer;
  layout: () => string;
  storageKey: () => string;
  /** The session's key trust (previews follow the same rule as the conversation). */
  keyTrust: () => Pick<KeyTrust, 'state' | 'check'> | undefined;
}

export class ConversationListController implements ReactiveController {
  #chunk: Chunk | undefined;
  #loading = false;
  #state: StateModule.ConversationListState | undefined;
  #lastTotals = '';

  constructor(
    private readonly host: Host,
    private readonly opts: ConversationListControllerOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    document.addEventListener('visibilitychange', this.#onVisibility);
  }

  hostDisconnected(): void {
    document.removeEventListener('visibilitychange', this.#onVisibility);
    this.#close();
  }

  /** Before each render: one state per ready session in list mode (the chunk loads on first need). */
  hostUpdate(): void {
    const session = this.#readySession();
    if (this.#state && this.#state.session === session) return;
    this.#close();
    if (!session) return;
    if (!this.#chunk) return this.#load();
    this.#state = this.#create(this.#chunk, session);
  }

  /** The element's screen, beside (or instead of) the list once the session is ready. */
  wrap(screen: TemplateResult): TemplateResult {
    const state = this.#state;
    if (!state) {
      return this.#readySession() ? renderStatus(this.opts.i18n().t('status.loading')) : screen;
    }
    const layout = this.opts.layout();
    return html`<secure-chat-conversation-list
      .view=${state.view}
      .intents=${state}
      .i18n=${this.opts.i18n()}
      .layout=${layout === 'split' || layout === 'stacked' ? layout : 'auto'}
      .conversation=${screen}
    ></secure-chat-conversation-list>`;
  }

  /** `startConversation()`: through the list, which shows the result (the conversation, or why not). */
  start(peers: readonly string[]): Promise<string | undefined> {
    const list = this.#list();
    if (!list)
      throw new SecureChatError('config', 'The conversation list is not shown.', { recoverable: true });
    return list.start(peers);
  }

  #readySession(): ChatSession | undefined {
    const session = this.opts.session();
    return this.opts.listMode() && session?.state.status === 'ready' && session.ports ? session : undefined;
  }

  #create(chunk: Chunk, session: ChatSession): StateModule.ConversationListState {
    return new chunk.state.ConversationListState({
      session,
      notifier: new chunk.state.Notifier(`${this.opts.storageKey()}-notifications`),
      pageVisible: () => document.visibilityState === 'visible',
      keyTrust: this.opts.keyTrust,
      notificationTitle: () => this.opts.i18n().t('notify.title'),
      onChange: () => this.#changed(),
      onNotificationClick: (cid) => this.#list()?.focusConversation(cid),
    });
  }

  #changed(): void {
    const totals = this.#state?.totals;
    const key = totals ? `${totals.total}/${totals.conversations}` : '';
    if (totals && key !== this.#lastTotals) {
      this.#lastTotals = key;
      this.host.dispatchEvent(new SecureChatUnreadEvent(totals));
    }
    this.host.requestUpdate();
  }

  #list(): ViewModule.ConversationListElement | null | undefined {
    return this.host.shadowRoot?.querySelector<ViewModule.ConversationListElement>(
      'secure-chat-conversation-list',
    );
  }

  #onVisibility = (): void => {
    if (document.visibilityState === 'visible') this.#state?.refresh();
  };

  #load(): void {
    if (this.#loading) return;
    this.#loading = true;
    void import('./conversation-list-chunk.js').then((chunk) => {
      chunk.view.ConversationListElement.define();
      this.#chunk = chunk;
      this.host.requestUpdate();
    });
  }

  #close(): void {
    this.#state?.close();
    this.#state = undefined;
  }
}
