// The chat session state machine: token API → chat + crypto → key setup → conversation. No DOM, no SDKs.
import { openMessage, sealMessage } from './codec.js';
import { SecureChatError, toSecureChatError, type ErrorCode } from './errors.js';
import type {
  ApiPort,
  ChatPort,
  ChatSignal,
  CryptoPort,
  FailureReason,
  Person,
  WireEventKind,
  WireMessage,
} from './ports.js';
import { Timeline, type TimelineEntry } from './timeline.js';
import { openFile, safeFileName, sealFiles, type FileRef } from './files.js';
import { Outbox } from './outbox.js';
import { TimeSlicer } from './yielding.js';

/** Steps of the key lifecycle screens. */
export type KeyStep = 'offer-backup' | 'restore' | 'confirm-rotate' | 'working';

export type SessionState =
  | { status: 'idle' }
  | { status: 'connecting' }
  | { status: 'key-setup'; step: KeyStep; error?: ErrorCode; afterRotate?: boolean }
  | { status: 'ready' }
  | { status: 'error'; error: SecureChatError }
  | { status: 'signed-out'; keyRemoved: boolean };

export type MessageTrust = 'verified' | FailureReason | 'deleted';

/** What the session reports to its host. Ids and states only: never plaintext or names. */
export type SessionEvent =
  | { type: 'ready'; cid: string; userId: string }
  | {
      type: 'message';
      id: string;
      cid: string;
      from: string;
      trust: MessageTrust;
      change: WireEventKind | 'history';
    }
  | { type: 'key'; action: 'registered' | 'restored' | 'rotated' | 'backed-up' | 'backup-skipped' }
  | { type: 'signed-out'; keyRemoved: boolean };

export interface SessionDeps {
  api: ApiPort;
  loadChat: () => Promise<ChatPort>;
  loadCrypto: (virgil: { apiUrl: string; token: () => Promise<string> }) => Promise<CryptoPort>;
  /** Starts fetching lazy chunks; called as soon as the session starts, before the token API answers. */
  preload?: () => void;
  now?: () => number;
  newId?: () => string;
}

export interface StartOptions {
  /** A cid returned by /v1/channels. */
  channel?: string;
  /** A portal subject: the session opens (or creates) the distinct conversation with them. */
  peer?: string;
}

export interface SendOptions {
  parentId?: string;
  quoteId?: string;
  /** Files to encrypt, upload and reference from the envelope; progress is kept in `session.progress`. */
  files?: readonly File[];
}

/** How many of the newest messages are decrypted when the conversation opens. */
const INITIAL_DECRYPT = 30;

/** Longest stretch of history decryption (and its re-render) before yielding, well under the 50 ms long task. */
const DECRYPT_SLICE_MS = 10;
/** A long decrypt re-renders after its first slice, then at most this often (each render costs a few ms). */
const DECRYPT_RENDER_MS = 50;

