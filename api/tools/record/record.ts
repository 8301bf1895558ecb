/**
 * @module
 * The exported record, independent of its formats: one entry per message (its current revision: Stream keeps no
 * older ones), in the order of their signed times, with its verification status. Failures are entries too.
 */
import type { FailureReason } from '../../../widget/src/core/ports.js';

export type RecordStatus = 'verified' | 'deleted' | FailureReason;

export interface RecordFile {
  readonly name: string;
  readonly type: string;
  readonly size: number;
  /** Where the decrypted file was written, relative to the export folder; absent when it failed. */
  readonly path?: string;
  readonly failure?: FailureReason | 'unavailable';
}

export interface RecordEntry {
  readonly cid: string;
  readonly id: string;
  /** The sender's chat id, as Stream reports it (verified entries: as the signed envelope names it too). */
  readonly from: string;
  /** The signed time of the original (failures: Stream's time, unverified). */
  readonly sentAt: Date;
  /** Stream's time of the last change, when it differs (an edit or a tombstone). */
  readonly updatedAt?: Date;
  readonly status: RecordStatus;
  readonly text?: string;
  /** 0 for the original; each edit adds one. */
  readonly rev: number;
  readonly parentId?: string;
  readonly quoteId?: string;
  readonly files: readonly RecordFile[];
}

/** A member as the export names them: the portal subject when the operator gave it, else the opaque chat id. */
export interface Participant {
  readonly id: string;
  readonly subject?: string;
}

export interface RecordConversation {
  readonly cid: string;
  readonly members: readonly Participant[];
  readonly entries: readonly RecordEntry[];
}

export interface RecordMeta {
  readonly exportedAt: Date;
  readonly actor: string;
  readonly justification: string;
  readonly approvers: readonly string[];
  readonly since?: Date;
  readonly until?: Date;
  /** The identifier system of portal subjects (FHIR `Identifier.system`). */
  readonly subjectSystem: string;
}

/** What each failure means, for people reading the transcript and the Bundle. */
export const STATUS_TEXT: Record<RecordStatus, string> = {
  verified: 'verified: signed by its sender',
  deleted: 'deleted by its sender (signed tombstone)',
  'unverified-sender': "NOT VERIFIED: the signature does not match the sender's key",
  'unknown-sender': 'NOT VERIFIED: the sender has no key in the directory',
  'not-for-this-device': 'NOT READABLE: not encrypted to the organization key',
  'previous-key': 'NOT READABLE: encrypted to a replaced key',
  tampered: 'NOT VERIFIED: the ciphertext or envelope was changed',
  misplaced: 'NOT VERIFIED: the envelope belongs to another message, conversation or sender',
  'not-encrypted': 'NOT VERIFIED: the message carries no ciphertext',
  unavailable: 'NOT READABLE: the encrypted content could not be fetched',
  'time-mismatch': "NOT VERIFIED: the signed time disagrees with the server's",
  'rolled-back': 'NOT VERIFIED: an older revision was put back',
  'removed-by-server': 'REMOVED BY THE SERVER without a tombstone from its sender',
  'stale-key': 'NOT VERIFIED: verified only by a long-replaced key',
};

/** Entries in record order: signed time, then id (stable across runs). */
export function inRecordOrder(entries: readonly RecordEntry[]): RecordEntry[] {
  return [...entries].sort((a, b) => a.sentAt.getTime() - b.sentAt.getTime() || (a.id < b.id ? -1 : 1));
}
