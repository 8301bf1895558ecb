// The chat session: token API → chat + crypto → key setup → conversation. Owns the connection-wide parts (ports,
// outbox, user and contacts) and the open Conversation; key setup and sending live in their own modules.
import { Conversation, type MessageReport, type MessageTrust } from './conversation.js';
import { SecureChatError, toSecureChatError } from './errors.js';
import { KeySetup, type KeyAction, type KeySetupState, type KeyStep } from './key-setup.js';
import { portalConfirmed } from './membership.js';
import type { OrganizationKey } from './organization.js';
import { Outbox } from './outbox.js';
import { nameOf } from './people.js';
import type { ApiPort, ChatPort, CryptoPort, Person, PinnedMembers, RevisionLedger } from './ports.js';
import { Revisions } from './revisions.js';

export type { KeyStep, MessageTrust };
export type { SendOptions } from './sender.js';

export type SessionState =
  | { status: 'idle' }
  | { status: 'connecting' }
  | KeySetupState
  | { status: 'ready' }
  | { status: 'error'; error: SecureChatError }
  | { status: 'signed-out'; keyRemoved: boolean };

/** What the session reports to its host. Ids and states only: never plaintext or names. */
export type SessionEvent =
  | { type: 'ready'; cid: string; userId: string }
  | ({ type: 'message' } & MessageReport)
  | { type: 'key'; action: KeyAction }
  | { type: 'signed-out'; keyRemoved: boolean };

export interface SessionDeps {
  api: ApiPort;
  loadChat: () => Promise<ChatPort>;
  loadCrypto: (virgil: { apiUrl: string; token: () => Promise<string> }) => Promise<CryptoPort>;
  /** The members the user agreed to, per conversation, on this device (core/membership.ts). */
  pinned: PinnedMembers;
  /** The highest revision of each message this device has verified (kept across sessions, see core/revisions.ts). */
  revisions: RevisionLedger;
  /** Starts fetching lazy chunks; called as soon as the session starts, before the token API answers. */
  preload?: () => void;
  now?: () => number;
  newId?: () => string;
  /** False while the page is hidden; conversations are never marked read then (see read-rule.ts). */
  pageVisible?: () => boolean;
}

export interface StartOptions {
  /** A cid returned by /v1/channels. */
  channel?: string;
  /** A portal subject: the session opens (or creates) the distinct conversation with them. */
  peer?: string;
}

/** A conversation to open, and the members a `/v1/channels` answer confirmed for it (if opened through it). */
type Opened = { cid: string; confirmed?: readonly string[] };

/** Sends are retried when they failed on the network (no answer), not when the service refused them. */
function isRetryable(error: unknown): boolean {
  const cause = (error as { cause?: { code?: unknown } })?.cause;
  return error instanceof SecureChatError && error.code === 'network' && typeof cause?.code !== 'number';
}

/** Uses the credential that came with /v1/session once, then asks the API for fresh ones. */
function firstThen(initial: string, refresh: () => Promise<string>): () => Promise<string> {
  let first: string | undefined = initial;
  return () => {
    const token = first;
    first = undefined;
    return token ? Promise.resolve(token) : refresh();
  };
}

export class ChatSession {
  #state: SessionState = { status: 'idle' };
  onChange?: (state: SessionState) => void;
  onEvent?: (event: SessionEvent) => void;

  user: Person | undefined;
  contacts: Person[] = [];
  /** The deployment's organization recipient, from the session answer (core/organization.ts). */
  organization: OrganizationKey | undefined;
  /** The open conversation; undefined while the list shows none (or before `ready`). */
  conversation: Conversation | undefined;
  /** The key screens' actions (backup, restore, new key). */
  readonly keys: KeySetup;
  /** Connection state; sends wait here while offline (see core/outbox.ts). */
  readonly outbox = new Outbox(isRetryable);

  #chat: ChatPort | undefined;
  #crypto: CryptoPort | undefined;
  #closed = false;
  readonly #now: () => number;
  readonly #newId: () => string;

