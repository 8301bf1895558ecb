/**
 * @module
 * The break-glass export: reads the chosen conversations' ciphertexts from Stream, opens and verifies every message
 * and file with the rebuilt organization key (`OrganizationCrypto`, the widget's opening rules), and writes
 * `bundle.json` (FHIR R4), `transcript.pdf` and the decrypted files (`files/`) into the output folder. It runs on the
 * organization's side, offline from the widget: the one deliberate way plaintext leaves the conversation's members.
 * Every run is audited (started, then completed or failed, with the ids it read) and refuses to run without a reason.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MessageResponse, StreamChat } from 'stream-chat';
import type { AuditEvent, AuditSink, BreakGlassDetail } from '../../src/audit.js';
import { toWire } from '../../../widget/src/adapters/stream-wire.js';
import { openMessage } from '../../../widget/src/core/codec.js';
import { safeFileName } from '../../../widget/src/core/files.js';
import type { FailureReason } from '../../../widget/src/core/ports.js';
import { toFhirBundle, validateBundle } from './fhir.js';
import type { OrganizationCrypto } from './organization-crypto.js';
import { conversationsOf, readConversation } from './read-stream.js';
import type { RecordConversation, RecordEntry, RecordFile, RecordMeta } from './record.js';
import { transcriptPdf } from './transcript.js';

export interface ExportRequest {
  /** Conversations by cid. */
  readonly cids: readonly string[];
  /** And every conversation of these portal subjects. */
  readonly users: readonly string[];
  /** Portal subjects to name authors by (the `--user`s are included). */
  readonly subjects: readonly string[];
  readonly since?: Date;
  readonly until?: Date;
  readonly actor: string;
  readonly justification: string;
  readonly approvers: readonly string[];
  readonly outDir: string;
  readonly subjectSystem: string;
}

export interface ExportDeps {
  readonly stream: StreamChat;
  readonly crypto: OrganizationCrypto;
  /** The opaque chat id of a portal subject (the token API's derivation, keyed by `USER_ID_SECRET`). */
  readonly chatId: (subject: string) => Promise<string>;
  readonly audit: AuditSink;
  /** Downloads an upload link (Stream's CDN). */
  readonly download: (url: string) => Promise<Blob>;
  readonly now?: () => Date;
}

export interface ExportResult {
  readonly conversations: readonly RecordConversation[];
  readonly bundlePath: string;
  readonly transcriptPath: string;
  readonly unverified: readonly string[];
}

/** Why a request is refused before anything is read; undefined when it may run. */
export function refusal(req: ExportRequest): string | undefined {
  if (!req.justification.trim()) return 'a reason (--reason) is required for a break-glass export';
  if (!req.actor.trim()) return 'who runs the export (--actor) is required';
  if (!req.approvers.length) return 'the approving custodians (--approver) are required';
  if (!req.cids.length && !req.users.length) return 'choose conversations with --cid or --user';
  if (req.since && req.until && req.since >= req.until) return '--since must be before --until';
  return undefined;
}

const inWindow = (m: MessageResponse, since?: Date, until?: Date) =>
  [m.created_at, m.updated_at].some((t) => {
    const at = t ? new Date(t).getTime() : Number.NaN;
    return !Number.isNaN(at) && (!since || at >= since.getTime()) && (!until || at < until.getTime());
  });

