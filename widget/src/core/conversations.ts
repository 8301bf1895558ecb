// The user's conversation list: summaries from the chat service, last-message previews decrypted in memory only
// (through the same open/verify path as the timeline). Names come from the portal's contacts, never from Stream.
import { openMessage } from './codec.js';
import { nameOf } from './people.js';
import { shouldMarkRead } from './read-rule.js';
import type { ChatPort, CryptoPort, FailureReason, Person, RevisionLedger, WireMessage } from './ports.js';
import { Revisions } from './revisions.js';
import type { ContactTrust } from './verification.js';

/** One conversation as the chat service reports it: metadata only. */
export interface ConversationSummary {
  cid: string;
  members: string[];
  /** The latest top-level message, if any. */
  last?: WireMessage;
  /** Latest activity: the last message, else the creation time. */
  lastAt: Date;
  unread: number;
  /** Members (other than the user) currently online. */
  online: string[];
}

/** What changed at the chat service: `refetch` when a conversation the client does not know yet appeared. */
export interface ConversationChange {
  refetch?: boolean;
  /** A new top-level message arrived in `cid` from `from`. */
  message?: { cid: string; from: string };
}

/** The conversation part of a chat port (the Stream adapter provides it). */
export interface ConversationSource {
  /** Queries and watches the user's conversations (with presence), latest activity first. */
  query(limit: number): Promise<ConversationSummary[]>;
  /** The current summaries from the client's local state, without a request. */
  snapshot(): ConversationSummary[];
  subscribe(listener: (change: ConversationChange) => void): () => void;
  markRead(cid: string): Promise<void>;
}

export type Preview =
  | { kind: 'none' }
  | { kind: 'decrypting' }
  | { kind: 'text'; text: string }
  | { kind: 'failed'; reason: FailureReason }
  | { kind: 'deleted' }
  /** The sender's key changed and the user has not accepted or verified the new one: the text is not shown. */
  | { kind: 'key-changed' };

export interface ConversationRow {
  cid: string;
  /** The other members' ids. */
  peers: string[];
  /** Display names of the other members from the portal's contacts (undefined when the portal has none). */
  names: (string | undefined)[];
  lastAt: Date;
  unread: number;
  /** True when at least one other member is online. */
  online: boolean;
  preview: Preview;
  /** True when the user sent the last message. */
  lastIsOwn: boolean;
  /** Who sent the last message (the preview's author). */
  lastFrom?: string;
}

/**
 * The preview rule, the same as the conversation's: someone else's text shows only once their current key has been
 * checked on this device (`trustOf` answers) and has not changed since it was first seen or verified; a changed key
 * shows as `key-changed` until the user accepts or verifies it, and an unchecked one as still decrypting.
 */
export function trustedPreview(
  row: ConversationRow,
  trustOf: (id: string) => ContactTrust | undefined,
): Preview {
  const { preview } = row;
  if (preview.kind !== 'text' || row.lastIsOwn || row.lastFrom === undefined) return preview;
  const trust = trustOf(row.lastFrom);
  if (trust === undefined) return { kind: 'decrypting' };
  return trust === 'key-changed' ? { kind: 'key-changed' } : preview;
}

export interface UnreadTotals {
  /** Unread messages over all conversations. */
  total: number;
  /** Conversations with at least one unread message. */
  conversations: number;
}

export interface ConversationListDeps {
  chat: ChatPort;
  source: ConversationSource;
  crypto: CryptoPort;
  me: Person;
  contacts: readonly Person[];
  limit?: number;
  /** False while the page is hidden: the active conversation is then not marked read (see read-rule.ts). */
  pageVisible?: () => boolean;
  /** The device's revision ledger: a preview obeys the same rules as the conversation (see revisions.ts). */
  revisions: RevisionLedger;
}

/** Previews are cut to this many characters: enough for one line, and less plaintext held twice. */
const PREVIEW_LENGTH = 120;

export class ConversationList {
  rows: ConversationRow[] = [];
  /** Called after any change to `rows`. */
  onChange?: () => void;
  /** Called when a new message from someone else arrives (ids only). */
  onIncoming?: (cid: string) => void;
  /** The conversation open next to (or instead of) the list: kept read. */
  active = '';

  readonly #deps: ConversationListDeps;
  readonly #revisions: Revisions;
  readonly #previews = new Map<string, { key: string; preview: Preview }>();
  #unsubscribe?: () => void;
  #closed = false;
  #marking = new Set<string>();

