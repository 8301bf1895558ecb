// The plaintext that is encrypted for every message: binds the content to its conversation, id and sender.
import type { SealedFile } from './files.js';

export const ENVELOPE_VERSION = 1;

/** Text Stream stores in `message.text`, so pushes and server logs never hold PHI. */
export const PLACEHOLDER_TEXT = 'New secure message';

export interface EnvelopeContent {
  text?: string;
  /** Id of a quoted message. */
  quote?: string;
  /** Id of the thread parent. */
  parent?: string;
  /** Attached files: each is encrypted to the members on its own (E3Kit file encryption), so no key is needed here. */
  files?: SealedFile[];
}

export interface Envelope {
  v: typeof ENVELOPE_VERSION;
  cid: string;
  mid: string;
  from: string;
  /**
   * When this revision was sealed (ms, the sender's clock corrected to the token API's): the creation time of an
   * original, the edit time of an edit. Picks the sender's key to verify with and must agree with Stream's times.
   */
  ts: number;
  /** The sender's display name, as the portal told the sender. */
  name?: string;
  /** Edit revision: absent for the original, 1, 2, … for edits (a tombstone is the last edit). */
  rev?: number;
  /**
   * Edits and tombstones: the signed `ts` of the original (rev 0), so the message keeps its place in the timeline
   * whatever times the server reports. Absent in edits sealed before it existed.
   */
  created?: number;
  /**
   * A tombstone: the sender deleted the message. Always an edit (`rev` ≥ 1); its content keeps only the thread and
   * quote the message is bound to, never text or files.
   */
  deleted?: true;
  content: EnvelopeContent;
}

export function encodeEnvelope(envelope: Envelope): string {
  return JSON.stringify(envelope);
}

const isString = (x: unknown): x is string => typeof x === 'string';
const isOptString = (x: unknown): x is string | undefined => x === undefined || typeof x === 'string';

/** Parses and validates decrypted envelope JSON; returns undefined for anything malformed. */
export function parseEnvelope(json: string): Envelope | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (!raw || typeof raw !== 'object') return undefined;
  const e = raw as Record<string, unknown>;
  if (e.v !== ENVELOPE_VERSION || !isString(e.cid) || !isString(e.mid) || !isString(e.from)) return undefined;
  if (typeof e.ts !== 'number' || !Number.isFinite(e.ts) || !isOptString(e.name)) return undefined;
  if (e.rev !== undefined && (typeof e.rev !== 'number' || !Number.isInteger(e.rev) || e.rev < 0))
    return undefined;
  if (e.created !== undefined && (typeof e.created !== 'number' || !Number.isFinite(e.created)))
    return undefined;
  const c = e.content as Record<string, unknown> | undefined;
  if (!c || typeof c !== 'object') return undefined;
  if (!isOptString(c.text) || !isOptString(c.quote) || !isOptString(c.parent)) return undefined;
  if (c.files !== undefined && !Array.isArray(c.files)) return undefined;
  if (e.deleted !== undefined) {
    // A tombstone replaces a revision the sender sealed before: never the original, never with content.
    if (e.deleted !== true || !e.rev || c.text !== undefined || c.files !== undefined) return undefined;
  }
  return e as unknown as Envelope;
}

/**
 * How far the signed `ts` may be from Stream's time: covers the sender's clock error left after correction, and
 * the time between sealing and Stream storing the message (a retried send is sealed again).
 */
export const SIGNED_TIME_TOLERANCE_MS = 10 * 60_000;

/**
 * True when the signed time agrees with Stream's: an original within the tolerance of `created_at`; an edit after
 * `created_at` and before `updated_at` (which reactions also move later), with the tolerance on both sides, and the
 * original's signed time it carries (`created`) within the tolerance of `created_at`.
 */
export function signedTimeAgrees(envelope: Envelope, wire: { createdAt: Date; updatedAt?: Date }): boolean {
  const created = wire.createdAt.getTime();
  if (!envelope.rev) return Math.abs(envelope.ts - created) <= SIGNED_TIME_TOLERANCE_MS;
  if (envelope.created !== undefined && Math.abs(envelope.created - created) > SIGNED_TIME_TOLERANCE_MS)
    return false;
  const latest = Math.max(created, wire.updatedAt?.getTime() ?? created);
  return (
    envelope.ts >= created - SIGNED_TIME_TOLERANCE_MS && envelope.ts <= latest + SIGNED_TIME_TOLERANCE_MS
  );
}

/**
 * The signed time a verified message is shown at and ordered by: an original's `ts`; an edit's or tombstone's
 * `created` (the original's `ts`), so edits keep their place. Edits sealed before `created` existed fall back to
 * Stream's `created_at`, which signedTimeAgrees bounds only from above for them.
 */
export function signedSentAt(envelope: Envelope, wire: { createdAt: Date }): Date {
  if (!envelope.rev) return new Date(envelope.ts);
  return envelope.created !== undefined ? new Date(envelope.created) : wire.createdAt;
}

/** True when the envelope names exactly the conversation, id, sender, thread and quote Stream reports. */
export function envelopeMatches(
  envelope: Envelope,
  wire: { id: string; cid: string; senderId: string; parentId?: string; quotedId?: string },
): boolean {
  return (
    envelope.cid === wire.cid &&
    envelope.mid === wire.id &&
    envelope.from === wire.senderId &&
    (envelope.content.parent ?? '') === (wire.parentId ?? '') &&
    (wire.quotedId === undefined || envelope.content.quote === wire.quotedId)
  );
}
