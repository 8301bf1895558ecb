// The decrypted conversation, held only in memory. `clear()` drops every plaintext.
import type { FileRef } from './files.js';
import type { FailureReason } from './ports.js';

export interface TimelineBase {
  id: string;
  cid: string;
  from: string;
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
      /** Attached files, from the verified envelope. */
      files?: FileRef[];
    })
  | (TimelineBase & { kind: 'undecryptable'; reason: FailureReason })
  | (TimelineBase & { kind: 'deleted' });

export class Timeline {
  readonly #entries = new Map<string, TimelineEntry>();

  upsert(entry: TimelineEntry): void {
    this.#entries.set(entry.id, entry);
  }

  get(id: string): TimelineEntry | undefined {
    return this.#entries.get(id);
  }

  delete(id: string): void {
    this.#entries.delete(id);
  }

  /** Top-level messages, oldest first. */
  main(): TimelineEntry[] {
    return this.#sorted().filter((e) => !e.parentId);
  }

  /** Replies in a thread, oldest first. */
  thread(parentId: string): TimelineEntry[] {
    return this.#sorted().filter((e) => e.parentId === parentId);
  }

  replyCount(parentId: string): number {
    let n = 0;
    for (const e of this.#entries.values()) if (e.parentId === parentId) n++;
    return n;
  }

  get size(): number {
    return this.#entries.size;
  }

  clear(): void {
    this.#entries.clear();
  }

  #sorted(): TimelineEntry[] {
    return [...this.#entries.values()].sort((a, b) => a.sentAt.getTime() - b.sentAt.getTime());
  }
}
