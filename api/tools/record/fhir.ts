/**
 * @module
 * The record as a FHIR R4 `Bundle` (type `collection`) of `Communication` resources, typed with `@types/fhir`.
 * One Communication per message: `completed` when verified, `entered-in-error` when its sender deleted it (signed
 * tombstone), `unknown` with a `statusReason` when it failed verification. Authors and recipients are portal subjects
 * (`Identifier` in the deployment's subject system), or the opaque chat id when the operator did not name them.
 * Thread replies point at their parent through `inResponseTo`; files are `contentAttachment`s whose `url` is the
 * decrypted file's path beside the Bundle.
 */
import { createHash } from 'node:crypto';
import type { Attachment, Bundle, Communication, Reference } from 'fhir/r4.js';
import {
  STATUS_TEXT,
  inRecordOrder,
  type Participant,
  type RecordConversation,
  type RecordEntry,
  type RecordMeta,
} from './record.js';

export const MESSAGE_SYSTEM = 'urn:secure-chat:message';
export const CHAT_ID_SYSTEM = 'urn:secure-chat:chat-user-id';
export const VERIFICATION_SYSTEM = 'urn:secure-chat:verification';
export const REVISION_EXTENSION = 'urn:secure-chat:revision';

/** A stable UUID (SHA-256 based, version nibble 5 style) for a message, so re-exports name it the same. */
export function uuidFor(text: string): string {
  const h = createHash('sha256').update(text).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function personRef(p: Participant, system: string): Reference {
  return p.subject !== undefined
    ? { identifier: { system, value: p.subject }, display: p.subject }
    : { identifier: { system: CHAT_ID_SYSTEM, value: p.id }, display: `chat user ${p.id}` };
}

function attachmentOf(file: RecordEntry['files'][number]): Attachment {
  return {
    contentType: file.type || 'application/octet-stream',
    title: file.name,
    size: file.size,
    ...(file.path ? { url: file.path } : {}),
  };
}

function communication(
  entry: RecordEntry,
  conversation: RecordConversation,
  meta: RecordMeta,
  urlOf: (cid: string, id: string) => string,
): Communication {
  const participant = (id: string) => conversation.members.find((m) => m.id === id) ?? { id };
  const notes: string[] = [];
  if (entry.status === 'verified' && entry.rev > 0)
    notes.push(
      `Edited by its sender: revision ${entry.rev}${entry.updatedAt ? `, ${entry.updatedAt.toISOString()}` : ''}.`,
    );
  if (entry.quoteId) notes.push(`Quotes message ${entry.quoteId}.`);
  for (const f of entry.files.filter((f) => f.failure))
    notes.push(`File "${f.name}" could not be verified: ${STATUS_TEXT[f.failure!]}.`);
  const failed = entry.status !== 'verified' && entry.status !== 'deleted';
  const payload: Communication['payload'] = [
    ...(entry.status === 'verified' && entry.text ? [{ contentString: entry.text }] : []),
    ...(entry.status === 'verified' ? entry.files.map((f) => ({ contentAttachment: attachmentOf(f) })) : []),
  ];
  const parentUrl = entry.parentId ? urlOf(entry.cid, entry.parentId) : undefined;
  return {
    resourceType: 'Communication',
    id: uuidFor(`${entry.cid}/${entry.id}`),
    identifier: [{ system: MESSAGE_SYSTEM, value: `${entry.cid}/${entry.id}` }],
    status:
      entry.status === 'verified' ? 'completed' : entry.status === 'deleted' ? 'entered-in-error' : 'unknown',
    ...(entry.status !== 'verified'
      ? {
          statusReason: {
            coding: [{ system: VERIFICATION_SYSTEM, code: entry.status, display: STATUS_TEXT[entry.status] }],
            text: STATUS_TEXT[entry.status],
          },
        }
      : {}),
    extension: [{ url: REVISION_EXTENSION, valueInteger: entry.rev }],
    sent: entry.sentAt.toISOString(),
    sender: personRef(participant(entry.from), meta.subjectSystem),
    recipient: conversation.members
      .filter((m) => m.id !== entry.from)
      .map((m) => personRef(m, meta.subjectSystem)),
    ...(parentUrl ? { inResponseTo: [{ reference: parentUrl }] } : {}),
    ...(payload.length ? { payload } : {}),
    ...(notes.length || failed
      ? {
          note: [...(failed ? [`Not trusted: ${STATUS_TEXT[entry.status]}.`] : []), ...notes].map((text) => ({
            text,
          })),
        }
      : {}),
  };
}

/** The Bundle: every conversation's entries in record order. */
export function toFhirBundle(
  conversations: readonly RecordConversation[],
  meta: RecordMeta,
): Bundle<Communication> {
  const urlOf = (cid: string, id: string) => `urn:uuid:${uuidFor(`${cid}/${id}`)}`;
  return {
    resourceType: 'Bundle',
    id: uuidFor(`export/${meta.exportedAt.toISOString()}/${conversations.map((c) => c.cid).join(',')}`),
    type: 'collection',
    timestamp: meta.exportedAt.toISOString(),
    entry: conversations.flatMap((conversation) =>
      inRecordOrder(conversation.entries).map((entry) => ({
        fullUrl: urlOf(entry.cid, entry.id),
        resource: communication(entry, conversation, meta, urlOf),
      })),
    ),
  };
}

const COMMUNICATION_STATUS = new Set([
  'preparation',
  'in-progress',
  'not-done',
  'on-hold',
  'stopped',
  'completed',
  'entered-in-error',
  'unknown',
]);
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Structural checks of what FHIR R4 requires of this Bundle (beyond the types): resource types, Bundle.type, each
 * entry's `fullUrl` and Communication.status (required, from its value set), dateTimes, references that resolve
 * within the Bundle, and one `content[x]` per payload. Returns the problems (empty: valid).
 */
export function validateBundle(bundle: unknown): string[] {
  const problems: string[] = [];
  const b = bundle as Bundle;
  if (b?.resourceType !== 'Bundle') return ['resourceType must be Bundle'];
  if (b.type !== 'collection') problems.push('Bundle.type must be collection');
  if (b.timestamp !== undefined && !DATE_TIME.test(b.timestamp))
    problems.push('Bundle.timestamp is not an instant');
  const urls = new Set((b.entry ?? []).map((e) => e.fullUrl));
  (b.entry ?? []).forEach((e, i) => {
    const at = `entry[${i}]`;
    if (!e.fullUrl || !/^urn:uuid:[0-9a-f-]{36}$/.test(e.fullUrl))
      problems.push(`${at}.fullUrl must be a urn:uuid`);
    const c = e.resource as Communication | undefined;
    if (c?.resourceType !== 'Communication')
      return void problems.push(`${at}.resource must be a Communication`);
    if (!COMMUNICATION_STATUS.has(c.status)) problems.push(`${at}.status is required (EventStatus)`);
    if (c.sent !== undefined && !DATE_TIME.test(c.sent)) problems.push(`${at}.sent is not a dateTime`);
    if (!c.sender?.identifier?.value || !c.sender.identifier.system)
      problems.push(`${at}.sender needs an identifier`);
    for (const r of c.inResponseTo ?? [])
      if (!r.reference || !urls.has(r.reference)) problems.push(`${at}.inResponseTo does not resolve`);
    for (const p of c.payload ?? []) {
      const kinds = ['contentString', 'contentAttachment', 'contentReference'].filter((k) => k in p);
      if (kinds.length !== 1) problems.push(`${at}.payload needs exactly one content[x]`);
    }
    if (c.status === 'unknown' && !c.statusReason)
      problems.push(`${at} failed verification without a statusReason`);
  });
  return problems;
}
