// The user's own messages in one conversation: send (through the outbox), retry, edit, delete, react. Every text is
// sealed (signed and encrypted to the members' current keys) before it leaves; files are uploaded once per send.
import { sealMessage } from './codec.js';
import { SecureChatError, toSecureChatError } from './errors.js';
import { safeFileName, sealFiles, type FileRef } from './files.js';
import { recipientsWithOrganization, type OrganizationKey } from './organization.js';
import type { Outbox } from './outbox.js';
import type { ChatPort, CryptoPort, Person } from './ports.js';
import type { Revisions } from './revisions.js';
import type { Timeline, TimelineEntry } from './timeline.js';

export interface SendOptions {
  parentId?: string;
  quoteId?: string;
  /** Files to encrypt, upload and reference from the envelope; upload progress is kept in `progress`. */
  files?: readonly File[];
}

/** What the sender needs from its conversation. */
export interface SenderContext {
  readonly cid: string;
  readonly me: Person;
  readonly chat: ChatPort;
  readonly crypto: CryptoPort;
  readonly outbox: Outbox;
  /** Own edits and tombstones are recorded as seen as soon as Stream has them (see revisions.ts). */
  readonly revisions: Revisions;
  readonly timeline: Timeline;
  /** Who messages are sealed to: the confirmed members Stream still reports, and the user (core/membership.ts). */
  recipients(): readonly string[] | undefined;
  /** The deployment's pinned organization key: every envelope, edit, tombstone and file is sealed to it as well. */
  readonly organization?: OrganizationKey;
  /** False once the conversation was left or the session closed. */
  isOpen(): boolean;
  now(): number;
  newId(): string;
  changed(): void;
}

export class Sender {
  /** Upload progress (0–1) of own messages with files, by message id. */
  readonly progress = new Map<string, number>();
  /** Files of failed messages that were not uploaded yet, for retry(). Memory only. */
  readonly #unsentFiles = new Map<string, readonly File[]>();

  constructor(private readonly c: SenderContext) {}

  /** Encrypts and sends a message (optionally a thread reply or a quoted reply); resolves with its id. */
  async send(text: string, opts: SendOptions = {}): Promise<string> {
    this.#needOpen();
    const { timeline } = this.c;
    const mid = this.c.newId();
    const entry: TimelineEntry = {
      id: mid,
      cid: this.c.cid,
      from: this.c.me.id,
      sentAt: new Date(this.c.now()),
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
    timeline.upsert(entry);
    this.c.changed();
    // The signed time of the copy Stream stored: each attempt is sealed again, with the time of that attempt.
    let sealedAt = entry.sentAt.getTime();
    try {
      let files: FileRef[] | undefined;
      await this.c.outbox.run({
        onWaiting: (queued) => this.#markQueued(mid, queued),
        onDelayed: (delayed) => this.#markDelayed(mid, delayed),
        send: async () => {
          // Uploaded once, even if sending the message itself has to be retried.
          files ??= opts.files?.length ? await this.#sealFiles(mid, opts.files) : undefined;
          sealedAt = this.c.now();
          const wire = await this.#seal(mid, { text, rev: 0, ts: sealedAt }, opts, files);
          return this.c.chat.send(this.c.cid, wire);
        },
      });
    } catch (error) {
      // Files not uploaded yet are kept (in memory) so that retry() can still send them.
      const current = timeline.get(mid);
      const uploaded = current?.kind === 'message' && current.files?.every((f) => f.url);
      if (opts.files?.length && !uploaded) this.#unsentFiles.set(mid, opts.files);
      // Kept, marked failed, so the user can retry (see retry()).
      if (current?.kind === 'message') timeline.upsert({ ...current, pending: false, failed: true });
      this.c.changed();
      throw toSecureChatError(error, 'send-failed');
    }
    // Ordered by its signed time, like every other verified message.
    const current = timeline.get(mid);
    if (current?.kind === 'message')
      timeline.upsert({ ...current, sentAt: new Date(sealedAt), pending: false });
    this.c.changed();
    return mid;
  }

  /** Sends a message whose first send failed again, with the same id (Stream deduplicates by id). */
  async retry(id: string): Promise<void> {
    this.#needOpen();
    const { timeline } = this.c;
    const entry = timeline.get(id);
    if (entry?.kind !== 'message' || !entry.failed) return;
    timeline.upsert({ ...entry, pending: true, failed: false });
    this.c.changed();
    let sealedAt = entry.sentAt.getTime();
    try {
      const unsent = this.#unsentFiles.get(id);
      await this.c.outbox.run({
        onWaiting: (queued) => this.#markQueued(id, queued),
        onDelayed: (delayed) => this.#markDelayed(id, delayed),
        send: async () => {
          const files = unsent ? await this.#sealFiles(id, unsent) : entry.files;
          sealedAt = this.c.now();
          const wire = await this.#seal(
            id,
            { text: entry.text, rev: 0, ts: sealedAt },
            optionsOf(entry),
            files,
          );
          return this.c.chat.send(this.c.cid, wire);
        },
      });
      this.#unsentFiles.delete(id);
      const current = timeline.get(id);
      const base = current?.kind === 'message' ? current : entry;
      const sentAt = new Date(sealedAt);
      timeline.upsert({ ...base, sentAt, pending: false, failed: false, queued: false });
    } catch (error) {
      timeline.upsert({ ...entry, pending: false, failed: true });
      throw toSecureChatError(error, 'send-failed');
    } finally {
      this.c.changed();
    }
  }

