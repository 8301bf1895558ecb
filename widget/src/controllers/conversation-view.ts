// The read-only view model of the open conversation, and the intents its views may call. Templates get these, never
// the session: they render a snapshot and report what the user asked for.
import type { Conversation } from '../core/conversation.js';
import type { FileRef } from '../core/files.js';
import { senderName, type SenderName } from '../core/people.js';
import type { ReactionSummary, TimelineEntry } from '../core/timeline.js';

/** Why the composers are blocked: members Stream added whom the user has not confirmed (core/membership.ts). */
/**
 * Why nothing can be sent now: members Stream added whom the user has not confirmed, or members whose key changed
 * and was neither accepted nor verified again (sending would encrypt to a key the user has not agreed to).
 */
export interface ComposerBlock {
  readonly reason: 'unconfirmed-members' | 'key-changed';
  readonly members: readonly string[];
}

/** Why a message's sender is flagged: not a member the user confirmed on this device. */
export type SenderFlag = 'not-a-member';

/** What the conversation views render. Taken after every session change; never changed by the views. */
export interface ConversationView {
  /** The conversation's identity: a new object for each opened conversation (per-conversation view state keys). */
  readonly key: object;
  readonly cid: string;
  /** The user's id. */
  readonly me: string;
  /** The members Stream reports now. */
  readonly members: readonly string[];
  /** Members Stream reports that the user has not confirmed on this device: nothing is encrypted to them. */
  readonly unconfirmed: readonly string[];
  /** Confirmed members Stream no longer reports: nothing is encrypted to them any more. */
  readonly removed: readonly string[];
  /** Why the composers are blocked; undefined when the user can send. */
  readonly composerBlocked: ComposerBlock | undefined;
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
  /** The deployment's organization recipient, which can read this conversation too (core/organization.ts). */
  readonly organization: { readonly name?: string } | undefined;
  entry(id: string): TimelineEntry | undefined;
  thread(parentId: string): readonly TimelineEntry[];
  replyCount(parentId: string): number;
  reactions(id: string): ReactionSummary | undefined;
  /** The portal's name for a member (see core/people.ts). */
  nameOf(id: string): string | undefined;
  /** `not-a-member` when `id` is neither the user nor a member the user confirmed on this device. */
  senderFlag(id: string): SenderFlag | undefined;
  /** A message's sender: the portal's name, else the name in its own envelope marked self-declared, else none. */
  senderName(entry: TimelineEntry): SenderName | undefined;
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
  /** The user confirms members Stream added: they are pinned, and messages are encrypted to them from now on. */
  confirmMembers(ids: readonly string[]): void;
  /** The user took note that pinned members were removed: the notice goes away. */
  acknowledgeRemoved(ids: readonly string[]): void;
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
    /** Contacts whose key changed and was not accepted or verified again. */
    keyChanged?: ReadonlySet<string>;
    /** The organization recipient the session pinned, if any. */
    organization?: { readonly name?: string } | undefined;
  },
): ConversationView {
  const { timeline } = conversation;
  const pinned = conversation.membership.pinned;
  const members = new Set(pinned);
  const unconfirmed = conversation.unconfirmed;
  return {
    key: conversation,
    cid: conversation.cid,
    me: context.me,
    members: [...conversation.members],
    unconfirmed,
    removed: conversation.removed,
    composerBlocked: composerBlock(unconfirmed, conversation.members, context.keyChanged),
    entries: timeline.main(),
    reads: new Map(conversation.reads),
    online: new Set(conversation.online),
    typing: new Map(conversation.typing),
    progress: new Map(conversation.sender.progress),
    hasOlder: conversation.hasOlder,
    lastReadAtOpen: conversation.lastReadAtOpen,
    connected: context.connected,
    sendsDelayed: context.sendsDelayed ?? false,
    organization: context.organization
      ? { ...(context.organization.name ? { name: context.organization.name } : {}) }
      : undefined,
    entry: (id) => timeline.get(id),
    thread: (parentId) => timeline.thread(parentId),
    replyCount: (parentId) => timeline.replyCount(parentId),
    reactions: (id) => timeline.reactions.get(id),
    nameOf: context.nameOf,
    senderFlag: (id) => (pinned && id !== context.me && !members.has(id) ? 'not-a-member' : undefined),
    senderName: (entry) =>
      senderName(context.nameOf(entry.from), entry.kind === 'message' ? entry.senderName : undefined),
  };
}

function composerBlock(
  unconfirmed: readonly string[],
  members: readonly string[],
  keyChanged: ReadonlySet<string> = new Set(),
): ComposerBlock | undefined {
  if (unconfirmed.length) return { reason: 'unconfirmed-members', members: unconfirmed };
  const changed = members.filter((id) => keyChanged.has(id));
  return changed.length ? { reason: 'key-changed', members: changed } : undefined;
}
