/**
 * `npm run export -- --reason "…" --actor NAME --approver NAME … (--cid CID … | --user SUBJECT …) --out DIR
 *                    (--share S … | --key-file FILE) [--subject SUBJECT …] [--since ISO] [--until ISO]
 *                    [--audit-file FILE] [--subject-system URI]`
 *
 * The break-glass export (docs/medical-record.md): rebuilds the organization key from M shares (or reads a key
 * `org-key -- combine --out` wrote), reads the conversations from Stream with the server client, verifies and decrypts
 * every message and file, and writes `bundle.json` (FHIR R4), `transcript.pdf` and `files/` into `--out`. Authors are
 * named by portal subject (`--user` and `--subject`; others by chat id). Every run writes break-glass audit entries to
 * `--audit-file` (JSON lines, appended) or the token API's stdout audit log; `AUDIT_LOG=off` refuses to run.
 * Environment: STREAM_API_KEY, STREAM_API_SECRET, STREAM_BASE_URL, USER_ID_SECRET, VIRGIL_APP_ID,
 * VIRGIL_APP_KEY_ID, VIRGIL_APP_KEY, VIRGIL_API_URL, VIRGIL_CARDS_SERVICE_KEY (stand-in), ORGANIZATION_IDENTITY.
 * Exit codes: 0 exported (unverified messages are listed, and exported as such), 1 refused, 2 usage or failure.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { StreamChat } from 'stream-chat';
import { stdoutAuditSink, type AuditSink } from '../src/audit.js';
import { chatUserId } from '../src/identity.js';
import { rebuildOrganizationKey } from './record/ceremony.js';
import { directoryCards } from './record/directory.js';
import { exportRecord, refusal, type ExportRequest } from './record/export.js';
import { OrganizationCrypto } from './record/organization-crypto.js';
import { virgilAccessFromEnv, virgilCrypto } from './record/virgil.js';

type Print = (line: string) => void;

export const DEFAULT_SUBJECT_SYSTEM = 'urn:secure-chat:portal-subject';

const OPTIONS = {
  cid: { type: 'string', multiple: true },
  user: { type: 'string', multiple: true },
  subject: { type: 'string', multiple: true },
  since: { type: 'string' },
  until: { type: 'string' },
  reason: { type: 'string' },
  actor: { type: 'string' },
  approver: { type: 'string', multiple: true },
  share: { type: 'string', multiple: true },
  'key-file': { type: 'string' },
  out: { type: 'string' },
  'audit-file': { type: 'string' },
  'subject-system': { type: 'string' },
} as const;

function date(name: string, value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) throw new Error(`--${name} must be an ISO 8601 time`);
  return at;
}

/** Appends one JSON line per event: the audit sink of an offline export machine. */
export function fileAuditSink(path: string): AuditSink {
  return (event) => appendFileSync(path, `${JSON.stringify(event)}\n`, { mode: 0o600 });
}

export async function runExport(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  print: Print,
): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: [...argv], options: OPTIONS }));
  } catch (error) {
    print(`${(error as Error).message}`);
    return 2;
  }
  const auditFile = values['audit-file'];
  if (!auditFile && env.AUDIT_LOG?.trim() === 'off') {
    print('refused: a break-glass export is always audited (AUDIT_LOG=off; give --audit-file)');
    return 1;
  }
  const audit = auditFile ? fileAuditSink(resolve(auditFile)) : stdoutAuditSink;
  let request: ExportRequest;
  try {
    const since = date('since', values.since);
    const until = date('until', values.until);
    request = {
      cids: values.cid ?? [],
      users: values.user ?? [],
      subjects: values.subject ?? [],
      actor: values.actor ?? '',
      justification: values.reason ?? '',
      approvers: values.approver ?? [],
      outDir: resolve(values.out ?? ''),
      subjectSystem: values['subject-system'] ?? env.PORTAL_SUBJECT_SYSTEM ?? DEFAULT_SUBJECT_SYSTEM,
      ...(since ? { since } : {}),
      ...(until ? { until } : {}),
    };
  } catch (error) {
    print((error as Error).message);
    return 2;
  }
  const refused = refusal(request) ?? (values.out ? undefined : 'an output folder (--out) is required');
  if (refused) {
    audit({
      time: new Date().toISOString(),
      origin: null,
      route: 'export',
      outcome: 'refused',
      reason: 'break-glass-export',
      breakGlass: {
        actor: request.actor,
        justification: request.justification,
        approvers: request.approvers,
        conversations: request.cids,
      },
    });
    print(`refused: ${refused}`);
    return 1;
  }
  const access = virgilAccessFromEnv(env);
  const missing = [
    ...(Array.isArray(access) ? access : []),
    ...['STREAM_API_KEY', 'STREAM_API_SECRET', 'USER_ID_SECRET'].filter((n) => !env[n]?.trim()),
  ];
  if (missing.length || Array.isArray(access)) {
    print(`${missing.join(', ')} required`);
    return 2;
  }
  try {
    const crypto = await virgilCrypto();
    const privateKey = values['key-file']
      ? crypto.importPrivateKey(readFileSync(resolve(values['key-file'])))
      : (await rebuildOrganizationKey(values.share ?? [])).privateKey;
    const organization = env.ORGANIZATION_IDENTITY?.trim() || 'organization';
    const stream = new StreamChat(env.STREAM_API_KEY!, env.STREAM_API_SECRET!, {
      baseURL: (env.STREAM_BASE_URL?.trim() || 'https://chat.stream-io-api.com').replace(/\/+$/, ''),
    });
    const result = await exportRecord(request, {
      stream,
      crypto: new OrganizationCrypto(crypto, privateKey, directoryCards(access, organization)),
      chatId: (subject) => chatUserId(subject, env.USER_ID_SECRET!),
      audit,
      download: async (url) => {
        const response = await fetch(url);
        if (!response.ok) throw new Error(`download failed: ${response.status}`);
        return response.blob();
      },
    });
    const count = result.conversations.reduce((n, c) => n + c.entries.length, 0);
    print(`exported ${count} messages from ${result.conversations.length} conversations`);
    print(`  ${result.bundlePath}`);
    print(`  ${result.transcriptPath}`);
    if (result.unverified.length)
      print(
        `  ${result.unverified.length} failed verification (exported as such): ${result.unverified.join(', ')}`,
      );
    return 0;
  } catch (error) {
    print(`export failed: ${(error as Error).message}`);
    return 2;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await runExport(process.argv.slice(2), process.env, console.log);
}