  /** Edits one of the user's own messages; the new text goes through the same encryption. */
  async edit(id: string, text: string): Promise<void> {
    this.#needOpen();
    const entry = this.c.timeline.get(id);
    if (!entry || entry.kind !== 'message' || entry.from !== this.c.me.id) {
      throw new SecureChatError('forbidden', 'Only your own, readable messages can be edited.');
    }
    const rev = entry.rev + 1;
    const created = entry.sentAt.getTime();
    await this.#update(id, { text, rev, created }, optionsOf(entry), entry.files);
    this.c.timeline.upsert({ ...entry, text, edited: true, rev });
    this.c.changed();
  }

  /**
   * Deletes one of the user's own messages with a signed tombstone: the next revision, sealed like an edit with no
   * content, replaces the message's ciphertext and attachments. Stream's own delete is not used: its soft-deleted copy
   * cannot be counted on to keep custom fields and attachments (the local stand-in drops them), so the tombstone's
   * signature would be lost and readers would see "removed by the server". A verified tombstone reads as deleted by
   * its sender.
   */
  async deleteMessage(id: string): Promise<void> {
    this.#needOpen();
    const { timeline } = this.c;
    const entry = timeline.get(id);
    if (!entry || entry.from !== this.c.me.id) {
      throw new SecureChatError('forbidden', 'Only your own messages can be deleted.');
    }
    if (entry.kind === 'deleted') return;
    if (entry.kind === 'message' && entry.failed) {
      timeline.delete(id); // never reached Stream
    } else {
      // A message this device cannot read: after the highest revision it has seen of it.
      const seen =
        entry.kind === 'message' ? entry.rev : ((await this.c.revisions.highest(entry.cid, id))?.rev ?? 0);
      const rev = seen + 1;
      const created = entry.sentAt.getTime();
      await this.#update(id, { text: '', rev, created, deleted: true }, optionsOf(entry));
      const { cid, from, sentAt, parentId } = entry;
      timeline.upsert({ id, cid, from, sentAt, kind: 'deleted', rev, ...(parentId ? { parentId } : {}) });
    }
    this.c.changed();
  }

  /** Sends a new revision of an own message (an edit or a tombstone) and records it as seen. */
  async #update(id: string, what: Sealed, opts: SendOptions, files?: readonly FileRef[]) {
    try {
      // Through the outbox like a send: it waits out the connection and the rate limit instead of failing.
      await this.c.outbox.run({
        onDelayed: (delayed) => this.#markDelayed(id, delayed),
        send: async () =>
          this.c.chat.update(this.c.cid, await this.#seal(id, { ...what, ts: this.c.now() }, opts, files)),
      });
    } catch (error) {
      throw toSecureChatError(error, 'send-failed');
    }
    await this.c.revisions.record(this.c.cid, id, what.rev, what.deleted === true);
  }