  constructor(private readonly deps: SessionDeps) {
    this.#now = deps.now ?? Date.now;
    this.#newId = deps.newId ?? (() => crypto.randomUUID());
    this.outbox.onChange = () => this.#changed();
    this.keys = new KeySetup({
      crypto: () => this.#needCrypto(),
      step: () => (this.#state.status === 'key-setup' ? this.#state : undefined),
      setStep: (state) => this.#set(state),
      report: (action) => this.#emit({ type: 'key', action }),
      done: () => this.#continueAfterKeySetup(),
      fail: (error) => this.#fail(error),
    });
  }

  get state(): SessionState {
    return this.#state;
  }

  /** The open conversation's cid, or '' when none is open. */
  get cid(): string {
    return this.conversation?.cid ?? '';
  }

  /** Connects, sets up the key, and opens the conversation. Never throws: failures end in the `error` state. */
  async start(opts: StartOptions, signal: AbortSignal): Promise<void> {
    this.#set({ status: 'connecting' });
    try {
      // Without a channel or peer the session stops at 'ready' with no conversation open (the list).
      // The lazy chunks start loading, in parallel, while the session request is in flight.
      this.deps.preload?.();
      const chatModule = this.deps.loadChat();
      const info = await this.deps.api.session(signal);
      this.#checkAborted(signal);
      this.user = info.user;
      this.contacts = info.contacts;
      this.organization = info.organization;
      const [chat, cryptoPort] = await Promise.all([
        chatModule,
        this.deps.loadCrypto({
          apiUrl: info.virgil.apiUrl,
          token: firstThen(info.virgil.token, () => this.deps.api.virgilToken()),
        }),
      ]);
      this.#chat = chat;
      this.#crypto = cryptoPort;
      this.#checkAborted(signal);
      const opening: Opened | Promise<Opened> =
        opts.channel || !opts.peer ? { cid: opts.channel ?? '' } : this.#viaPortal([opts.peer], signal);
      const [, { cid, confirmed }, identity] = await Promise.all([
        chat.connect(
          info.user.id,
          { apiKey: info.stream.apiKey, baseURL: info.stream.baseURL },
          firstThen(info.stream.token, () => this.deps.api.streamToken()),
        ),
        opening,
        cryptoPort.prepareIdentity(),
      ]);
      this.#checkAborted(signal);
      chat.onConnection((online) => this.#connectionChanged(online));
      if (cid) this.conversation = this.#newConversation(cid, confirmed);
      if (identity === 'registered') {
        this.#emit({ type: 'key', action: 'registered' });
        this.#set({ status: 'key-setup', step: 'offer-backup' });
        return;
      }
      if (identity === 'needs-restore') {
        this.#set({ status: 'key-setup', step: 'restore' });
        return;
      }
      await this.#openConversation();
    } catch (error) {
      // Stopped meanwhile (a lock): ports that arrived after the close are closed too, so no key outlives it.
      if (signal.aborted || this.#closed) return void this.close();
      this.#fail(error);
    }
  }

  /** The connected chat and crypto ports, shared with the conversation list (never reconnected per conversation). */
  get ports(): { chat: ChatPort; crypto: CryptoPort; revisions: RevisionLedger } | undefined {
    return this.#state.status === 'ready' && this.#chat && this.#crypto
      ? { chat: this.#chat, crypto: this.#crypto, revisions: this.deps.revisions }
      : undefined;
  }

  /** Switches to another conversation over the same connection and keys; drops the previous one's plaintext. */
  async openChannel(cid: string, confirmed?: readonly string[]): Promise<void> {
    this.#needReady();
    if (cid === this.cid) {
      if (confirmed) await this.conversation?.confirmFromPortal(confirmed);
      return;
    }
    this.leaveConversation();
    this.conversation = this.#newConversation(cid, confirmed);
    await this.#openConversation();
  }

  /**
   * Opens (or creates) the conversation with these portal subjects through the token API's `/v1/channels`; its
   * answer confirms the members (see core/membership.ts).
   */
  async startConversation(peers: readonly string[]): Promise<string> {
    this.#needReady();
    const { cid, confirmed } = await this.#viaPortal(peers);
    await this.openChannel(cid, confirmed);
    return cid;
  }

  /** Closes the open conversation (back to the list): stops its events and drops its decrypted text. */
  leaveConversation(): void {
    this.conversation?.dispose();
    this.conversation = undefined;
    this.#changed();
  }

  /** Display name from the portal's directory (see people.ts). */
  nameOf(userId: string): string | undefined {
    return this.user ? nameOf({ me: this.user, contacts: this.contacts }, userId) : undefined;
  }

  /** Disconnects; with `forgetKey`, also removes the private key from this device. Drops all plaintext. */
  async signOut(opts: { forgetKey?: boolean } = {}): Promise<void> {
    const keyRemoved = opts.forgetKey === true;
    if (keyRemoved && this.#crypto) await this.#crypto.forgetLocalKey();
    await this.close();
    this.#emit({ type: 'signed-out', keyRemoved });
    this.#set({ status: 'signed-out', keyRemoved });
  }

  /** Disconnects and drops every decrypted text and in-memory key. Safe to call more than once. */
  async close(): Promise<void> {
    this.#closed = true;
    this.outbox.close();
    this.conversation?.dispose();
    this.conversation = undefined;
    const chat = this.#chat;
    const cryptoPort = this.#crypto;
    this.#chat = undefined;
    this.#crypto = undefined;
    await Promise.allSettled([chat?.disconnect(), cryptoPort?.close()]);
  }

  /** `/v1/channels`: the conversation's cid, and the members its answer confirms for the portal's peers. */
  async #viaPortal(peers: readonly string[], signal?: AbortSignal): Promise<Opened> {
    const { cid, members } = await this.deps.api.openChannel(peers, signal);
    const me = this.#needUser().id;
    return { cid, confirmed: portalConfirmed(members, peers, me, this.contacts) };
  }

  #newConversation(cid: string, confirmed?: readonly string[]): Conversation {
    const me = this.#needUser();
    return new Conversation({
      cid,
      me,
      chat: this.#needChat(),
      crypto: this.#needCrypto(),
      outbox: this.outbox,
      pinned: this.deps.pinned,
      ...(confirmed ? { confirmed } : {}),
      ...(this.organization ? { organization: this.organization } : {}),
      revisions: new Revisions(this.deps.revisions, me.id),
      now: this.#now,
      newId: this.#newId,
      pageVisible: this.deps.pageVisible ?? (() => true),
      onChange: () => this.#changed(),
      onMessage: (report) => this.#emit({ type: 'message', ...report }),
    });
  }

  /** Connection lost or back. Once back, queued sends go out and missed messages are fetched. */
  #connectionChanged(online: boolean): void {
    if (this.#closed) return;
    this.conversation?.connectionChanged(online);
    this.outbox.setOnline(online);
  }

  async #continueAfterKeySetup(): Promise<void> {
    try {
      await this.#openConversation();
    } catch (error) {
      this.#fail(error);
    }
  }

  async #openConversation(): Promise<void> {
    const userId = this.#needUser().id;
    const conversation = this.conversation;
    if (!conversation) {
      this.#set({ status: 'ready' });
      this.#emit({ type: 'ready', cid: '', userId });
      return;
    }
    const newest = await conversation.open();
    if (conversation.disposed) return; // the user switched conversations meanwhile
    this.#set({ status: 'ready' });
    this.#emit({ type: 'ready', cid: conversation.cid, userId });
    // The newest messages first; the list asks for the rest as they scroll into view.
    await conversation.decrypt(newest);
    this.#changed();
  }

  #needReady(): void {
    if (this.#state.status !== 'ready' || !this.#chat) {
      throw new SecureChatError('config', 'Secure chat is not connected yet.', { recoverable: true });
    }
  }

  #needUser(): Person {
    if (!this.user)
      throw new SecureChatError('config', 'Secure chat is not connected yet.', { recoverable: true });
    return this.user;
  }

  #needChat(): ChatPort {
    if (!this.#chat) throw new SecureChatError('aborted', 'Secure chat was closed.');
    return this.#chat;
  }

  #needCrypto(): CryptoPort {
    if (!this.#crypto) throw new SecureChatError('aborted', 'Secure chat was closed.');
    return this.#crypto;
  }

  #checkAborted(signal: AbortSignal): void {
    if (signal.aborted) throw new SecureChatError('aborted', 'The session was stopped.');
  }

  #fail(error: unknown): void {
    this.#set({ status: 'error', error: toSecureChatError(error) });
  }

  #set(state: SessionState): void {
    this.#state = state;
    this.onChange?.(state);
  }

  #changed(): void {
    this.onChange?.(this.#state);
  }

  #emit(event: SessionEvent): void {
    this.onEvent?.(event);
  }
}
