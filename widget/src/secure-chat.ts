import { html, type PropertyValues, type ReactiveElement, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { ScreenFocusController } from './controllers/screen-focus-controller.js';
import { AuditController } from './controllers/audit-controller.js';
import { IdleController } from './controllers/idle-controller.js';
import { ConversationController } from './controllers/conversation-controller.js';
import { ConversationListController } from './controllers/conversation-list-controller.js';
import { LanguageController } from './controllers/language-controller.js';
import { LockController } from './controllers/lock-controller.js';
import { PasskeyController } from './controllers/passkey-controller.js';
import { SessionController, configured } from './controllers/session-controller.js';
import { VerificationController } from './controllers/verification-controller.js';
import type { LockCause } from './core/audit.js';
import { SecureChatError } from './core/errors.js';
import { DEFAULT_MAX_FILE_BYTES } from './core/files.js';
import type { ChatSession, SendOptions } from './core/session.js';
import type { SecureChatServices } from './create-session.js';
import { IdbVerifiedContacts } from './adapters/idb-verified-contacts.js';
import { SecureChatLockedEvent } from './events.js';
import { FrameCapableElement, inFrame } from './frame/frame-mode.js';
import { Localizer, languageFor } from './i18n/localize.js';
import { styles } from './secure-chat.styles.js';
import { renderScreen, type ScreenParts } from './screens.js';

const CHILD_VIEWS = 'secure-chat-conversation-list, secure-chat-message-list';
const passkeyReauthentication = async (storageName: string, identity: string) =>
  (await import('./create-session.js')).passkeyReauthentication(storageName, identity); // the lazy session chunk

export type { SecureChatServices };

/**
 * @summary End-to-end encrypted chat for a patient portal: one conversation, with its key lifecycle.
 *
 * @attr api-url - Base URL of the secure-chat token API.
 * @attr channel - A conversation id (`messaging:…`) returned by the token API's `/v1/channels`.
 * @attr peer - A portal subject; the widget opens (or creates) the conversation with them.
 * @attr key-storage-name - IndexedDB name for this device's private key (default `secure-chat-keys`). The key is
 *   kept in `<name>-wrapped`, sealed under a non-extractable device key or, when the user accepts the passkey offer
 *   (shown only where a passkey provider with WebAuthn PRF exists), under a key derived from their passkey.
 * @attr card-ttl - Seconds a member's key card is reused before it is looked up again (default 300).
 * @attr max-file-size - Largest attachment in bytes (default 26214400, 25 MB); larger files are refused with a message.
 * @attr lang - Language of the widget (`en`, `es`; others use English strings with their own dates, numbers and
 *   direction). Defaults to the nearest `lang` on the page (usually `<html lang>`).
 * @attr dir - Forces `ltr` or `rtl`; by default the direction follows the language.
 * @attr theme - `light`, `dark` or `auto` (default: follows the user's `prefers-color-scheme`).
 * @attr idle-timeout - Seconds without activity before the widget locks itself (default 900). A warning with
 *   "Stay signed in" shows min(60 s, timeout / 4) before.
 * @attr session-limit - Absolute seconds after which the session locks whatever the activity (default 0: none).
 * @attr status - Read-only: `idle`, `connecting`, `key-setup`, `ready`, `error`, `signed-out` or `locked`.
 * @attr isolation - `none` (default) or `frame`: the widget runs in an iframe from its own origin, out of reach of
 *   the page's other scripts (docs/isolation.md). Read when the element first connects.
 * @attr layout - Conversation list only: `auto` (default: list and conversation side by side when the element is at
 *   least 600 px wide, one at a time with a back control when narrower), `split` or `stacked` to force either.
 *
 * @slot header - Replaces the conversation title.
 * @slot empty - Shown when the conversation has no messages.
 * @slot error - Extra content shown under a session error.
 *
 * @event {SecureChatReadyEvent} secure-chat-ready - The conversation is open. `detail: { cid, userId }`.
 * @event {SecureChatErrorEvent} secure-chat-error - A failure. `detail: { code, recoverable }`.
 * @event {SecureChatMessageEvent} secure-chat-message - A message was received, loaded or changed. `detail: { id, cid, from, trust, change }`.
 * @event {SecureChatKeyEvent} secure-chat-key - A key step finished. `detail: { action }`.
 * @event {SecureChatSignedOutEvent} secure-chat-signed-out - The user signed out. `detail: { keyRemoved }`.
 * @event {SecureChatSendEvent} secure-chat-send - Cancelable; fired before a message is encrypted and sent.
 * @event {SecureChatUnreadEvent} secure-chat-unread - Conversation list only: the unread totals changed (and once when
 *   the list loads). `detail: { total, conversations }`, counts only.
 * @event {SecureChatLockedEvent} secure-chat-locked - The widget locked and dropped all decrypted text and keys from
 *   memory. `detail: { reason }`: `idle`, `session-limit`, `manual` (`lock()`) or `logout`.
 * @event {SecureChatAuditEvent} secure-chat-audit - An audit trail entry: `detail: { type, at, userId?, cid?,
 *   messageId?, contactId?, reason?, verification? }`, ids only (see docs/security-model.md).
 * @event secure-chat-logout - Listened for, not fired: the portal dispatches it on the element to lock it at once.
 * @event {SecureChatFileDownloadedEvent} secure-chat-file-downloaded - The user saved an attached file (for audit
 *   trails). `detail: { cid, messageId, index }`: ids only, never the file's name or content.
 *
 * CSS parts are listed with their meaning in `css-parts.json` (and docs/element.md); `npm run cem` adds them to custom-elements.json.
 *
 * Colour defaults below are the light theme's; the dark theme has its own (see docs/element.md), and any value set here
 * applies to both.
 * @cssproperty [--secure-chat-accent=#1d4ed8] - Buttons, links and own-message marker.
 * @cssproperty [--secure-chat-focus-ring=#1d4ed8] - The keyboard focus outline.
 * @cssproperty [--secure-chat-accent-text=#ffffff] - Text on accent buttons.
 * @cssproperty [--secure-chat-background=#ffffff] - Background.
 * @cssproperty [--secure-chat-text=#111827] - Text colour.
 * @cssproperty [--secure-chat-muted-text=#4b5563] - Secondary text.
 * @cssproperty [--secure-chat-surface=#f3f4f6] - Message background.
 * @cssproperty [--secure-chat-danger=#b91c1c] - Errors and unverifiable messages.
 * @cssproperty [--secure-chat-border=#d1d5db] - Borders.
 * @cssproperty [--secure-chat-radius=8px] - Corner radius.
 * @cssproperty [--secure-chat-font=1rem/1.4 system-ui, sans-serif] - Font shorthand.
 * @cssproperty [--secure-chat-max-height=28rem] - Height of the message list before it scrolls.
 */
export class SecureChatElement extends FrameCapableElement {
  static override styles = styles;

  /** Base URL of the secure-chat token API. */
  @property({ attribute: 'api-url' }) apiUrl = '';
  /** A conversation id returned by `/v1/channels`. */
  @property() channel = '';
  /** A portal subject to converse with (used when `channel` is empty). */
  @property() peer = '';
  /** IndexedDB name for this device's private key. */
  @property({ attribute: 'key-storage-name' }) keyStorageName = 'secure-chat-keys';
  /** Seconds a member's key card is reused before it is looked up again (see the card cache policy). */
  @property({ attribute: 'card-ttl', type: Number }) cardTtl = 300;
  /** Conversation list layout: `auto`, `split` or `stacked`. */
  @property({ reflect: true }) layout: 'auto' | 'split' | 'stacked' = 'auto';
  /** Seconds without activity before the widget locks (automatic logoff). */
  @property({ attribute: 'idle-timeout', type: Number }) idleTimeout = 900;
  /** Absolute session limit in seconds; 0 for none. */
  @property({ attribute: 'session-limit', type: Number }) sessionLimit = 0;
  /** Largest file, in bytes, that can be attached (default 25 MB); bigger files get a clear message instead. */
  @property({ attribute: 'max-file-size', type: Number }) maxFileSize = DEFAULT_MAX_FILE_BYTES;
  /** The portal session token, if the portal hands over a fixed one. Never reflected. */
  @property({ attribute: false }) sessionToken?: string;
  /** Called whenever a fresh portal session token is needed; preferred over `sessionToken`. */
  @property({ attribute: false }) getSessionToken?: () => Promise<string>;
  /**
   * Unlocking after a lock is a re-authentication: called by the locked screen's button (and `reconnect()` while
   * locked), it makes the user sign in to the portal again and resolves with the fresh portal session token of that
   * sign-in, which the new session uses; reject to stay locked. Without it, only a passkey that protects this
   * device's key unlocks; otherwise the widget stays locked until the portal loads it again.
   */
  @property({ attribute: false }) reauthenticate?: () => Promise<string>;
  /** Service overrides (tests, custom transports). */
  @property({ attribute: false }) services?: SecureChatServices;
  /**
   * What Enter does in the message box: `send` (Shift+Enter adds a line) or `newline` (Ctrl/Cmd+Enter sends).
   * Reflected, so the views read it from the attribute.
   */
  @property({ attribute: 'enter-key', reflect: true }) enterKey: 'send' | 'newline' = 'send';
  /** Colour theme: `light`, `dark` or `auto` (follows `prefers-color-scheme`). */
  @property({ reflect: true }) theme: 'light' | 'dark' | 'auto' = 'auto';
  /** Read-only state, reflected for styling: `:host([status='error'])`. */
  @property({ reflect: true }) status: string = 'idle';

  /** Strings, dates and numbers in the widget's language. Shared with the views through `ViewActions.i18n`. */
  readonly i18n = new Localizer();

  readonly #session = new SessionController(
    this,
    () => this.#createSession(),
    // Messages from a contact whose key changed (not accepted or verified again) are never reported as verified;
    // a sender whose key was not checked yet (no key when the conversation opened) is checked, and pinned, now.
    (from, trust) => {
      if (trust === 'verified') this.#verification.seen(from);
      return trust === 'verified' && this.#verification.changed.has(from) ? 'key-changed' : trust;
    },
  );
  // Without channel or peer: the user's conversations around the conversation screen.
  readonly #conversationList = new ConversationListController(this, {
    listMode: () => !this.channel && !this.peer,
    session: () => this.#session.session,
    i18n: () => this.i18n,
    layout: () => this.layout,
    storageKey: () => this.keyStorageName || 'secure-chat-keys',
    keyTrust: () => this.#verification.trust,
  });
  readonly #audit = new AuditController(this, () => this.#session.session?.user?.id);
  readonly #idle = new IdleController(this, {
    idleSeconds: () => this.idleTimeout,
    limitSeconds: () => this.sessionLimit,
    onLock: (reason) => this.#lock(reason),
  });
  readonly #locks = new LockController(this, {
    reauthenticate: () => this.reauthenticate?.bind(this),
    passkeyFor: (identity) => passkeyReauthentication(this.keyStorageName || 'secure-chat-keys', identity),
    clear: (reason) => {
      this.#forget(); // first: aborts downloads in flight before their keys are disposed
      this.#idle.stop();
      this.#session.stop();
      this.status = 'locked';
      // Clear the screen now, not on the next frame: the portal may lock right before showing something else.
      this.performUpdate();
      this.dispatchEvent(new SecureChatLockedEvent({ reason }));
      this.#audit.record('locked', { reason });
    },
    start: () => this.#restart(),
  });
  readonly #verification = new VerificationController(
    this,
    () => new IdbVerifiedContacts(`${this.keyStorageName || 'secure-chat-keys'}-verified`),
    (contactId, verification) =>
      this.#audit.record('verification-changed', {
        cid: this.#session.session?.cid ?? '',
        contactId,
        verification,
      }),
  );
  readonly #passkey = new PasskeyController(this, this.i18n);

  constructor() {
    super();
    // The portal's sign-out: `chat.dispatchEvent(new Event('secure-chat-logout'))`.
    this.addEventListener('secure-chat-logout', () => this.#lock('logout'));
    this.addEventListener('secure-chat-ready', () => {
      const { user, conversation } = this.#session.session ?? {};
      if (user) void this.#verification.load(user.id, conversation?.members ?? []);
      void this.#passkey.refresh();
    });
  }
  readonly #conversation = new ConversationController(this, {
    i18n: this.i18n,
    session: () => this.#session.session,
    run: (action) => this.#session.run(action),
    maxFileSize: () => this.maxFileSize,
    sent: (cid, messageId) => this.#audit.record('message-sent', { cid, messageId }),
    keyChanged: () => this.#verification.changed,
    confirmSend: () => this.services?.confirmSend,
  });
  protected readonly language = new LanguageController(this);
  protected readonly screenFocus = new ScreenFocusController(this, () => {
    const state = this.#session.state;
    return `${state.status}:${state.status === 'key-setup' ? state.step : ''}:${this.#conversation.views ? 'views' : ''}`;
  });

  readonly #parts: ScreenParts = {
    i18n: this.i18n,
    locks: this.#locks,
    passkey: this.#passkey,
    idle: this.#idle,
    session: this.#session,
    conversation: this.#conversation,
    verification: this.#verification,
    reconnect: () => void this.reconnect(),
  };

  /**
   * Encrypts and sends a message; resolves with its id.
   * @example await chat.send('See you at 3pm', { parentId }) // a thread reply
   */
  async send(text: string, opts: SendOptions = {}): Promise<string> {
    return inFrame<string>(this, 'send', text, opts) ?? this.#conversation.send(text, opts);
  }

  /** Edits one of the user's own messages (re-encrypted like a new one). */
  async edit(id: string, text: string): Promise<void> {
    await (inFrame(this, 'edit', id, text) ?? this.#conversation.edit(id, text));
  }

  /**
   * Conversation list only: opens (or creates) the conversation with these portal subjects through the token API's
   * `/v1/channels` and shows it; resolves with its cid, or undefined when refused (the list then says why).
   * @example await chat.startConversation(['dr-house'])
   */
  async startConversation(peers: string[]): Promise<string | undefined> {
    const framed = inFrame<string | undefined>(this, 'startConversation', peers);
    if (framed) return framed;
    this.#needSession();
    return this.#conversationList.start(peers);
  }

  /** Signs out: disconnects and drops decrypted text; `forgetKey` also deletes the private key from this device. */
  async signOut(opts: { forgetKey?: boolean } = {}): Promise<void> {
    await (inFrame(this, 'signOut', opts) ?? this.#needSession().signOut(opts));
  }

  /**
   * Starts over: a fresh session, token and connection. While locked it unlocks, which needs the re-authentication
   * (`reauthenticate`, or this device's passkey): without one, or when it fails, it rejects and the widget stays locked.
   */
  async reconnect(): Promise<void> {
    return inFrame<void>(this, 'reconnect') ?? (this.#locks.locked ? this.#locks.unlock() : this.#restart());
  }

  async #restart(): Promise<void> {
    this.#forget();
    this.#audit.reset();
    this.#idle.start();
    await this.#session.restart();
  }

  /**
   * Locks at once (e.g. when the portal signs out): disconnects, drops the encryption instance, the private key and
   * every decrypted text from memory and the screen, and shows the locked screen. Unlocking is a re-authentication.
   */
  lock(): void {
    this.#lock('manual');
  }

  #lock(reason: LockCause): void {
    const framed = inFrame(this, 'lock', reason);
    if (framed)
      void framed.catch(() => undefined); // a frame that never ran has nothing to lock
    else this.#locks.lock(reason, this.#session.session?.user?.id);
  }

  #forget(): void {
    this.#conversation.reset();
    this.#verification.reset();
    this.#passkey.reset();
  }

  static override get observedAttributes(): string[] {
    return [...super.observedAttributes, 'lang', 'dir'];
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    super.attributeChangedCallback(name, old, value);
    if (name === 'lang' || name === 'dir') this.requestUpdate();
  }

  /** Loads the catalogue for a changed language before rendering, so no other language flashes. */
  protected override async scheduleUpdate(): Promise<void> {
    const wanted = languageFor(this);
    if (wanted !== this.i18n.locale) await this.i18n.setLocale(wanted);
    super.scheduleUpdate();
  }

  #needSession(): ChatSession {
    const session = this.#session.session;
    if (!session) throw new SecureChatError('config', 'Secure chat is not connected.', { recoverable: true });
    return session;
  }

  async #createSession() {
    // Re-attaching a locked element must not quietly start a session behind the locked screen.
    if (this.#locks.locked)
      throw new SecureChatError('aborted', 'Secure chat is locked.', { recoverable: true });
    await configured(() => Boolean(this.apiUrl || this.services?.api)); // api-url may come after connecting
    const { createChatSession } = await import('./create-session.js'); // lazy: first paint needs no core
    return createChatSession({
      apiUrl: this.apiUrl,
      ...(this.channel ? { channel: this.channel } : {}),
      ...(this.peer ? { peer: this.peer } : {}),
      services: this.services ?? {},
      sessionToken: this.#locks.tokenSource(
        () => this.getSessionToken?.(),
        () => this.sessionToken,
      ),
      storageName: this.keyStorageName || 'secure-chat-keys',
      cardTtlSeconds: this.cardTtl,
      preloadViews: () => void this.#conversation.loadViews(),
      onKeyChange: (id) => this.#verification.keyChanged(id),
      // After a passkey unlock of the locked screen, its key; otherwise the passkey prompt.
      passkeyUnlock: (attempt) => {
        const key = this.#locks.takePasskeyKey();
        return key ? Promise.resolve(key) : this.#passkey.requestUnlock(attempt);
      },
      onKeyProtection: (protection) => this.#passkey.attach(protection),
      onCrypto: (port) => this.#verification.attach(port),
    });
  }

  /** Also waits for the child view elements, which render after the widget. */
  protected override async getUpdateComplete(): Promise<boolean> {
    const done = await super.getUpdateComplete();
    const children = this.renderRoot.querySelectorAll<ReactiveElement>(CHILD_VIEWS);
    await Promise.all([...children].map((child) => child.updateComplete));
    return done;
  }

  override willUpdate(changed: PropertyValues<this>): void {
    this.status = this.#locks.locked ? 'locked' : this.#session.state.status;
    // While locked a change waits for the unlock (whose new session reads it): it never unlocks by itself.
    const moved = changed.has('apiUrl') || changed.has('channel') || changed.has('peer');
    if (this.hasUpdated && moved && !this.#locks.locked) void this.reconnect();
  }

  override render(): TemplateResult {
    // A container carries the direction and language, so the host page's own dir/lang never leak in.
    const dir =
      this.getAttribute('dir') === 'rtl' || this.getAttribute('dir') === 'ltr' ? this.dir : this.i18n.dir;
    return html`<div class="root" part="base" dir=${dir} lang=${this.i18n.locale}>
      ${this.#conversationList.wrap(renderScreen(this.#parts))}
    </div>`;
  }
}