  /** Adds or removes one of the user's reactions (a type from a small fixed set; see docs/element.md). */
  async react(id: string, type: string, on: boolean): Promise<void> {
    this.#needOpen();
    const { chat, cid, timeline } = this.c;
    await (on ? chat.react(cid, id, type) : chat.unreact(cid, id, type));
    const summary = timeline.reactions.get(id) ?? { counts: {}, own: [] };
    if (summary.own.includes(type) !== on) {
      const count = Math.max(0, (summary.counts[type] ?? 0) + (on ? 1 : -1));
      timeline.reactions.set(id, {
        counts: { ...summary.counts, [type]: count },
        own: on ? [...summary.own, type] : summary.own.filter((t) => t !== type),
      });
    }
    this.c.changed();
  }

  /** Drops unsent files and progress (the conversation was left). */
  clear(): void {
    this.progress.clear();
    this.#unsentFiles.clear();
  }

  #needOpen(): void {
    if (!this.c.isOpen()) {
      throw new SecureChatError('config', 'The conversation is not open.', { recoverable: true });
    }
  }

  /** Never before the conversation's membership is known: sealing to "everyone Stream reports" is what it prevents. */
  #recipients(): string[] {
    const recipients = this.c.recipients();
    if (!recipients) {
      throw new SecureChatError('config', 'The conversation is not open yet.', { recoverable: true });
    }
    return [...recipients];
  }

  async #sealFiles(mid: string, files: readonly File[]): Promise<FileRef[]> {
    const { crypto, chat, cid } = this.c;
    const to = await recipientsWithOrganization(crypto, this.#recipients(), this.c.organization);
    const refs = await sealFiles(crypto, chat, cid, to, files, (fraction) => {
      const percent = Math.floor(fraction * 100);
      if (Math.floor((this.progress.get(mid) ?? -1) * 100) === percent) return;
      this.progress.set(mid, fraction);
      this.c.changed();
    });
    this.progress.delete(mid);
    const entry = this.c.timeline.get(mid);
    if (entry?.kind === 'message') this.c.timeline.upsert({ ...entry, files: refs });
    return refs;
  }

  async #seal(mid: string, what: Sealed & { ts: number }, opts: SendOptions, files?: readonly FileRef[]) {
    const { me } = this.c;
    return sealMessage(this.c.crypto, this.c.chat, {
      cid: this.c.cid,
      mid,
      from: me.id,
      ...(me.name ? { name: me.name } : {}),
      members: this.#recipients(),
      ...(this.c.organization ? { organization: this.c.organization } : {}),
      content: {
        text: what.text,
        ...(opts.parentId ? { parent: opts.parentId } : {}),
        ...(opts.quoteId ? { quote: opts.quoteId } : {}),
        ...(files?.length ? { files: [...files] } : {}),
      },
      rev: what.rev,
      ...(what.created !== undefined ? { created: what.created } : {}),
      ...(what.deleted ? { deleted: true } : {}),
      now: what.ts,
      ...(opts.parentId ? { parentId: opts.parentId } : {}),
      ...(opts.quoteId ? { quotedId: opts.quoteId } : {}),
      onUnreadableBy: (ids) => this.#markUnreadableBy(mid, ids),
    });
  }

  /** Notes members with no key yet, so the sender sees who can't read the message instead of finding out later. */
  #markUnreadableBy(mid: string, ids: string[]): void {
    const entry = this.c.timeline.get(mid);
    if (entry?.kind !== 'message') return;
    const { unreadableBy: _previous, ...rest } = entry;
    this.c.timeline.upsert(ids.length ? { ...rest, unreadableBy: ids } : rest);
    this.c.changed();
  }

  #markQueued(mid: string, queued: boolean): void {
    const entry = this.c.timeline.get(mid);
    if (entry?.kind === 'message') this.c.timeline.upsert({ ...entry, queued });
    this.c.changed();
  }

  /** Held back by the service's rate limit: the message says so until it goes out. */
  #markDelayed(mid: string, delayed: boolean): void {
    const entry = this.c.timeline.get(mid);
    if (entry?.kind === 'message') this.c.timeline.upsert({ ...entry, delayed });
    this.c.changed();
  }
}

/** What one revision says: its text, number, the original's signed time (edits) and whether it is a tombstone. */
interface Sealed {
  text: string;
  rev: number;
  created?: number;
  deleted?: boolean;
}

/** The thread and quote of an existing message, to seal it again (retry, edit). */
function optionsOf(entry: { parentId?: string; quoteId?: string }): SendOptions {
  return {
    ...(entry.parentId ? { parentId: entry.parentId } : {}),
    ...(entry.quoteId ? { quoteId: entry.quoteId } : {}),
  };
}
