// The read-only view model of the open conversation, and the intents its views may call. Templates get these, never
// the session: they render a snapshot and report what the user asked for.
import type { Conversation } from '../core/conversation.js';
import type { FileRef } from '../core/files.js';
import type { ReactionSummary, TimelineEntry } from '../core/timeline.js';

/** What the conversation views render. Taken after every session change; never changed by the views. */
export interface ConversationView {
  /** The conversation's identity: a new object for each opened conversation (per-conversation view state keys). */
  readonly key: object;
  readonly cid: string;
  /** The user's id. */
  readonly me: string;
  readonly members: readonly string[];
  /** Top-level entries, oldest first. */
  readonly entries: readonly TimelineEntry[];
  readonly reads: ReadonlyMap<string, Date>;
  readonly online: ReadonlySet<string>;
  /** Members typing now → the thread they type in ('' for the main list). */
  readonly typing: ReadonlyMap<string, string>;
  /** Upload progress (0–1) of own messages with files. */
  readonly progress: ReadonlyMap<string, number>;
  readonly hasOlder: boolean;
  readonly lastReadAtOpen: Date | undefined;
  /** False while the realtime connection is down (sends wait). */
  readonly connected: boolean;
  /** True while a send waits out the service's rate limit. */
  readonly sendsDelayed: boolean;
  entry(id: string): TimelineEntry | undefined;
  thread(parentId: string): readonly TimelineEntry[];
  replyCount(parentId: string): number;
  reactions(id: string): ReactionSummary | undefined;
  /** The portal's name for a member (see core/people.ts). */
  nameOf(id: string): string | undefined;
}

/** What the conversation views may ask for. Failures are reported by the controller, not thrown at the view. */
export interface ConversationIntents {
  retry(id: string): void;
  deleteMessage(id: string): void;
  react(id: string, type: string, on: boolean): void;
  /** Pages in older history; resolves with how many messages arrived (0 offline or at the beginning). */
  loadOlder(): Promise<number>;
  /** Decrypts messages that scrolled into view. */
  decrypt(ids: readonly string[]): void;
  /** The user is at the newest message: mark read, if the read rule allows it. */
  markRead(): void;
  typed(parentId?: string): void;
  /** Downloads, decrypts and verifies an attached file; `signal` (and a lock) aborts it. */
  openFile(
    entry: { from: string; sentAt: Date },
    ref: FileRef,
    onProgress?: (fraction: number) => void,
    signal?: AbortSignal,
  ): Promise<Blob>;
}

/** A snapshot of `conversation` for the views. Lists are copied; lookups read the conversation's own indexes. */
export function conversationView(
  conversation: Conversation,
  context: {
    me: string;
    connected: boolean;
    sendsDelayed?: boolean;
    nameOf: (id: string) => string | undefined;
  },
): ConversationView {
  const { timeline } = conversation;
  return {
    key: conversation,
    cid: conversation.cid,
    me: context.me,
    members: [...conversation.members],
    entries: timeline.main(),
    reads: new Map(conversation.reads),
    online: new Set(conversation.online),
    typing: new Map(conversation.typing),
    progress: new Map(conversation.sender.progress),
    hasOlder: conversation.hasOlder,
    lastReadAtOpen: conversation.lastReadAtOpen,
    connected: context.connected,
    sendsDelayed: context.sendsDelayed ?? false,
    entry: (id) => timeline.get(id),
    thread: (parentId) => timeline.thread(parentId),
    replyCount: (parentId) => timeline.replyCount(parentId),
    reactions: (id) => timeline.reactions.get(id),
    nameOf: context.nameOf,
  };
}
