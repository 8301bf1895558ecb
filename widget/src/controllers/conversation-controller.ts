// The conversation screen's state and intents: the UI-only state (thread, quote, edit, form errors), the view model
// taken before each render, and the action table the views call. The element only wires it to the session.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Conversation } from '../core/conversation.js';
import { SecureChatError } from '../core/errors.js';
import { DEFAULT_MAX_FILE_BYTES } from '../core/files.js';
import type { ChatSession, SendOptions } from '../core/session.js';
import { SecureChatSendEvent, type SendDetail } from '../events.js';
import type { Localizer } from '../i18n/localize.js';
import type * as Views from '../ui/views.js';
import type { UiState, ViewActions } from '../ui/views.js';
import { conversationView, type ConversationView } from './conversation-view.js';
import { judgeBackupPassword, preloadPasswordEstimator } from './password-strength.js';

type Host = ReactiveControllerHost & HTMLElement;

export interface ConversationControllerOptions {
  i18n: Localizer;
  session: () => ChatSession | undefined;
  /** Runs a user action; failures become `secure-chat-error` events (see SessionController.run). */
  run: (action: (session: ChatSession) => Promise<unknown> | unknown) => Promise<void>;
  maxFileSize: () => number;
  /** Records a sent message in the audit trail. */
  sent: (cid: string, messageId: string) => void;
  /** Contacts whose key changed and was not accepted or verified again: nothing is sent until then. */
  keyChanged: () => ReadonlySet<string>;
  /** A second say on each send after `secure-chat-send` (frame isolation: the portal page's verdict). */
  confirmSend: () => ((detail: SendDetail) => Promise<boolean>) | undefined;
}

const BACKUP_REFUSED = {
  'too-short': 'key.backup.tooShort',
  'too-guessable': 'key.backup.tooGuessable',
} as const;

export class ConversationController implements ReactiveController {
  #ui: UiState = {};
  #view: ConversationView | undefined;
  #views: typeof Views | undefined;
  #viewsLoading: Promise<void> | undefined;
  /** Aborts downloads in flight when the widget locks or starts over. */
  #downloads = new AbortController();
  readonly actions: ViewActions;

  constructor(
    private readonly host: Host,
    private readonly opts: ConversationControllerOptions,
  ) {
    this.actions = this.#createActions();
    host.addController(this);
  }

  /** The views chunk (key screens, conversation), once loaded. */
  get views(): typeof Views | undefined {
    return this.#views;
  }

