// One open conversation: its members, reads, typing, presence, history paging, resync after an outage and the
// queue that decrypts its messages. Disposable: leaving the conversation disposes it, and every late callback checks
// `disposed` instead of comparing channel ids.
import { openMessage } from './codec.js';
import { SIGNED_TIME_TOLERANCE_MS } from './envelope.js';
import { openFile, type FileRef } from './files.js';
import { Membership } from './membership.js';
import type { ConversationDeps, MessageTrust } from './conversation-deps.js';
import type { ChatSignal, WireEventKind, WireMessage } from './ports.js';
import { isUnread, shouldMarkRead } from './read-rule.js';
import { signedRevision } from './revisions.js';
import { Sender } from './sender.js';
import { Timeline, type TimelineEntry } from './timeline.js';
import { TimeSlicer } from './yielding.js';

export type { ConversationDeps, MessageReport, MessageTrust } from './conversation-deps.js';

/** How many of the newest messages are decrypted when the conversation opens. */
const INITIAL_DECRYPT = 30;
/** Longest stretch of history decryption (and its re-render) before yielding, well under the 50 ms long task. */
const DECRYPT_SLICE_MS = 10;
/** A long decrypt re-renders after its first slice, then at most this often (each render costs a few ms). */
const DECRYPT_RENDER_MS = 50;
/** How many of the newest known messages are re-read after a reconnect, for edits and deletions made meanwhile. */
const RESYNC_WINDOW = 50;

export class Conversation {
  readonly cid: string;
  readonly timeline = new Timeline();
  readonly sender: Sender;
  /** The members Stream reports now (never trusted for who may read: see `membership`). */
  members: readonly string[] = [];
  /** The members the user agreed to on this device: messages are sealed only to those Stream still reports. */
  readonly membership: Membership;
  /** Each member's last read time (Stream metadata), for "seen by". */
  readonly reads = new Map<string, Date>();
  readonly online = new Set<string>();
  /** Members typing now → the thread they type in ('' for the main list). */
  readonly typing = new Map<string, string>();
  /** The user's own last read time when the conversation opened: the "new messages" divider goes after it. */
  lastReadAtOpen: Date | undefined;
  /** False once history paging reached the first message. */
  hasOlder = false;

  /** Loaded messages not decrypted yet: the list decrypts only what it shows (see decrypt()). */
  readonly #undecrypted = new Map<string, WireMessage>();
  #loadingOlder: Promise<number> | undefined;
  #queue: Promise<void> = Promise.resolve();
  #disposed = false;
  /** When the connection dropped: edits made after it are re-read on resync. */
  #offlineSince: Date | undefined;

  constructor(private readonly deps: ConversationDeps) {
    this.cid = deps.cid;
    this.membership = new Membership({
      cid: deps.cid,
      me: deps.me.id,
      store: deps.pinned,
      ...(deps.confirmed ? { confirmed: deps.confirmed } : {}),
    });
    this.sender = new Sender({
      cid: deps.cid,
      me: deps.me,
      chat: deps.chat,
      crypto: deps.crypto,
      outbox: deps.outbox,
      revisions: deps.revisions,
      timeline: this.timeline,
      recipients: () => this.membership.recipients(this.members),
      ...(deps.organization ? { organization: deps.organization } : {}),
      isOpen: () => !this.#disposed,
      now: deps.now,
      newId: deps.newId,
      changed: () => this.#changed(),
    });
  }

  get disposed(): boolean {
    return this.#disposed;
  }

