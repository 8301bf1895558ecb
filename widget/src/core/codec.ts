// Seals outgoing messages into envelopes and opens incoming ones. Every send, edit, thread reply and quoted reply
// goes through sealMessage; every received message through openMessage.
import {
  ENVELOPE_VERSION,
  encodeEnvelope,
  envelopeMatches,
  parseEnvelope,
  signedSentAt,
  signedTimeAgrees,
  SIGNED_TIME_TOLERANCE_MS,
  type EnvelopeContent,
} from './envelope.js';
import { fileRefs, sealFileList, sha256, type FileRef } from './files.js';
import { recipientsWithOrganization, type OrganizationKey } from './organization.js';
import type { ChatPort, CryptoPort, DecryptResult, KeyValidity, OutgoingWire, WireMessage } from './ports.js';
import type { TimelineEntry } from './timeline.js';

/**
 * Largest inline ciphertext (base64 chars) kept in the Stream message's custom field. Stream limits a message's
 * custom data to 5 KB; the ciphertext grows by roughly 250 chars per member, so big groups and long texts go
 * through the channel upload instead.
 */
export const MAX_INLINE_CIPHERTEXT = 4000;

export interface SealArgs {
  cid: string;
  mid: string;
  from: string;
  name?: string;
  members: readonly string[];
  /** The deployment's pinned organization key: sealed to as well, or nothing is sealed (core/organization.ts). */
  organization?: OrganizationKey;
  /** The content; files as the timeline holds them (each becomes an attachment, see sealFileList). */
  content: Omit<EnvelopeContent, 'files'> & { files?: readonly FileRef[] };
  /** 0 for a new message, incremented by each edit. */
  rev: number;
  /** Edits and tombstones: the signed time of the original, so the message keeps its place. */
  created?: number;
  /** Seals a tombstone: the content keeps only its thread and quote. */
  deleted?: boolean;
  now: number;
  parentId?: string;
  quotedId?: string;
  /** Told which members have no key yet (not registered): the message is sealed without them. */
  onUnreadableBy?: (memberIds: string[]) => void;
}

/**
 * Encrypts an envelope to all members (sender included), and to the organization key when one is pinned. Files are attachments of the message; an envelope too
 * large to inline is uploaded and attached last, and `e2ee` then points at it (index and SHA-256). The pointer is
 * not signed on its own: the uploaded envelope is, and it names the conversation, message and sender.
 */
export async function sealMessage(crypto: CryptoPort, chat: ChatPort, args: SealArgs): Promise<OutgoingWire> {
  const members = args.members.includes(args.from) ? args.members : [...args.members, args.from];
  const recipients = await recipientsWithOrganization(crypto, members, args.organization);
  args.onUnreadableBy?.(members.filter((id) => !recipients.ids.includes(id)));
  const { files, attachments } = sealFileList(args.content.files ?? []);
  const { files: _refs, ...content } = args.content;
  const plaintext = encodeEnvelope({
    v: ENVELOPE_VERSION,
    cid: args.cid,
    mid: args.mid,
    from: args.from,
    ts: args.now,
    ...(args.name ? { name: args.name } : {}),
    ...(args.rev > 0 ? { rev: args.rev } : {}),
    ...(args.rev > 0 && args.created !== undefined ? { created: args.created } : {}),
    ...(args.deleted ? { deleted: true as const } : {}),
    content: args.deleted
      ? {
          ...(content.parent ? { parent: content.parent } : {}),
          ...(content.quote ? { quote: content.quote } : {}),
        }
      : { ...content, ...(files.length ? { files } : {}) },
  });
  const wire: OutgoingWire = { id: args.mid, secure: { v: 1 } };
  if (attachments.length) wire.attachments = attachments;
  if (args.parentId) wire.parentId = args.parentId;
  if (args.quotedId) wire.quotedId = args.quotedId;
  const ct = await crypto.encrypt(plaintext, recipients);
  if (ct.length <= MAX_INLINE_CIPHERTEXT) {
    wire.secure.ct = ct;
  } else {
    const blob = await crypto.encryptToBlob(plaintext, recipients);
    const [hash, url] = await Promise.all([sha256(blob), chat.upload(args.cid, blob)]);
    wire.secure = { v: 1, att: attachments.length, sha256: hash };
    wire.attachments = [...attachments, url];
  }
  return wire;
}

function base(wire: WireMessage) {
  return {
    id: wire.id,
    cid: wire.cid,
    from: wire.senderId,
    sentAt: wire.createdAt,
    ...(wire.parentId ? { parentId: wire.parentId } : {}),
  };
}

type Decrypt = (at: Date, refresh: boolean) => Promise<DecryptResult>;

/** The uploaded envelope an `e2ee` pointer names, checked against its SHA-256; or why it can't be had. */
async function uploadedEnvelope(
  chat: Pick<ChatPort, 'download'>,
  wire: WireMessage,
): Promise<Blob | 'unavailable' | 'tampered'> {
  const secure = wire.secure;
  const attached = secure?.att !== undefined;
  const url = attached ? wire.attachments?.[secure.att as number] : secure?.file;
  if (!url) return 'unavailable';
  let blob: Blob;
  try {
    blob = await chat.download(url);
  } catch {
    return 'unavailable';
  }
  if (attached && (await sha256(blob)) !== secure.sha256) return 'tampered';
  return blob;
}

/**
 * True when `t` lies in the key's period, widened by the tolerance: key periods come from card times, which the
 * rotating device's clock set.
 */
const within = (t: number, valid: KeyValidity) =>
  (valid.from === undefined || t >= valid.from - SIGNED_TIME_TOLERANCE_MS) &&
  (valid.until === undefined || t < valid.until + SIGNED_TIME_TOLERANCE_MS);

