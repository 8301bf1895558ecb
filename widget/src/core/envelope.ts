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
  /** Edit revision: absent for the original, 1, 2, … for edits. */
  rev?: number;
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
  const c = e.content as Record<string, unknown> | undefined;
  if (!c || typeof c !== 'object') return undefined;
  if (!isOptString(c.text) || !isOptString(c.quote) || !isOptString(c.parent)) return undefined;
  if (c.files !== undefined && !Array.isArray(c.files)) return undefined;
  return e as unknown as Envelope;
}

/**
 * How far the signed `ts` may be from Stream's time: covers the sender's clock error left after correction, and
 * the time between sealing and Stream storing the message (a retried send is sealed again).
 */
export const SIGNED_TIME_TOLERANCE_MS = 10 * 60_000;

/**
 * True when the signed time agrees with Stream's: an original within the tolerance of `created_at`; an edit after
 * `created_at` and before `updated_at` (which reactions also move later), with the tolerance on both sides.
 */
export function signedTimeAgrees(envelope: Envelope, wire: { createdAt: Date; updatedAt?: Date }): boolean {
  const created = wire.createdAt.getTime();
  if (!envelope.rev) return Math.abs(envelope.ts - created) <= SIGNED_TIME_TOLERANCE_MS;
  const latest = Math.max(created, wire.updatedAt?.getTime() ?? created);
  return (
    envelope.ts >= created - SIGNED_TIME_TOLERANCE_MS && envelope.ts <= latest + SIGNED_TIME_TOLERANCE_MS
  );
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
