// Revisions only go forward: the server may put an older ciphertext of a message back (an edit undone, a deletion
// undone) or flag a message deleted that its sender never deleted. Each verified revision is recorded in the
// device's RevisionLedger; an older one is shown as `rolled-back`, and Stream's delete counts only with a tombstone.
import type { RevisionLedger, SeenRevision } from './ports.js';
import type { TimelineEntry } from './timeline.js';

/** The signed revision an opened entry carries: a verified message's, or a verified tombstone's. */
export function signedRevision(entry: TimelineEntry): SeenRevision | undefined {
  if (entry.kind === 'message' && !entry.pending && !entry.failed)
    return { rev: entry.rev, tombstone: false };
  if (entry.kind === 'deleted' && entry.rev !== undefined) return { rev: entry.rev, tombstone: true };
  return undefined;
}

/** True when `a` is a later revision than `b`: a higher number, or a tombstone of the same one. */
export function isLater(a: SeenRevision, b: SeenRevision): boolean {
  return a.rev > b.rev || (a.rev === b.rev && a.tombstone && !b.tombstone);
}

/** One signed-in user's view of the ledger. A ledger that fails (storage unavailable) never hides a message. */
export class Revisions {
  readonly #byConversation = new Map<string, Promise<Map<string, SeenRevision>>>();

  constructor(
    private readonly ledger: RevisionLedger,
    private readonly owner: string,
  ) {}

  /**
   * Applies the rule to an opened entry: a verified revision older than the highest seen becomes `rolled-back`
   * (at the signed time it was sent, so it keeps its place); a newer one is recorded; an equal one is shown again. A message Stream reports deleted
   * stays `removed-by-server` unless this device verified its sender's tombstone, then it is deleted.
   */
  async check(entry: TimelineEntry): Promise<TimelineEntry> {
    const opened = signedRevision(entry);
    const removed = entry.kind === 'undecryptable' && entry.reason === 'removed-by-server';
    if (!opened && !removed) return entry;
    const seen = await this.highest(entry.cid, entry.id);
    const { id, cid, from, sentAt, parentId } = entry;
    const base = { id, cid, from, sentAt, ...(parentId ? { parentId } : {}) };
    if (!opened) return seen?.tombstone ? { ...base, kind: 'deleted', rev: seen.rev } : entry;
    if (seen && seen.rev > opened.rev) return { ...base, kind: 'undecryptable', reason: 'rolled-back' };
    // Two of the sender's devices sealed the same revision, one a tombstone: the deletion wins.
    if (seen && isLater(seen, opened)) return { ...base, kind: 'deleted', rev: seen.rev };
    if (!seen || isLater(opened, seen)) await this.record(cid, id, opened.rev, opened.tombstone);
    return entry;
  }

  /** The highest revision seen of a message: the conversation's records are read once, then kept in memory. */
  async highest(cid: string, mid: string): Promise<SeenRevision | undefined> {
    return (await this.#seen(cid)).get(mid);
  }

  /** Records a revision this device verified or sealed itself. Revision 0 needs no record: nothing is older. */
  async record(cid: string, mid: string, rev: number, tombstone = false): Promise<void> {
    if (rev === 0 && !tombstone) return;
    const seen = await this.#seen(cid);
    const previous = seen.get(mid);
    if (!previous || isLater({ rev, tombstone }, previous)) seen.set(mid, { rev, tombstone });
    await this.ledger.record(this.owner, cid, mid, rev, tombstone).catch(() => {});
  }

  // One read per conversation instead of one per opened message (a 1,000-message history is 1,000 otherwise). A
  // revision another tab records meanwhile is caught at the next open.
  #seen(cid: string): Promise<Map<string, SeenRevision>> {
    let seen = this.#byConversation.get(cid);
    if (!seen) {
      seen = this.ledger.conversation(this.owner, cid).catch(() => new Map<string, SeenRevision>());
      this.#byConversation.set(cid, seen);
    }
    return seen;
  }
}