/** How many of the newest known messages are re-read after a reconnect, for edits and deletions made meanwhile. */
const RESYNC_WINDOW = 50;

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
  readonly timeline = new Timeline();
  onChange?: (state: SessionState) => void;
  onEvent?: (event: SessionEvent) => void;

  user?: Person;
  contacts: Person[] = [];
  cid = '';
  members: string[] = [];
  /** Each member's last read time (Stream metadata), for "seen by". */
  readonly reads = new Map<string, Date>();
  readonly online = new Set<string>();
  /** Members typing now → the thread they type in ('' for the main list). */
  readonly typing = new Map<string, string>();
  /** The user's own last read time when the conversation opened: the "new messages" divider goes after it. */
  lastReadAtOpen?: Date;
  /** False once history paging reached the first message. */
  hasOlder = false;
  /** Loaded messages not decrypted yet: the list decrypts only what it shows (see decrypt()). */
  readonly #undecrypted = new Map<string, WireMessage>();
  #loadingOlder?: Promise<number>;

  #chat?: ChatPort;
  #crypto?: CryptoPort;
  #queue: Promise<void> = Promise.resolve();
  #closed = false;
  readonly #now: () => number;
  readonly #newId: () => string;

  /** Connection state; sends wait here while offline (see core/outbox.ts). */
  readonly outbox = new Outbox(isRetryable);
  /** Upload progress (0–1) of own messages with files, by message id. */
  readonly progress = new Map<string, number>();
  /** Files of failed messages that were not uploaded yet, for retry(). Memory only. */
  readonly #unsentFiles = new Map<string, readonly File[]>();
  /** When the connection dropped: edits made after it are re-read on resync. */
  #offlineSince?: Date;

  constructor(private readonly deps: SessionDeps) {
    this.#now = deps.now ?? Date.now;
    this.#newId = deps.newId ?? (() => crypto.randomUUID());
    this.outbox.onChange = () => this.#changed();
  }

  get state(): SessionState {
    return this.#state;
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
      const [, cid, identity] = await Promise.all([
        chat.connect(
          info.user.id,
          { apiKey: info.stream.apiKey, baseURL: info.stream.baseURL },
          firstThen(info.stream.token, () => this.deps.api.streamToken()),
        ),
        opts.channel ?? (opts.peer ? this.deps.api.openChannel([opts.peer], signal).then((c) => c.cid) : ''),
        cryptoPort.prepareIdentity(),
      ]);
      this.#checkAborted(signal);
      chat.onConnection?.((online) => this.#connectionChanged(online));
      this.cid = cid;
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
      if (signal.aborted || this.#closed) return;
      this.#fail(error);
    }
  }

  /** Backs up the new key with a password (first device, or after a rotation). */
  async backup(password: string): Promise<void> {
    const step = this.#keyStep();
    this.#set({ ...step, step: 'working' });
    try {
      await this.#needCrypto().backup(password, { replace: step.afterRotate === true });
    } catch (error) {
      this.#set({ ...step, error: toSecureChatError(error).code });
      return;
    }
    this.#emit({ type: 'key', action: 'backed-up' });
    await this.#continueAfterKeySetup();
  }

  /** Continues without a backup; the UI has already warned that losing this device loses the messages. */
  async skipBackup(): Promise<void> {
    this.#keyStep();
    this.#emit({ type: 'key', action: 'backup-skipped' });
    await this.#continueAfterKeySetup();
  }

  /** Restores the key from the password backup. A wrong password keeps the restore screen with an error. */
  async restore(password: string): Promise<void> {
    this.#keyStep();
    this.#set({ status: 'key-setup', step: 'working' });
    try {
      await this.#needCrypto().restore(password);
    } catch (error) {
      const code = toSecureChatError(error).code;
      this.#set({ status: 'key-setup', step: 'restore', error: code });
      return;
    }
    this.#emit({ type: 'key', action: 'restored' });
    await this.#continueAfterKeySetup();
  }

  /** "I forgot my password": shows the warning that older messages become unreadable. */
  forgotPassword(): void {
    this.#keyStep();
    this.#set({ status: 'key-setup', step: 'confirm-rotate' });
  }

  cancelRotate(): void {
    this.#keyStep();
    this.#set({ status: 'key-setup', step: 'restore' });
  }

  /** Replaces the key pair after the explicit warning, then offers a new backup. */
  async confirmRotate(): Promise<void> {
    this.#keyStep();
    this.#set({ status: 'key-setup', step: 'working' });
    try {
      await this.#needCrypto().rotate();
    } catch (error) {
      this.#fail(error);
      return;
    }
    this.#emit({ type: 'key', action: 'rotated' });
    this.#set({ status: 'key-setup', step: 'offer-backup', afterRotate: true });
  }

  /** The connected chat and crypto ports, shared with the conversation list (never reconnected per conversation). */
  get ports(): { chat: ChatPort; crypto: CryptoPort } | undefined {
    return this.#state.status === 'ready' && this.#chat && this.#crypto
      ? { chat: this.#chat, crypto: this.#crypto }
      : undefined;
  }

  /** Switches to another conversation over the same connection and keys; drops the previous one's plaintext. */
  async openChannel(cid: string): Promise<void> {
    this.#needOpenable();
    if (cid === this.cid) return;
    this.leaveConversation();
    this.cid = cid;
    await this.#openConversation();
  }

  /** Opens (or creates) the conversation with these portal subjects through the token API's `/v1/channels`. */
  async startConversation(peers: readonly string[]): Promise<string> {
    this.#needOpenable();
    const { cid } = await this.deps.api.openChannel(peers);
    await this.openChannel(cid);
    return cid;
  }

  /** Closes the open conversation (back to the list): stops its events and drops its decrypted text. */
  leaveConversation(): void {
    if (this.cid) (this.#chat as { release?: (cid: string) => void } | undefined)?.release?.(this.cid);
    this.cid = '';
    this.members = [];
    this.timeline.clear();
    this.#resetListState();
    this.#changed();
  }

  #needOpenable(): void {
    if (this.#state.status !== 'ready' || !this.#chat) {
      throw new SecureChatError('config', 'Secure chat is not connected yet.', { recoverable: true });
    }
  }

  /** Encrypts and sends a message (optionally a thread reply or a quoted reply); resolves with its id. */
  async send(text: string, opts: SendOptions = {}): Promise<string> {
    this.#needReady();
    const mid = this.#newId();
    const me = this.user as Person;
    const entry: TimelineEntry = {
      id: mid,
      cid: this.cid,
      from: me.id,
      sentAt: new Date(this.#now()),
      kind: 'message',
      text,
      edited: false,
      rev: 0,
      pending: true,
      ...(opts.parentId ? { parentId: opts.parentId } : {}),
      ...(opts.quoteId ? { quoteId: opts.quoteId } : {}),
      // Names shown while uploading; the URLs are filled in once the encrypted files are uploaded.
      ...(opts.files?.length
        ? {
            files: opts.files.map((f) => ({
              url: '',
              name: safeFileName(f.name),
              type: f.type,
              size: f.size,
            })),
          }
        : {}),
    };
    this.timeline.upsert(entry);
    this.#changed();
    let sent: WireMessage;
    try {
      let files: FileRef[] | undefined;
      sent = await this.outbox.run({
        onWaiting: (queued) => this.#markQueued(mid, queued),
        onDelayed: (delayed) => this.#markDelayed(mid, delayed),
        send: async () => {
          // Uploaded once, even if sending the message itself has to be retried.
          files ??= opts.files?.length ? await this.#sealFiles(mid, opts.files) : undefined;
          const wire = await this.#seal(mid, text, 0, opts, files);
          return this.#needChat().send(this.cid, wire);
        },
      });
    } catch (error) {
      // Files not uploaded yet are kept (in memory) so that retry() can still send them.
      const current = this.timeline.get(mid);
      const uploaded = current?.kind === 'message' && current.files?.every((f) => f.url);
      if (opts.files?.length && !uploaded) this.#unsentFiles.set(mid, opts.files);
      // Kept, marked failed, so the user can retry (see retry()).
      const failed = this.timeline.get(mid);
      if (failed?.kind === 'message') this.timeline.upsert({ ...failed, pending: false, failed: true });
      this.#changed();
      throw toSecureChatError(error, 'send-failed');
    }
    // Order by the server's time, like every other message.
    const current = this.timeline.get(mid);
    if (current?.kind === 'message')
      this.timeline.upsert({ ...current, sentAt: sent.createdAt, pending: false });
    this.#changed();
    return mid;
  }

  /** Sends a message whose first send failed again, with the same id (Stream deduplicates by id). */
  async retry(id: string): Promise<void> {
    this.#needReady();
    const entry = this.timeline.get(id);
    if (entry?.kind !== 'message' || !entry.failed) return;
    const opts: SendOptions = {
      ...(entry.parentId ? { parentId: entry.parentId } : {}),
      ...(entry.quoteId ? { quoteId: entry.quoteId } : {}),
    };
    this.timeline.upsert({ ...entry, pending: true, failed: false });
    this.#changed();
    try {
      const unsent = this.#unsentFiles.get(id);
      const sent = await this.outbox.run({
        onWaiting: (queued) => this.#markQueued(id, queued),
        onDelayed: (delayed) => this.#markDelayed(id, delayed),
        send: async () => {
          const files = unsent ? await this.#sealFiles(id, unsent) : entry.files;
          return this.#needChat().send(this.cid, await this.#seal(id, entry.text, 0, opts, files));
        },
      });
      this.#unsentFiles.delete(id);
      const current = this.timeline.get(id);
      const base = current?.kind === 'message' ? current : entry;
      this.timeline.upsert({ ...base, sentAt: sent.createdAt, pending: false, failed: false, queued: false });
    } catch (error) {
      this.timeline.upsert({ ...entry, pending: false, failed: true });
      throw toSecureChatError(error, 'send-failed');
    } finally {
      this.#changed();
    }
  }

  /** Soft-deletes one of the user's own messages; everyone then sees "Message deleted". */
  async deleteMessage(id: string): Promise<void> {
    this.#needReady();
    const entry = this.timeline.get(id);
    if (!entry || entry.from !== this.user?.id) {
      throw new SecureChatError('config', 'Only your own messages can be deleted.');
    }
    if (entry.kind === 'message' && entry.failed) {
      this.timeline.delete(id); // never reached Stream
    } else {
      await (this.#chat as ChatPort).remove?.(id);
      const { cid, from, sentAt, parentId } = entry;
      this.timeline.upsert({ id, cid, from, sentAt, kind: 'deleted', ...(parentId ? { parentId } : {}) });
    }
    this.#changed();
  }

  /** Adds or removes one of the user's reactions (a type from a small fixed set; see README). */
  async react(id: string, type: string, on: boolean): Promise<void> {
    this.#needReady();
    const chat = this.#chat as ChatPort;
    await (on ? chat.react?.(this.cid, id, type) : chat.unreact?.(this.cid, id, type));
    const summary = this.timeline.reactions.get(id) ?? { counts: {}, own: [] };
    if (summary.own.includes(type) !== on) {
      const count = Math.max(0, (summary.counts[type] ?? 0) + (on ? 1 : -1));
      this.timeline.reactions.set(id, {
        counts: { ...summary.counts, [type]: count },
        own: on ? [...summary.own, type] : summary.own.filter((t) => t !== type),
      });
    }
    this.#changed();
  }

  /** Tells the others the user is typing (the chat client throttles it and sends the stop). */
  typed(parentId?: string): void {
    if (this.#state.status === 'ready' && this.cid)
      void this.#chat?.keystroke?.(this.cid, parentId)?.catch(() => {});
  }

  /** Marks the conversation read up to now, if something newer than the last read arrived. */
  markRead(): void {
    const me = this.user?.id;
    if (this.#state.status !== 'ready' || !me || !this.cid) return;
    const latest = this.timeline.main().at(-1);
    const read = this.reads.get(me);
    if (!latest || (read && read.getTime() >= latest.sentAt.getTime())) return;
    this.reads.set(me, new Date(Math.max(this.#now(), latest.sentAt.getTime())));
    void this.#chat?.markRead?.(this.cid)?.catch(() => {});
  }

  /** Loads older messages (Stream `id_lt` pagination) as placeholders; resolves with how many arrived. */
  loadOlder(limit = 50): Promise<number> {
    const chat = this.#chat;
    const oldest = this.timeline.main()[0];
    const cid = this.cid;
    if (!this.hasOlder || !chat?.history || !oldest) return Promise.resolve(0);
    this.#loadingOlder ??= chat
      .history(cid, oldest.id, limit)
      .then((wires) => {
        if (this.#closed || cid !== this.cid) return 0;
        this.hasOlder = wires.length >= limit;
        for (const wire of wires) this.#placeholder(wire);
        this.#changed();
        return wires.length;
      })
      .finally(() => {
        this.#loadingOlder = undefined;
      });
    return this.#loadingOlder;
  }

  /**
   * Decrypts the given messages if they are still encrypted, `chunk` at a time, in time slices: the loop yields to
   * the event loop between slices (without setTimeout's 4 ms clamp, see yielding.ts) so typing and scrolling stay
   * responsive, and the list re-renders after the first slice, then every DECRYPT_RENDER_MS, not per chunk.
   * The plaintext stays in memory only.
   */
  async decrypt(ids: readonly string[], chunk = 4): Promise<void> {
    const wires: WireMessage[] = [];
    for (const id of ids) {
      const wire = this.#undecrypted.get(id);
      if (!wire) continue;
      this.#undecrypted.delete(id);
      wires.push(wire);
    }
    const slicer = new TimeSlicer({ budgetMs: DECRYPT_SLICE_MS });
    let renderedAt = -Infinity;
    for (let i = 0; i < wires.length && !this.#closed; i += chunk) {
      await Promise.all(wires.slice(i, i + chunk).map((wire) => this.#apply('history', wire)));
      const yields = slicer.yields;
      await slicer.checkpoint();
      if (slicer.yields !== yields && this.#now() - renderedAt >= DECRYPT_RENDER_MS) {
        renderedAt = this.#now();
        this.#changed();
      }
    }
    if (wires.length) this.#changed();
  }

  /** Edits one of the user's own messages; the new text goes through the same encryption. */
  async edit(id: string, text: string): Promise<void> {
    this.#needReady();
    const entry = this.timeline.get(id);
    if (!entry || entry.kind !== 'message' || entry.from !== this.user?.id) {
      throw new SecureChatError('config', 'Only your own, readable messages can be edited.');
    }
    const opts: SendOptions = {
      ...(entry.parentId ? { parentId: entry.parentId } : {}),
      ...(entry.quoteId ? { quoteId: entry.quoteId } : {}),
    };
    const rev = entry.rev + 1;
    try {
      const wire = await this.#seal(id, text, rev, opts, entry.files);
      await (this.#chat as ChatPort).update(this.cid, wire);
    } catch (error) {
      throw toSecureChatError(error, 'send-failed');
    }
    this.timeline.upsert({ ...entry, text, edited: true, rev });
    this.#changed();
  }

  /** Loads and decrypts a thread's replies. */
  async loadThread(parentId: string): Promise<void> {
    this.#needReady();
    const replies = await (this.#chat as ChatPort).replies(this.cid, parentId);
    await Promise.all(replies.map((wire) => this.#apply('history', wire)));
    this.#changed();
  }

  /** Display name from the portal's directory, else the sender's own name from a verified envelope. */
  nameOf(userId: string): string | undefined {
    if (userId === this.user?.id) return this.user.name;
    return this.contacts.find((c) => c.id === userId)?.name;
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
    this.progress.clear();
    this.#unsentFiles.clear();
    this.timeline.clear();
    this.#resetListState();
    const chat = this.#chat;
    const cryptoPort = this.#crypto;
    this.#chat = undefined;
    this.#crypto = undefined;
    await Promise.allSettled([chat?.disconnect(), cryptoPort?.close()]);
  }

  /** Downloads, decrypts and verifies an attached file of a message; rejects if it cannot be verified. */
  async openFile(
    entry: { from: string; sentAt: Date },
    ref: FileRef,
    onProgress?: (fraction: number) => void,
  ): Promise<Blob> {
    return openFile(this.#needCrypto(), this.#needChat(), ref, entry.from, entry.sentAt, onProgress);
  }

  async #sealFiles(mid: string, files: readonly File[]): Promise<FileRef[]> {
    const me = (this.user as Person).id;
    const to = await this.#needCrypto().lookup(
      this.members.includes(me) ? this.members : [...this.members, me],
    );
    const refs = await sealFiles(this.#needCrypto(), this.#needChat(), this.cid, to, files, (fraction) => {
      const percent = Math.floor(fraction * 100);
      if (Math.floor((this.progress.get(mid) ?? -1) * 100) === percent) return;
      this.progress.set(mid, fraction);
      this.#changed();
    });
    this.progress.delete(mid);
    const entry = this.timeline.get(mid);
    if (entry?.kind === 'message') this.timeline.upsert({ ...entry, files: refs });
    return refs;
  }

  /** Notes members with no key yet, so the sender sees who can't read the message instead of finding out later. */
  #markUnreadableBy(mid: string, ids: string[]): void {
    const entry = this.timeline.get(mid);
    if (entry?.kind !== 'message') return;
    const { unreadableBy: _previous, ...rest } = entry;
    this.timeline.upsert(ids.length ? { ...rest, unreadableBy: ids } : rest);
    this.#changed();
  }

  #markQueued(mid: string, queued: boolean): void {
    const entry = this.timeline.get(mid);
    if (entry?.kind === 'message') this.timeline.upsert({ ...entry, queued });
    this.#changed();
  }

  #markDelayed(mid: string, delayed: boolean): void {
    const entry = this.timeline.get(mid);
    if (entry?.kind === 'message') this.timeline.upsert({ ...entry, delayed });
    this.#changed();
  }

  #needChat(): ChatPort {
    if (!this.#chat) throw new SecureChatError('aborted', 'Secure chat was closed.');
    return this.#chat;
  }

  /** Connection lost or back. Once back, queued sends go out and missed messages are fetched. */
  #connectionChanged(online: boolean): void {
    if (this.#closed) return;
    // Server time (of the newest settled message), so it compares with Stream's updated_at whatever the local clock.
    if (!online) this.#offlineSince ??= this.#settled().at(-1)?.sentAt ?? new Date(0);
    this.outbox.setOnline(online);
    if (online) void this.#resync();
  }

  /** Top-level entries the server has confirmed (not our own still being sent), oldest first. */
  #settled(): TimelineEntry[] {
    return this.timeline.main().filter((e) => !(e.kind === 'message' && (e.pending || e.queued)));
  }

  /**
   * Fetches what the outage hid: messages created since the newest we know, plus edits and deletions of the most
   * recent ones. Merged by id, so nothing shows twice.
   */
  async #resync(): Promise<void> {
    const chat = this.#chat;
    const cid = this.cid;
    const offlineSince = this.#offlineSince;
    this.#offlineSince = undefined;
    if (!chat?.messagesSince || !cid || this.#state.status !== 'ready') return;
    const settled = this.#settled();
    // Re-read a window of recent messages too, to catch edits and deletions made while offline.
    const from = settled.at(-RESYNC_WINDOW) ?? settled[0];
    try {
      const wires = await chat.messagesSince(cid, new Date((from?.sentAt.getTime() ?? 1) - 1));
      for (const wire of wires) {
        const known = this.timeline.get(wire.id);
        if (!known) this.#enqueue('new', wire);
        else if (wire.deleted && known.kind !== 'deleted') this.#enqueue('deleted', wire);
        else if (wire.updatedAt && offlineSince && wire.updatedAt >= offlineSince && known.kind === 'message')
          this.#enqueue('updated', wire);
      }
    } catch {
      // The next reconnect tries again; the live events continue meanwhile.
    }
  }

  async #seal(mid: string, text: string, rev: number, opts: SendOptions, files?: readonly FileRef[]) {
    const me = this.user as Person;
    return sealMessage(this.#needCrypto(), this.#chat as ChatPort, {
      cid: this.cid,
      mid,
      from: me.id,
      ...(me.name ? { name: me.name } : {}),
      members: this.members,
      content: {
        text,
        ...(opts.parentId ? { parent: opts.parentId } : {}),
        ...(opts.quoteId ? { quote: opts.quoteId } : {}),
        ...(files?.length ? { files: [...files] } : {}),
      },
      rev,
      now: this.#now(),
      ...(opts.parentId ? { parentId: opts.parentId } : {}),
      ...(opts.quoteId ? { quotedId: opts.quoteId } : {}),
      onUnreadableBy: (ids) => this.#markUnreadableBy(mid, ids),
    });
  }

  async #continueAfterKeySetup(): Promise<void> {
    try {
      await this.#openConversation();
    } catch (error) {
      this.#fail(error);
    }
  }

  async #openConversation(): Promise<void> {
    if (!this.cid) {
      this.#set({ status: 'ready' });
      this.#emit({ type: 'ready', cid: '', userId: (this.user as Person).id });
      return;
    }
    const cid = this.cid;
    const chat = this.#chat as ChatPort;
    const { members, messages, reads, online } = await chat.watch(
      this.cid,
      (kind, wire) => this.#enqueue(kind, wire),
      (ids) => {
        this.members = ids;
      },
      (signal) => this.#signal(signal),
    );
    if (this.cid !== cid) return; // the user switched conversations meanwhile
    this.members = members;
    for (const [id, at] of Object.entries(reads ?? {})) this.reads.set(id, at);
    for (const id of online ?? []) this.online.add(id);
    this.lastReadAtOpen = this.reads.get((this.user as Person).id);
    this.hasOlder = messages.length > 0;
    // Warm the card cache for all members in one request.
    await this.#needCrypto().lookup(members);
    if (this.cid !== cid) return;
    for (const wire of messages) this.#placeholder(wire);
    this.#set({ status: 'ready' });
    this.#emit({ type: 'ready', cid: this.cid, userId: (this.user as Person).id });
    // The newest messages first; the list asks for the rest as they scroll into view.
    await this.decrypt(messages.slice(-INITIAL_DECRYPT).map((w) => w.id));
    this.#changed();
  }

  /** Drops the open conversation's list state (reads, typing, paging, undecrypted messages). */
  #resetListState(): void {
    this.#undecrypted.clear();
    this.reads.clear();
    this.online.clear();
    this.typing.clear();
    this.lastReadAtOpen = undefined;
    this.hasOlder = false;
  }

  /** An encrypted message known by its metadata only, until decrypt() opens it. */
  #placeholder(wire: WireMessage): void {
    if (this.timeline.get(wire.id)) return;
    this.#undecrypted.set(wire.id, wire);
    this.#noteReactions(wire);
    this.timeline.upsert({
      id: wire.id,
      cid: wire.cid,
      from: wire.senderId,
      sentAt: wire.createdAt,
      kind: 'decrypting',
      ...(wire.parentId ? { parentId: wire.parentId } : {}),
    });
  }

  #noteReactions(wire: WireMessage): void {
    if (wire.reactions) {
      this.timeline.reactions.set(wire.id, { counts: wire.reactions, own: wire.ownReactions ?? [] });
    }
  }

  /** Typing, read, presence and reaction signals: metadata only. */
  #signal(signal: ChatSignal): void {
    if (this.#closed) return;
    const me = this.user?.id;
    switch (signal.kind) {
      case 'typing':
        if (signal.userId === me) return;
        if (signal.typing) this.typing.set(signal.userId, signal.parentId ?? '');
        else this.typing.delete(signal.userId);
        break;
      case 'read':
        this.reads.set(signal.userId, signal.at);
        break;
      case 'presence':
        if (signal.online) this.online.add(signal.userId);
        else this.online.delete(signal.userId);
        break;
      case 'reactions':
        this.timeline.reactions.set(signal.id, { counts: signal.counts, own: signal.own });
        break;
    }
    this.#changed();
  }

  #enqueue(kind: WireEventKind, wire: WireMessage): void {
    this.#queue = this.#queue.then(async () => {
      if (this.#closed) return;
      // A conversation the user has since left (the list switched away from it).
      if (wire.cid !== this.cid) return;
      // Our own optimistic entry already holds the plaintext; skip the echo of a message we are still sending.
      const known = this.timeline.get(wire.id);
      if (kind === 'new' && known?.kind === 'message' && known.pending) return;
      await this.#apply(kind, wire);
      this.#changed();
    });
  }

  async #apply(change: WireEventKind | 'history', wire: WireMessage): Promise<void> {
    const cryptoPort = this.#crypto;
    const chat = this.#chat;
    if (!cryptoPort || !chat || this.#closed) return;
    this.#undecrypted.delete(wire.id);
    this.#noteReactions(wire);
    // A new message from someone ends their typing indicator.
    if (change === 'new') this.typing.delete(wire.senderId);
    const entry = await openMessage(cryptoPort, chat, wire);
    if (this.#closed || entry.cid !== this.cid) return;
    this.timeline.upsert(entry);
    const trust: MessageTrust =
      entry.kind === 'message' ? 'verified' : entry.kind === 'undecryptable' ? entry.reason : 'deleted';
    if (entry.kind !== 'decrypting') {
      this.#emit({ type: 'message', id: entry.id, cid: entry.cid, from: entry.from, trust, change });
    }
  }

  #keyStep(): Extract<SessionState, { status: 'key-setup' }> {
    if (this.#state.status !== 'key-setup' || this.#state.step === 'working') {
      throw new SecureChatError('config', 'No key setup step is waiting for input.');
    }
    return this.#state;
  }

  #needReady(): void {
    if (this.#state.status !== 'ready' || !this.#chat) {
      throw new SecureChatError('config', 'The conversation is not open yet.', { recoverable: true });
    }
  }

  #needCrypto(): CryptoPort {
    if (!this.#crypto) throw new SecureChatError('internal', 'Encryption is not loaded.');
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
