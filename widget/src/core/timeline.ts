// The decrypted conversation, held only in memory. `clear()` drops every plaintext.
import type { FileRef } from './files.js';
import type { FailureReason } from './ports.js';

export interface TimelineBase {
  id: string;
  cid: string;
  from: string;
  /**
   * When the message was sent: for a verified message the signed time of its original revision (edits keep their
   * place), otherwise Stream's `created_at`. The timeline is ordered by it.
   */
  sentAt: Date;
  parentId?: string;
}

export type TimelineEntry =
  | (TimelineBase & { kind: 'decrypting' })
  | (TimelineBase & {
      kind: 'message';
      text: string;
      quoteId?: string;
      /** The sender's self-declared name from inside the envelope. */
      senderName?: string;
      edited: boolean;
      /** Edit revision from the envelope (0 for the original). */
      rev: number;
      /** True while our own message is being encrypted and sent. */
      pending?: boolean;
      /** True while our own message waits for the connection to return (outbox). */
      queued?: boolean;
      /** True while our own message waits out the chat service's rate limit (outbox); it is sent afterwards. */
      delayed?: boolean;
      /** Attached files, from the verified envelope. */
      files?: FileRef[];
      /** True when sending our own message failed; it can be retried. */
      failed?: boolean;
      /** Members who had no key when our message was sealed: they can never read this message. */
      unreadableBy?: string[];
    })
  | (TimelineBase & { kind: 'undecryptable'; reason: FailureReason })
  | (TimelineBase & {
      kind: 'deleted';
      /** The revision of the sender's signed tombstone; absent for an own message that never reached Stream. */
      rev?: number;
    });

/** Reaction counts for one message (metadata Stream keeps in plain text, see docs/element.md). */
export interface ReactionSummary {
  counts: Record<string, number>;
  own: string[];
}

/** One row of the rendered message list. */
export type ListRow =
  | { kind: 'day'; key: string; date: Date }
  | { kind: 'divider' }
  | { kind: 'entry'; entry: TimelineEntry; groupStart: boolean };

/** Local calendar day, e.g. "2026-11-25". */
export const dayKey = (d: Date) => `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()}`;

/** Messages closer than this from the same sender on the same day share one sender heading. */
export const GROUP_GAP_MS = 5 * 60_000;

/**
 * Turns entries (oldest first) into list rows: a heading per day, a group start whenever the sender changes (or
 * pauses), and a "new messages" divider before the first entry with id `firstUnreadId`.
 */
export function buildRows(entries: readonly TimelineEntry[], firstUnreadId?: string): ListRow[] {
  const rows: ListRow[] = [];
  let prev: TimelineEntry | undefined;
  for (const entry of entries) {
    const newDay = !prev || dayKey(prev.sentAt) !== dayKey(entry.sentAt);
    if (newDay) rows.push({ kind: 'day', key: dayKey(entry.sentAt), date: entry.sentAt });
    const divider = entry.id === firstUnreadId;
    if (divider) rows.push({ kind: 'divider' });
    const groupStart =
      newDay ||
      divider ||
      !prev ||
      prev.from !== entry.from ||
      entry.sentAt.getTime() - prev.sentAt.getTime() > GROUP_GAP_MS;
    rows.push({ kind: 'entry', entry, groupStart });
    prev = entry;
  }
  return rows;
}

/** The first message from someone else sent after `lastRead`, if any. */
export function firstUnread(
  entries: readonly TimelineEntry[],
  me: string,
  lastRead: Date | undefined,
): string | undefined {
  if (!lastRead) return undefined;
  return entries.find((e) => e.from !== me && e.sentAt.getTime() > lastRead.getTime())?.id;
}

export class Timeline {
  readonly #entries = new Map<string, TimelineEntry>();
  readonly reactions = new Map<string, ReactionSummary>();
  /** Sorted entries and reply counts, computed once per change: a render asks for them once per shown message. */
  #index: { sorted: TimelineEntry[]; replies: Map<string, number> } | undefined;

  upsert(entry: TimelineEntry): void {
    this.#entries.set(entry.id, entry);
    this.#index = undefined;
  }

  get(id: string): TimelineEntry | undefined {
    return this.#entries.get(id);
  }

  delete(id: string): void {
    this.#entries.delete(id);
    this.#index = undefined;
  }

  /** Top-level messages, oldest first. */
  main(): TimelineEntry[] {
    return this.#built().sorted.filter((e) => !e.parentId);
  }

  /** Replies in a thread, oldest first. */
  thread(parentId: string): TimelineEntry[] {
    return this.#built().sorted.filter((e) => e.parentId === parentId);
  }

  replyCount(parentId: string): number {
    return this.#built().replies.get(parentId) ?? 0;
  }

  get size(): number {
    return this.#entries.size;
  }

  clear(): void {
    this.#entries.clear();
    this.reactions.clear();
    this.#index = undefined;
  }

  #built(): { sorted: TimelineEntry[]; replies: Map<string, number> } {
    if (this.#index) return this.#index;
    const sorted = [...this.#entries.values()].sort((a, b) => a.sentAt.getTime() - b.sentAt.getTime());
    const replies = new Map<string, number>();
    for (const e of sorted) if (e.parentId) replies.set(e.parentId, (replies.get(e.parentId) ?? 0) + 1);
    return (this.#index = { sorted, replies });
  }
}