  /** Starts loading the views chunk (the session asks as soon as it starts). */
  loadViews(): Promise<void> {
    this.#viewsLoading ??= import('../ui/views.js').then((views) => {
      this.#views = views;
      this.host.requestUpdate();
    });
    return this.#viewsLoading;
  }

  /**
   * Encrypts and sends a message after the cancelable `secure-chat-send`; resolves with its id. Rejects with
   * `config` (recoverable) before a conversation is open.
   */
  async send(text: string, opts: SendOptions): Promise<string> {
    const conversation = this.#needConversation();
    this.#refuseChangedKeys(conversation);
    const kind = opts.parentId ? 'reply' : opts.quoteId ? 'quote' : 'message';
    if (!(await this.#pageAllows({ cid: conversation.cid, kind }))) {
      throw new SecureChatError('aborted', 'The page cancelled sending.');
    }
    const id = await conversation.sender.send(text, opts);
    this.opts.sent(conversation.cid, id);
    this.host.requestUpdate();
    return id;
  }

  /** Edits one of the user's own messages after the cancelable `secure-chat-send`. */
  async edit(id: string, text: string): Promise<void> {
    const conversation = this.#needConversation();
    this.#refuseChangedKeys(conversation);
    if (!(await this.#pageAllows({ cid: conversation.cid, kind: 'edit' }))) {
      throw new SecureChatError('aborted', 'The page cancelled the edit.');
    }
    await conversation.sender.edit(id, text);
    this.host.requestUpdate();
  }

  /** The cancelable `secure-chat-send`, then the host page's verdict where one is asked (frame isolation). */
  async #pageAllows(detail: SendDetail): Promise<boolean> {
    if (!this.host.dispatchEvent(new SecureChatSendEvent(detail))) return false;
    const confirm = this.opts.confirmSend();
    return confirm ? (await confirm(detail)) === true : true;
  }

  /** UI-only state, kept between renders. */
  get ui(): UiState {
    return this.#ui;
  }

  /** The open conversation's view model for this render, if one is open. */
  get view(): ConversationView | undefined {
    return this.#view;
  }

  hostConnected(): void {
    document.addEventListener('visibilitychange', this.#onVisibility);
  }

  hostDisconnected(): void {
    document.removeEventListener('visibilitychange', this.#onVisibility);
  }

  /** Takes the snapshot the views render. */
  hostUpdate(): void {
    const session = this.opts.session();
    if (session?.state.status === 'key-setup' && session.state.step === 'offer-backup')
      preloadPasswordEstimator();
    const conversation = session?.conversation;
    this.#view =
      session?.user && conversation && !conversation.disposed
        ? conversationView(conversation, {
            me: session.user.id,
            connected: session.outbox.online,
            sendsDelayed: session.outbox.delayed,
            nameOf: (id) => session.nameOf(id),
            keyChanged: this.opts.keyChanged(),
            organization: session.organization,
          })
        : undefined;
  }

  /** Forgets the UI state and drops the downloads in flight (lock, reconnect). */
  reset(): void {
    this.#downloads.abort();
    this.#downloads = new AbortController();
    this.#set({});
  }

  #set(ui: UiState): void {
    this.#ui = ui;
    this.host.requestUpdate();
  }

  /** Back in view: the list marks the conversation read if the user is at its newest message. */
  #onVisibility = (): void => {
    if (document.visibilityState === 'visible') this.host.requestUpdate();
  };

  #conversation() {
    return this.opts.session()?.conversation;
  }

  /** A member's key changed and the user has not accepted or verified it: sealing now would encrypt to it. */
  #refuseChangedKeys(conversation: Conversation): void {
    const changed = conversation.members.filter((id) => this.opts.keyChanged().has(id));
    if (changed.length)
      throw new SecureChatError('forbidden', "A member's security key changed; compare or accept it first.", {
        recoverable: true,
      });
  }

  #needConversation(): Conversation {
    const session = this.opts.session();
    if (!session) throw new SecureChatError('config', 'Secure chat is not connected.', { recoverable: true });
    const conversation = session.conversation;
    if (!conversation || session.state.status !== 'ready') {
      throw new SecureChatError('config', 'The conversation is not open yet.', { recoverable: true });
    }
    return conversation;
  }

  #createActions(): ViewActions {
    const { i18n, run } = this.opts;
    const conversation = (action: (c: NonNullable<ChatSession['conversation']>) => unknown) =>
      void run((s) => (s.conversation ? action(s.conversation) : undefined));
    return {
      i18n,
      backup: (password, confirm) => {
        const user = this.opts.session()?.user;
        const known = [user?.name ?? '', user?.id ?? '', 'secure chat'];
        void judgeBackupPassword(password, known).then(
          (verdict) => {
            if (verdict !== 'ok')
              return this.#set({ ...this.#ui, formError: i18n.t(BACKUP_REFUSED[verdict]) });
            if (password !== confirm)
              return this.#set({ ...this.#ui, formError: i18n.t('key.backup.mismatch') });
            this.#set({});
            void run((s) => s.keys.backup(password));
          },
          // The strength check could not load (offline): nothing is backed up yet, and the next try loads it again.
          () => this.#set({ ...this.#ui, formError: i18n.t('key.backup.checkFailed') }),
        );
      },
      askSkip: (show) => this.#set({ ...this.#ui, confirmSkip: show }),
      skipBackup: () => {
        this.#set({});
        void run((s) => s.keys.skipBackup());
      },
      restore: (password) => void run((s) => s.keys.restore(password)),
      forgotPassword: () => void run((s) => s.keys.forgotPassword()),
      confirmRotate: () => void run((s) => s.keys.confirmRotate()),
      cancelRotate: () => void run((s) => s.keys.cancelRotate()),
      send: (text, where) => {
        if (this.#view?.composerBlocked) return; // the composer says why; confirming unblocks it
        const { editingId, threadParent, quoteId } = this.#ui;
        const editing = editingId ? this.#conversation()?.timeline.get(editingId) : undefined;
        if (editing && (where === 'thread') === Boolean(editing.parentId)) {
          this.#set(without(this.#ui, 'editingId'));
          void run(() => this.edit(editing.id, text));
          return;
        }
        const opts: SendOptions =
          where === 'thread' && threadParent ? { parentId: threadParent } : quoteId ? { quoteId } : {};
        const files = this.#ui.staged?.[where] ?? [];
        if (files.length) opts.files = files;
        const ui = { ...this.#ui, staged: { ...this.#ui.staged, [where]: [] } };
        this.#set(where === 'main' ? without(ui, 'quoteId') : ui);
        void run(() => this.send(text, opts));
      },
      attach: (files, where) => {
        if (this.#view?.composerBlocked) return;
        const limit = this.opts.maxFileSize();
        const max = limit > 0 ? limit : DEFAULT_MAX_FILE_BYTES;
        const big = files.find((f) => f.size > max);
        if (big) {
          const mb = (bytes: number) => `${i18n.number(Math.round((bytes / 1048576) * 10) / 10)} MB`;
          const text = i18n.t('files.tooLarge', { name: big.name, size: mb(big.size), limit: mb(max) });
          this.#set({ ...this.#ui, fileError: { where, text } });
          return;
        }
        // Staged as chips in the composer: sent with the next message, or removed before.
        const staged = [...(this.#ui.staged?.[where] ?? []), ...files];
        this.#set({ ...without(this.#ui, 'fileError'), staged: { ...this.#ui.staged, [where]: staged } });
      },
      unstage: (index, where) => {
        const staged = (this.#ui.staged?.[where] ?? []).filter((_, i) => i !== index);
        this.#set({ ...this.#ui, staged: { ...this.#ui.staged, [where]: staged } });
      },
      // The element's `enter-key` attribute: "newline" makes Enter add a line (Ctrl/Cmd+Enter sends).
      enterKey: () => (this.host.getAttribute('enter-key') === 'newline' ? 'newline' : 'send'),
      refresh: () => this.host.requestUpdate(),
      openThread: (id) => {
        this.#set({ ...this.#ui, threadParent: id });
        // Focus moves into the thread panel, and back to the message's thread button when it closes.
        void this.host.updateComplete.then(() =>
          this.#root()?.querySelector<HTMLElement>('#compose-thread')?.focus(),
        );
        conversation((c) => c.loadThread(id));
      },
      closeThread: () => {
        const parent = this.#ui.threadParent;
        this.#set(without(this.#ui, 'threadParent'));
        void this.host.updateComplete.then(() =>
          this.#root()
            ?.querySelector<HTMLElement>(`[data-id="${CSS.escape(parent ?? '')}"] [data-action="thread"]`)
            ?.focus(),
        );
      },
      quote: (id) => this.#set({ ...without(this.#ui, 'editingId'), quoteId: id }),
      edit: (id) => this.#set({ ...without(this.#ui, 'quoteId'), editingId: id }),
      cancelCompose: () => this.#set(without(without(this.#ui, 'editingId'), 'quoteId')),
      signOut: (forgetKey) => void run((s) => s.signOut({ forgetKey })),
      confirmMembers: (ids) => {
        conversation((c) => c.confirmMembers(ids).then(() => this.#focusAfterNotice()));
      },
      acknowledgeRemoved: (ids) => {
        conversation((c) => c.acknowledgeRemoved(ids).then(() => this.#focusAfterNotice()));
      },
      retry: (id) =>
        conversation((c) => {
          this.#refuseChangedKeys(c);
          return c.sender.retry(id);
        }),
      deleteMessage: (id) => conversation((c) => c.sender.deleteMessage(id)),
      react: (id, type, on) => conversation((c) => c.sender.react(id, type, on)),
      loadOlder: async () => this.#conversation()?.loadOlder() ?? 0,
      decrypt: (ids) => void this.#conversation()?.decrypt(ids),
      markRead: () => this.#conversation()?.markRead(),
      typed: (parentId) => this.#conversation()?.typed(parentId),
      openFile: (entry, ref, onProgress, signal) => {
        const open = this.#conversation();
        if (!open) return Promise.reject(new Error('The conversation was closed.'));
        const { signal: lock } = this.#downloads;
        const both = signal ? anySignal(lock, signal) : lock;
        return open.openFile(entry, ref, onProgress, both);
      },
    };
  }

  /** A membership notice was answered: focus the next one, else the message box (no longer blocked). */
  async #focusAfterNotice(): Promise<void> {
    await this.host.updateComplete;
    const root = this.#root();
    const next = root?.querySelector<HTMLElement>('[part~="membership-notice"] button');
    (next ?? root?.querySelector<HTMLElement>('#compose-main'))?.focus();
  }

  #root(): ShadowRoot | null {
    return this.host.shadowRoot;
  }
}

/** A signal that aborts when either does. */
function anySignal(a: AbortSignal, b: AbortSignal): AbortSignal {
  const both = new AbortController();
  for (const s of [a, b]) {
    if (s.aborted) both.abort();
    else s.addEventListener('abort', () => both.abort(), { once: true });
  }
  return both.signal;
}

/** `ui` without `key` (with exactOptionalPropertyTypes, a key set to undefined is not the same as no key). */
function without<K extends keyof UiState>(ui: UiState, key: K): UiState {
  const { [key]: _dropped, ...rest } = ui;
  return rest;
}
