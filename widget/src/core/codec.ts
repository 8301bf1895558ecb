// Seals outgoing messages into envelopes and opens incoming ones. Every send, edit, thread reply and quoted reply
// goes through sealMessage; every received message through openMessage.
import {
  ENVELOPE_VERSION,
  encodeEnvelope,
  envelopeMatches,
  parseEnvelope,
  type EnvelopeContent,
} from './envelope.js';
import { fileRefs } from './files.js';
import type { ChatPort, CryptoPort, DecryptResult, OutgoingWire, WireMessage } from './ports.js';
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
  content: EnvelopeContent;
  /** 0 for a new message, incremented by each edit. */
  rev: number;
  now: number;
  parentId?: string;
  quotedId?: string;
  /** Told which members have no key yet (not registered): the message is sealed without them. */
  onUnreadableBy?: (memberIds: string[]) => void;
}

/** Encrypts an envelope to all members (sender included); uploads it when it is too large to inline. */
export async function sealMessage(crypto: CryptoPort, chat: ChatPort, args: SealArgs): Promise<OutgoingWire> {
  const members = args.members.includes(args.from) ? args.members : [...args.members, args.from];
  const recipients = await crypto.lookup(members);
  args.onUnreadableBy?.(members.filter((id) => !recipients.ids.includes(id)));
  const plaintext = encodeEnvelope({
    v: ENVELOPE_VERSION,
    cid: args.cid,
    mid: args.mid,
    from: args.from,
    ts: args.now,
    ...(args.name ? { name: args.name } : {}),
    ...(args.rev > 0 ? { rev: args.rev } : {}),
    content: args.content,
  });
  const wire: OutgoingWire = { id: args.mid, secure: { v: 1 } };
  if (args.parentId) wire.parentId = args.parentId;
  if (args.quotedId) wire.quotedId = args.quotedId;
  const ct = await crypto.encrypt(plaintext, recipients);
  if (ct.length <= MAX_INLINE_CIPHERTEXT) {
    wire.secure.ct = ct;
  } else {
    const blob = await crypto.encryptToBlob(plaintext, recipients);
    wire.secure.file = await chat.upload(args.cid, blob);
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

/** Decrypts and checks one Stream message. Never throws: failures become `undecryptable` entries. */
export async function openMessage(
  crypto: CryptoPort,
  chat: ChatPort,
  wire: WireMessage,
): Promise<TimelineEntry> {
  if (wire.deleted) return { ...base(wire), kind: 'deleted' };
  const secure = wire.secure;
  if (!secure || secure.v !== 1 || (!secure.ct && !secure.file)) {
    return { ...base(wire), kind: 'undecryptable', reason: 'not-encrypted' };
  }
  const signedAt = wire.updatedAt ?? wire.createdAt;
  let result: DecryptResult;
  try {
    if (secure.ct) {
      const ct = secure.ct;
      result = await withCardRefresh((refresh) => crypto.decrypt(ct, wire.senderId, signedAt, { refresh }));
    } else {
      let blob: Blob;
      try {
        blob = await chat.download(secure.file as string);
      } catch {
        return { ...base(wire), kind: 'undecryptable', reason: 'unavailable' };
      }
      result = await withCardRefresh((refresh) =>
        crypto.decryptBlob(blob, wire.senderId, signedAt, { refresh }),
      );
    }
  } catch {
    result = { ok: false, reason: 'tampered' };
  }
  if (!result.ok) return { ...base(wire), kind: 'undecryptable', reason: result.reason };
  const envelope = parseEnvelope(result.plaintext);
  if (!envelope) return { ...base(wire), kind: 'undecryptable', reason: 'tampered' };
  if (!envelopeMatches(envelope, wire)) return { ...base(wire), kind: 'undecryptable', reason: 'misplaced' };
  return {
    ...base(wire),
    kind: 'message',
    text: envelope.content.text ?? '',
    ...(envelope.content.quote ? { quoteId: envelope.content.quote } : {}),
    ...(envelope.name ? { senderName: envelope.name } : {}),
    ...(envelope.content.files ? { files: fileRefs(envelope.content.files) } : {}),
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