export interface OpenOptions {
  /** The message arrived as a live `new` event (not history, not a resync): see the stale-key rule below. */
  live?: boolean;
  /** Now (ms, the token API's clock), for the stale-key rule. */
  now?: number;
}

/**
 * Decrypts and checks one Stream message. Never throws: failures become `undecryptable` entries.
 *
 * Deletion: Stream's `deleted` flag is the server's word only, so a deleted Stream message is `removed-by-server`
 * here (core/revisions.ts turns it into "deleted" when this device has seen the sender's tombstone). A sender's
 * deletion is a signed tombstone, opened like any revision.
 *
 * Signing time: the envelope's signed `ts`, never Stream's `updated_at` (which reactions move). The signature is
 * verified with the sender's key at `created_at`, else at `updated_at` (an edit after a key change), else at
 * `created_at` minus, then plus, the tolerance; then `ts` must agree with Stream's times (see signedTimeAgrees) and lie in the
 * verifying key's period (widened by the tolerance), or the message is verified again with the key held at `ts`.
 * A live message whose verifying key was replaced more than the tolerance before now is `stale-key`: only a server
 * backdating it (or holding it back) makes a message signed in an old key's period arrive now.
 *
 * A verified entry's `sentAt` is the signed time of its original revision (see signedSentAt).
 */
export async function openMessage(
  crypto: Pick<CryptoPort, 'decrypt' | 'decryptBlob'>,
  chat: Pick<ChatPort, 'download'>,
  wire: WireMessage,
  opts: OpenOptions = {},
): Promise<TimelineEntry> {
  if (wire.deleted) return { ...base(wire), kind: 'undecryptable', reason: 'removed-by-server' };
  const secure = wire.secure;
  if (!secure || secure.v !== 1 || (!secure.ct && !secure.file && secure.att === undefined)) {
    return { ...base(wire), kind: 'undecryptable', reason: 'not-encrypted' };
  }
  let decrypt: Decrypt;
  if (secure.ct) {
    const ct = secure.ct;
    decrypt = (at, refresh) => crypto.decrypt(ct, wire.senderId, at, { refresh });
  } else {
    const blob = await uploadedEnvelope(chat, wire);
    if (typeof blob === 'string') return { ...base(wire), kind: 'undecryptable', reason: blob };
    decrypt = (at, refresh) => crypto.decryptBlob(blob, wire.senderId, at, { refresh });
  }
  const attempt: Decrypt = async (at, refresh) => {
    try {
      return await decrypt(at, refresh);
    } catch {
      return { ok: false, reason: 'tampered' };
    }
  };
  let result = await withCardRefresh((refresh) => attempt(wire.createdAt, refresh));
  // An edit made after a key change; then the keys just before and after Stream's time: card times are whole
  // seconds of the rotating device's clock, so a key change moments before or after the message may look reversed.
  const created = wire.createdAt.getTime();
  const others = [
    wire.updatedAt,
    new Date(created - SIGNED_TIME_TOLERANCE_MS),
    new Date(created + SIGNED_TIME_TOLERANCE_MS),
  ];
  for (const at of others) {
    if (result.ok || result.reason !== 'unverified-sender') break;
    if (at) result = await attempt(at, false);
  }
  if (!result.ok) return { ...base(wire), kind: 'undecryptable', reason: result.reason };
  const envelope = parseEnvelope(result.plaintext);
  if (!envelope) return { ...base(wire), kind: 'undecryptable', reason: 'tampered' };
  if (!envelopeMatches(envelope, wire)) return { ...base(wire), kind: 'undecryptable', reason: 'misplaced' };
  if (!signedTimeAgrees(envelope, wire))
    return { ...base(wire), kind: 'undecryptable', reason: 'time-mismatch' };
  let keyValid = result.keyValid;
  if (keyValid && !within(envelope.ts, keyValid)) {
    // Verified by a key the sender did not hold at the signed time: only the key of that time may vouch for it.
    const again = await attempt(new Date(envelope.ts), false);
    const vouched =
      again.ok && again.plaintext === result.plaintext && within(envelope.ts, again.keyValid ?? {});
    if (!vouched) return { ...base(wire), kind: 'undecryptable', reason: 'unverified-sender' };
    keyValid = again.keyValid;
  }
  const replaced = keyValid?.until;
  const stale =
    replaced !== undefined && opts.now !== undefined && replaced < opts.now - SIGNED_TIME_TOLERANCE_MS;
  if (opts.live && stale) return { ...base(wire), kind: 'undecryptable', reason: 'stale-key' };
  const sentAt = signedSentAt(envelope, wire);
  if (envelope.deleted) return { ...base(wire), sentAt, kind: 'deleted', rev: envelope.rev ?? 0 };
  return {
    ...base(wire),
    sentAt,
    kind: 'message',
    text: envelope.content.text ?? '',
    ...(envelope.content.quote ? { quoteId: envelope.content.quote } : {}),
    ...(envelope.name ? { senderName: envelope.name } : {}),
    ...(envelope.content.files ? { files: fileRefs(envelope.content.files, wire.attachments) } : {}),
    edited: (envelope.rev ?? 0) > 0,
    rev: envelope.rev ?? 0,
  };
}

/** A verification failure may mean the sender changed keys: refetch their card once and retry. */
async function withCardRefresh(
  attempt: (refresh: boolean) => Promise<DecryptResult>,
): Promise<DecryptResult> {
  const first = await attempt(false);
  if (first.ok || (first.reason !== 'unverified-sender' && first.reason !== 'unknown-sender')) return first;
  return attempt(true);
}
