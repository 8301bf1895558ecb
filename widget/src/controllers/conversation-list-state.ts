// The state behind the conversation list for one connected session: its rows (core/conversations.ts), the notice it
// shows, the notification opt-in, and the intents the list view calls. Part of the lazy conversation list chunk.
import {
  ConversationList,
  trustedPreview,
  type ConversationRow,
  type UnreadTotals,
} from '../core/conversations.js';
import { toSecureChatError } from '../core/errors.js';
import type { KeyTrust } from '../core/key-trust.js';
import type { ChatSession } from '../core/session.js';
import type { Localizer } from '../i18n/localize.js';
import type { ToggleResult } from './notifications.js';

export { Notifier } from './notifications.js';

export type ConversationListNotice =
  { kind: 'error' | 'info'; key: Parameters<Localizer['t']>[0] } | undefined;

/** What the conversation list renders: a snapshot, so later changes show only in the next one. */
export interface ConversationListView {
  readonly rows: readonly ConversationRow[];
  /** True until the first load answers (the list shows placeholders meanwhile). */
  readonly loading: boolean;
  /** The open conversation's cid, or '' (the session's own, never a second copy). */
  readonly active: string;
  readonly totals: UnreadTotals;
  /** Portal contacts a conversation can be started with. */
  readonly contacts: readonly { sub: string; id: string; name: string | undefined }[];
  readonly notice: ConversationListNotice;
  readonly notifications: { readonly supported: boolean; readonly enabled: boolean };
}

/** What the list view may ask for. */
export interface ConversationListIntents {
  /** Opens a conversation; true once it shows. */
  open(cid: string): Promise<boolean>;
  /** Starts (or reopens) the conversation with these portal subjects; its cid, or undefined when refused. */
  start(peers: readonly string[]): Promise<string | undefined>;
  /** Closes the open conversation (back to the list); returns the cid it closed. */
  back(): string;
  /** Loads the list again after it failed to load. */
  reload(): void;
  signOut(forgetKey: boolean): void;
  toggleNotifications(): void;
}

/** The notification capability the list needs (controllers/notifications.ts in the browser). */
export interface NotifierPort {
  readonly supported: boolean;
  readonly enabled: boolean;
  toggle(): Promise<ToggleResult>;
  notify(title: string, onClick: () => void): void;
}

export interface ConversationListStateDeps {
  session: ChatSession;
  notifier: NotifierPort;
  pageVisible: () => boolean;
  /** The fixed notification title, in the user's language. */
  notificationTitle: () => string;
  /** The session's key trust: previews from someone else show only once it vouches for their key. */
  keyTrust: () => Pick<KeyTrust, 'state' | 'check'> | undefined;
  /** Rows, totals or notice changed. */
  onChange: () => void;
  /** A notification was clicked: show that conversation. */
  onNotificationClick: (cid: string) => void;
}

export class ConversationListState implements ConversationListIntents {
  readonly session: ChatSession;
  readonly #list: ConversationList;
  #notice: ConversationListNotice;
  #closed = false;
  #loading = true;

  constructor(private readonly deps: ConversationListStateDeps) {
    const { session } = deps;
    const ports = session.ports;
    if (!ports) throw new Error('The conversation list needs a connected session.');
    this.session = session;
    this.#list = new ConversationList({
      chat: ports.chat,
      crypto: ports.crypto,
      source: ports.chat.conversations(),
      me: session.user ?? { id: '' },
      contacts: session.contacts,
      pageVisible: deps.pageVisible,
      revisions: ports.revisions,
    });
    this.#list.onChange = () => this.#changed();
    this.#list.onIncoming = (cid) => {
      // Only when the user would not see it: another conversation, or the page is in the background.
      if (cid !== session.cid || !deps.pageVisible())
        deps.notifier.notify(deps.notificationTitle(), () => deps.onNotificationClick(cid));
    };
    this.reload();
  }

  reload(): void {
    this.#loading = true;
    this.#notice = undefined;
    this.#list.load().then(
      () => {
        this.#loading = false;
        this.#changed();
      },
      () => {
        this.#loading = false;
        this.#setNotice({ kind: 'error', key: 'conversationList.loadFailed' });
      },
    );
  }

  get view(): ConversationListView {
    const { notifier } = this.deps;
    const trust = this.deps.keyTrust();
    return {
      rows: this.#list.rows.map((row) => ({
        ...row,
        preview: trustedPreview(row, (id) => trust?.state(id)?.trust),
      })),
      loading: this.#loading && this.#list.rows.length === 0,
      active: this.session.cid,
      totals: this.#list.totals,
      contacts: this.session.contacts.flatMap((c) => (c.sub ? [{ sub: c.sub, id: c.id, name: c.name }] : [])),
      notice: this.#notice,
      notifications: { supported: notifier.supported, enabled: notifier.enabled },
    };
  }

  get totals(): UnreadTotals {
    return this.#list.totals;
  }

  async open(cid: string): Promise<boolean> {
    this.#notice = undefined;
    const previous = this.session.cid;
    this.#list.setActive(cid);
    try {
      await this.session.openChannel(cid);
    } catch {
      this.#recover(previous);
      this.#setNotice({ kind: 'error', key: 'conversationList.openFailed' });
      return false;
    }
    this.#changed();
    return true;
  }

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
    this.#list.setActive(cid);
    await this.#list.load().catch(() => undefined); // the new conversation joins the list
    this.#changed();
    return cid;
  }

  back(): string {
    const cid = this.session.cid;
    this.session.leaveConversation();
    this.#list.setActive('');
    this.#changed();
    return cid;
  }

  signOut(forgetKey: boolean): void {
    this.session.signOut({ forgetKey }).catch(() => this.#setNotice({ kind: 'error', key: 'error.generic' }));
  }

  toggleNotifications(): void {
    void this.deps.notifier
      .toggle()
      .then((result) =>
        this.#setNotice(
          result === 'denied'
            ? { kind: 'error', key: 'notify.denied' }
            : result === 'on'
              ? { kind: 'info', key: 'notify.on' }
              : undefined,
        ),
      );
  }

  /** Back in view: the open conversation's row may be marked read now (see core/read-rule.ts). */
  refresh(): void {
    this.#list.refresh();
  }

  /** Unsubscribes and drops every decrypted preview. */
  close(): void {
    this.#closed = true;
    this.#list.close();
  }

  /** After a failed open: never leave a half-opened conversation on screen. */
  #recover(previous: string): void {
    if (this.session.cid && this.session.cid !== previous) this.session.leaveConversation();
    this.#list.setActive(this.session.cid);
  }

  #setNotice(notice: ConversationListNotice): void {
    this.#notice = notice;
    this.#changed();
  }

  #changed(): void {
    if (this.#closed) return;
    this.#checkSenders();
    this.deps.onChange();
  }

  /** Checks the key of each decrypted preview's author (pinned on first use); the host renders again when known. */
  #checkSenders(): void {
    const trust = this.deps.keyTrust();
    if (!trust) return;
    for (const row of this.#list.rows) {
      const from = row.lastFrom;
      if (row.preview.kind !== 'text' || row.lastIsOwn || !from || trust.state(from)) continue;
      trust.check(from).then(
        () => this.#closed || this.deps.onChange(),
        () => undefined, // unknown for now: the preview stays "decrypting" and the next change tries again
      );
    }
  }
}