  /**
   * Watches the channel, warms the members' cards and lists its latest messages as placeholders; resolves with the
   * ids to decrypt first (the newest), or none if the conversation was left meanwhile.
   */
  async open(): Promise<string[]> {
    const { chat, crypto, me } = this.deps;
    const { members, messages, reads, online } = await chat.watch(
      this.cid,
      (kind, wire) => this.#enqueue(kind, wire, kind === 'new'),
      (ids) => {
        this.members = ids;
        this.#changed();
      },
      (signal) => this.#signal(signal),
    );
    if (this.#disposed) return [];
    this.members = members;
    await this.membership.load(members);
    if (this.#disposed) return [];
    for (const [id, at] of Object.entries(reads ?? {})) this.reads.set(id, at);
    for (const id of online ?? []) this.online.add(id);
    this.lastReadAtOpen = this.reads.get(me.id);
    this.hasOlder = messages.length > 0;
    // Warm the card cache for all members in one request.
    await crypto.lookup(members);
    if (this.#disposed) return [];
    for (const wire of messages) this.#placeholder(wire);
    return messages.slice(-INITIAL_DECRYPT).map((w) => w.id);
  }

  /** Stops the channel's events and drops its decrypted text. Safe to call more than once. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.deps.chat.release(this.cid);
    this.timeline.clear();
    this.sender.clear();
    this.#undecrypted.clear();
    this.reads.clear();
    this.online.clear();
    this.typing.clear();
    this.members = [];
    this.lastReadAtOpen = undefined;
    this.hasOlder = false;
  }

  /** Members Stream reports that the user has not confirmed: nothing is encrypted to them. */
  get unconfirmed(): string[] {
    return this.membership.unconfirmed(this.members);
  }

  /** Confirmed members Stream no longer reports: nothing is encrypted to them any more. */
  get removed(): string[] {
    return this.membership.removed(this.members);
  }

  /** The user agreed to these members (all unconfirmed ones when none are named): sending to them resumes. */
  async confirmMembers(ids: readonly string[] = this.unconfirmed): Promise<void> {
    await this.membership.confirm(ids.filter((id) => this.members.includes(id)));
    this.#changed();
  }

  /** The user took note that these members left (all removed ones when none are named). */
  async acknowledgeRemoved(ids: readonly string[] = this.removed): Promise<void> {
    await this.membership.forget(ids.filter((id) => !this.members.includes(id)));
    this.#changed();
  }

  /** A new `/v1/channels` answer for this conversation confirms its members, without asking the user. */
  async confirmFromPortal(ids: readonly string[]): Promise<void> {
    await this.membership.confirmFromPortal(ids);
    this.#changed();
  }

  /** Tells the others the user is typing (the chat client throttles it and sends the stop). */
  typed(parentId?: string): void {
    if (!this.#disposed) void this.deps.chat.keystroke(this.cid, parentId).catch(() => {});
  }

  /** Marks the conversation read up to now, if the rule allows it (see read-rule.ts). */
  markRead(): void {
    const me = this.deps.me.id;
    const latest = this.timeline.main().at(-1);
    const read = this.reads.get(me);
    const hasUnread = isUnread(latest?.sentAt, read);
    if (this.#disposed || !latest || !shouldMarkRead({ pageVisible: this.deps.pageVisible(), hasUnread }))
      return;
    this.reads.set(me, new Date(Math.max(this.deps.now(), latest.sentAt.getTime())));
    void this.deps.chat.markRead(this.cid).catch(() => {});
  }

  /** Loads older messages (Stream `id_lt` pagination) as placeholders; resolves with how many arrived. */
  loadOlder(limit = 50): Promise<number> {
    const oldest = this.timeline.main()[0];
    if (!this.hasOlder || !oldest || this.#disposed) return Promise.resolve(0);
    this.#loadingOlder ??= this.deps.chat
      .history(this.cid, oldest.id, limit)
      .then((wires) => {
        if (this.#disposed) return 0;
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
    for (let i = 0; i < wires.length && !this.#disposed; i += chunk) {
      await Promise.all(wires.slice(i, i + chunk).map((wire) => this.#apply('history', wire)));
      const yields = slicer.yields;
      await slicer.checkpoint();
      if (slicer.yields !== yields && this.deps.now() - renderedAt >= DECRYPT_RENDER_MS) {
        renderedAt = this.deps.now();
        this.#changed();
      }
    }
    if (wires.length) this.#changed();
  }

  /** Loads and decrypts a thread's replies. */
  async loadThread(parentId: string): Promise<void> {
    const replies = await this.deps.chat.replies(this.cid, parentId);
    await Promise.all(replies.map((wire) => this.#apply('history', wire)));
    this.#changed();
  }

  /**
   * Downloads, decrypts and verifies an attached file of a message. Rejects with a `MessageFailure` (its reason) when
   * the file cannot be decrypted or verified, or with a `SecureChatError` when it cannot be fetched.
   */
  openFile(
    entry: { from: string; sentAt: Date },
    ref: FileRef,
    onProgress?: (fraction: number) => void,
    signal?: AbortSignal,
  ): Promise<Blob> {
    return openFile(this.deps.crypto, this.deps.chat, ref, entry.from, entry.sentAt, onProgress, signal);
  }

  /** Connection lost or back. Once back, missed messages are fetched. */
  connectionChanged(online: boolean): void {
    if (this.#disposed) return;
    // The newest settled message's time, not the local clock's: it is compared with Stream's updated_at. Entries hold
    // signed times, which agree with Stream's within the tolerance, so the comparison starts that much earlier.
    if (!online) this.#offlineSince ??= serverSide(this.#settled().at(-1)?.sentAt);
    else void this.#resync();
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
    const offlineSince = this.#offlineSince;
    this.#offlineSince = undefined;
    const settled = this.#settled();
    // Re-read a window of recent messages too, to catch edits and deletions made while offline.
    const from = settled.at(-RESYNC_WINDOW) ?? settled[0];
    try {
      const wires = await this.deps.chat.messagesSince(this.cid, serverSide(from?.sentAt));
      for (const wire of wires) {
        const known = this.timeline.get(wire.id);
        if (!known) this.#enqueue('new', wire);
        else if (wire.deleted && known.kind !== 'deleted' && !isRemoved(known))
          this.#enqueue('deleted', wire);
        else if (wire.updatedAt && offlineSince && wire.updatedAt >= offlineSince && known.kind === 'message')
          this.#enqueue('updated', wire);
      }
    } catch {
      // The next reconnect tries again; the live events continue meanwhile.
    }
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
    if (this.#disposed) return;
    switch (signal.kind) {
      case 'typing':
        if (signal.userId === this.deps.me.id) return;
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

  /** `live`: a `new` event as it happened (not a resync), for the stale-key rule (codec.ts). */
  #enqueue(kind: WireEventKind, wire: WireMessage, live = false): void {
    this.#queue = this.#queue.then(async () => {
      if (this.#disposed) return;
      // Our own optimistic entry already holds the plaintext; skip the echo of a message we are still sending.
      const known = this.timeline.get(wire.id);
      if (kind === 'new' && known?.kind === 'message' && known.pending) return;
      await this.#apply(kind, wire, live);
      this.#changed();
    });
  }

  async #apply(change: WireEventKind | 'history', wire: WireMessage, live = false): Promise<void> {
    if (this.#disposed) return;
    this.#undecrypted.delete(wire.id);
    this.#noteReactions(wire);
    // A new message from someone ends their typing indicator.
    if (change === 'new') this.typing.delete(wire.senderId);
    const { crypto, chat, now, revisions } = this.deps;
    const opened = await openMessage(crypto, chat, wire, { live, now: now() });
    if (this.#disposed || opened.cid !== this.cid) return;
    let entry = await revisions.check(opened);
    if (this.#disposed) return;
    const known = this.timeline.get(wire.id);
    const knownRev = known && signedRevision(known);
    const openedRev = signedRevision(opened);
    // A copy fetched before a newer revision arrived (history decrypted, or a thread loaded, while an edit came in
    // live): the newer one stays. After a reload nothing newer is shown, and the ledger flags the old copy.
    if (change === 'history' && knownRev && openedRev && knownRev.rev > openedRev.rev) return;
    // Without a signed time (a failure, a removal by the server) the entry stays where it was shown.
    if (known && !openedRev) entry = { ...entry, sentAt: known.sentAt };
    this.timeline.upsert(entry);
    const trust: MessageTrust =
      entry.kind === 'message' ? 'verified' : entry.kind === 'undecryptable' ? entry.reason : 'deleted';
    if (entry.kind !== 'decrypting') {
      this.deps.onMessage({ id: entry.id, cid: entry.cid, from: entry.from, trust, change });
    }
  }

  #changed(): void {
    if (!this.#disposed) this.deps.onChange();
  }
}

const isRemoved = (entry: TimelineEntry) =>
  entry.kind === 'undecryptable' && entry.reason === 'removed-by-server';

/** The earliest Stream time a message shown at this signed time can have (or the start of time). */
const serverSide = (signed: Date | undefined) =>
  new Date(Math.max(0, (signed?.getTime() ?? 0) - SIGNED_TIME_TOLERANCE_MS - 1));
