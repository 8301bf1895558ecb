// When the element has neither `channel` nor `peer`, shows the user's conversations (lazy chunk ui/conversation-list)
// around the conversation screen. One Inbox per connected session: it reuses the session's chat and crypto ports.
import { html, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { ChatSession } from '../core/session.js';
import type { Localizer } from '../i18n/localize.js';
import type * as InboxModule from '../ui/conversation-list.js';

type Host = ReactiveControllerHost & HTMLElement;

export interface InboxControllerOptions {
  /** True when the element should show the list (no `channel`, no `peer`). */
  listMode: () => boolean;
  session: () => ChatSession | undefined;
  i18n: () => Localizer;
  layout: () => string;
  storageKey: () => string;
}

export class InboxController implements ReactiveController {
  #module: typeof InboxModule | undefined;
  #loading = false;
  #inbox: InboxModule.Inbox | undefined;

  constructor(
    private readonly host: Host,
    private readonly opts: InboxControllerOptions,
  ) {
    host.addController(this);
  }

  /** The list for the current session, if it is showing. */
  get inbox(): InboxModule.Inbox | undefined {
    return this.#inbox;
  }

  hostDisconnected(): void {
    this.#close();
  }

  /** Wraps the element's screen: the list beside (or instead of) the conversation once the session is ready. */
  wrap(screen: TemplateResult): TemplateResult {
    const session = this.opts.session();
    if (!this.opts.listMode() || !session || session.state.status !== 'ready' || !session.ports) {
      if (this.#inbox && this.#inbox.session !== session) this.#close();
      return screen;
    }
    if (this.#inbox?.session !== session) {
      this.#close();
      if (!this.#module) {
        this.#load();
        return html`<p class="screen" part="status" role="status">
          ${this.opts.i18n().t('status.loading')}
        </p>`;
      }
      this.#inbox = new this.#module.Inbox(this.host as unknown as InboxModule.InboxHost, session, {
        i18n: this.opts.i18n,
        layout: () => {
          const layout = this.opts.layout();
          return layout === 'split' || layout === 'stacked' ? layout : 'auto';
        },
        storageKey: `${this.opts.storageKey()}-notifications`,
      });
    }
    return this.#inbox.render(screen);
  }

  #load(): void {
    if (this.#loading) return;
    this.#loading = true;
    void import('../ui/conversation-list.js').then((m) => {
      this.#module = m;
      this.host.requestUpdate();
    });
  }

  #close(): void {
    this.#inbox?.close();
    this.#inbox = undefined;
  }
}