  constructor(deps: ConversationListDeps) {
    this.#deps = deps;
    this.#revisions = new Revisions(deps.revisions, deps.me.id);
  }

  get totals(): UnreadTotals {
    let total = 0;
    let conversations = 0;
    for (const row of this.rows) {
      total += row.unread;
      if (row.unread > 0) conversations++;
    }
    return { total, conversations };
  }

  async load(): Promise<void> {
    const { source } = this.#deps;
    this.#unsubscribe ??= source.subscribe((change) => void this.#onChange(change));
    this.#apply(await source.query(this.#deps.limit ?? 30));
  }

  /** Opens `cid` as the active conversation and marks it read. */
  setActive(cid: string): void {
    this.active = cid;
    this.#apply(this.#deps.source.snapshot());
  }

  nameOf(id: string): string | undefined {
    return nameOf({ me: this.#deps.me, contacts: this.#deps.contacts }, id);
  }

  /** Applies the client's current state again, e.g. once the page is visible and the active conversation is read. */
  refresh(): void {
    this.#apply(this.#deps.source.snapshot());
  }

  /** Unsubscribes and drops every decrypted preview. */
  close(): void {
    this.#closed = true;
    this.#unsubscribe?.();
    this.#previews.clear();
    this.rows = [];
  }

  async #onChange(change: ConversationChange): Promise<void> {
    if (this.#closed) return;
    if (change.refetch) await this.load();
    else this.#apply(this.#deps.source.snapshot());
    const m = change.message;
    if (m && m.from !== this.#deps.me.id) this.onIncoming?.(m.cid);
  }

  #apply(summaries: ConversationSummary[]): void {
    if (this.#closed) return;
    const me = this.#deps.me.id;
    const pageVisible = this.#deps.pageVisible?.() ?? true;
    const readNow = (s: ConversationSummary) =>
      s.cid === this.active && shouldMarkRead({ pageVisible, hasUnread: s.unread > 0 });
    this.rows = summaries
      .filter((s) => s.members.includes(me))
      .sort((a, b) => b.lastAt.getTime() - a.lastAt.getTime())
      .map((s) => {
        const peers = s.members.filter((m) => m !== me);
        return {
          cid: s.cid,
          peers,
          names: peers.map((p) => this.nameOf(p)),
          lastAt: s.lastAt,
          unread: readNow(s) ? 0 : s.unread,
          online: s.online.some((id) => id !== me),
          preview: this.#preview(s),
          lastIsOwn: s.last?.senderId === me,
          ...(s.last ? { lastFrom: s.last.senderId } : {}),
        };
      });
    for (const s of summaries) if (readNow(s)) void this.#markRead(s.cid);
    this.onChange?.();
  }

  async #markRead(cid: string): Promise<void> {
    if (this.#marking.has(cid)) return;
    this.#marking.add(cid);
    try {
      await this.#deps.source.markRead(cid);
    } catch {
      // Best effort: the count corrects itself on the next read.
    } finally {
      this.#marking.delete(cid);
    }
  }

  /** A cached preview for the last message, or starts decrypting it. */
  #preview(s: ConversationSummary): Preview {
    const last = s.last;
    if (!last) return { kind: 'none' };
    const key = `${last.id}@${(last.updatedAt ?? last.createdAt).getTime()}`;
    const cached = this.#previews.get(s.cid);
    if (cached?.key === key) return cached.preview;
    const pending: Preview = { kind: 'decrypting' };
    this.#previews.set(s.cid, { key, preview: pending });
    void openMessage(this.#deps.crypto, this.#deps.chat, last)
      .then((entry) => this.#revisions.check(entry))
      .then((entry) => {
        if (this.#closed || this.#previews.get(s.cid)?.key !== key) return;
        const preview: Preview =
          entry.kind === 'message'
            ? { kind: 'text', text: entry.text.replace(/\s+/g, ' ').trim().slice(0, PREVIEW_LENGTH) }
            : entry.kind === 'undecryptable'
              ? { kind: 'failed', reason: entry.reason }
              : entry.kind === 'deleted'
                ? { kind: 'deleted' }
                : pending;
        this.#previews.set(s.cid, { key, preview });
        this.#apply(this.#deps.source.snapshot());
      });
    return pending;
  }
}