export async function exportRecord(req: ExportRequest, deps: ExportDeps): Promise<ExportResult> {
  const now = deps.now ?? (() => new Date());
  const startedAt = now();
  const detail = (extra: Partial<BreakGlassDetail>, cids: readonly string[]): BreakGlassDetail => ({
    actor: req.actor,
    justification: req.justification,
    approvers: [...req.approvers],
    conversations: [...cids],
    ...(req.since ? { since: req.since.toISOString() } : {}),
    ...(req.until ? { until: req.until.toISOString() } : {}),
    ...extra,
  });
  const audit = (outcome: AuditEvent['outcome'], reason: string, breakGlass: BreakGlassDetail) =>
    deps.audit({ time: now().toISOString(), origin: null, route: 'export', outcome, reason, breakGlass });

  const refused = refusal(req);
  if (refused) {
    audit('refused', 'break-glass-export', detail({}, req.cids));
    throw new Error(refused);
  }
  const subjects = [...new Set([...req.users, ...req.subjects])];
  const idToSubject = new Map<string, string>();
  for (const subject of subjects) idToSubject.set(await deps.chatId(subject), subject);
  const cids = new Set(req.cids);
  for (const user of req.users)
    for (const cid of await conversationsOf(deps.stream, await deps.chatId(user))) cids.add(cid);
  audit('issued', 'break-glass-export-started', detail({}, [...cids]));

  try {
    const filesDir = join(req.outDir, 'files');
    mkdirSync(filesDir, { recursive: true });
    const conversations: RecordConversation[] = [];
    for (const cid of cids) {
      const stored = await readConversation(deps.stream, cid);
      const entries: RecordEntry[] = [];
      for (const message of stored.messages.filter((m) => inWindow(m, req.since, req.until)))
        entries.push(await openEntry(message, cid, deps, filesDir));
      const members = [...new Set([...stored.members, ...entries.map((e) => e.from)])].map((id) => {
        const subject = idToSubject.get(id);
        return subject !== undefined ? { id, subject } : { id };
      });
      conversations.push({ cid, members, entries });
    }
    const meta: RecordMeta = {
      exportedAt: startedAt,
      actor: req.actor,
      justification: req.justification,
      approvers: req.approvers,
      subjectSystem: req.subjectSystem,
      ...(req.since ? { since: req.since } : {}),
      ...(req.until ? { until: req.until } : {}),
    };
    const bundle = toFhirBundle(conversations, meta);
    const problems = validateBundle(bundle);
    if (problems.length) throw new Error(`the Bundle is not valid FHIR: ${problems.join('; ')}`);
    const bundlePath = join(req.outDir, 'bundle.json');
    const transcriptPath = join(req.outDir, 'transcript.pdf');
    writeFileSync(bundlePath, `${JSON.stringify(bundle, null, 2)}\n`, { mode: 0o600 });
    writeFileSync(transcriptPath, await transcriptPdf(conversations, meta), { mode: 0o600 });
    const all = conversations.flatMap((c) => c.entries);
    const unverified = all.filter((e) => e.status !== 'verified' && e.status !== 'deleted').map((e) => e.id);
    audit(
      'issued',
      'break-glass-export-completed',
      detail({ messages: all.map((e) => e.id), unverified }, [...cids]),
    );
    return { conversations, bundlePath, transcriptPath, unverified };
  } catch (error) {
    audit('failed', 'break-glass-export-failed', detail({}, [...cids]));
    throw error;
  }
}

/** One message opened, verified and its files written; a failure is an entry with its reason. */
async function openEntry(
  message: MessageResponse,
  cid: string,
  deps: ExportDeps,
  filesDir: string,
): Promise<RecordEntry> {
  const wire = toWire(message, cid);
  const chat = { download: (url: string) => deps.download(url) };
  const entry = await openMessage(deps.crypto, chat, wire);
  const base = {
    cid: wire.cid,
    id: wire.id,
    from: wire.senderId,
    sentAt: entry.sentAt,
    ...(wire.updatedAt ? { updatedAt: wire.updatedAt } : {}),
    ...(entry.parentId ? { parentId: entry.parentId } : {}),
  };
  if (entry.kind === 'deleted') return { ...base, status: 'deleted', rev: entry.rev ?? 0, files: [] };
  if (entry.kind === 'undecryptable') return { ...base, status: entry.reason, rev: 0, files: [] };
  if (entry.kind !== 'message') return { ...base, status: 'tampered', rev: 0, files: [] };
  const files: RecordFile[] = [];
  for (const [i, ref] of (entry.files ?? []).entries()) {
    const described = { name: ref.name, type: ref.type, size: ref.size };
    let opened: Uint8Array | FailureReason;
    try {
      opened = await deps.crypto.openFile(await deps.download(ref.url), ref, wire.senderId, entry.sentAt);
    } catch {
      opened = 'unavailable';
    }
    if (typeof opened === 'string') {
      files.push({ ...described, failure: opened });
      continue;
    }
    const path = join('files', `${wire.id}-${i}-${safeFileName(ref.name)}`);
    writeFileSync(join(filesDir, '..', path), opened, { mode: 0o600 });
    files.push({ ...described, path });
  }
  return {
    ...base,
    status: 'verified',
    text: entry.text,
    rev: entry.rev,
    ...(entry.quoteId ? { quoteId: entry.quoteId } : {}),
    files,
  };
}
