// What a Conversation is built from and what it reports (kept apart from conversation.ts to keep it small).
import type { OrganizationKey } from './organization.js';
import type { Outbox } from './outbox.js';
import type { ChatPort, CryptoPort, FailureReason, Person, PinnedMembers, WireEventKind } from './ports.js';
import type { Revisions } from './revisions.js';

export type MessageTrust = 'verified' | FailureReason | 'deleted';

/** A message was received, loaded or changed: ids and trust only, never plaintext. */
export interface MessageReport {
  id: string;
  cid: string;
  from: string;
  trust: MessageTrust;
  change: WireEventKind | 'history';
}

export interface ConversationDeps {
  cid: string;
  me: Person;
  chat: ChatPort;
  crypto: CryptoPort;
  outbox: Outbox;
  /** The members the user agreed to, per conversation, on this device. */
  pinned: PinnedMembers;
  /** Members the `/v1/channels` answer confirmed, when the conversation was opened through it. */
  confirmed?: readonly string[];
  /** The deployment's pinned organization key, sealed to as well (core/organization.ts). */
  organization?: OrganizationKey;
  /** The highest revision seen of each message, on this device (see revisions.ts). */
  revisions: Revisions;
  now: () => number;
  newId: () => string;
  /** False while the page is hidden: see read-rule.ts. */
  pageVisible: () => boolean;
  /** Anything shown changed. */
  onChange: () => void;
  onMessage: (report: MessageReport) => void;
}
