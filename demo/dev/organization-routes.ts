/**
 * The test stack's organization routes (demo/dev/wtr-stack.ts): run the break-glass export as an organization would,
 * and play a key directory that swapped the organization's card after the deployment pinned it.
 */
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { AuditSink } from '../../api/src/audit.js';
import { createOrganizationKey, publishTo, rebuildOrganizationKey } from '../../api/tools/record/ceremony.js';
import { directoryCards } from '../../api/tools/record/directory.js';
import { exportRecord } from '../../api/tools/record/export.js';
import { validateBundle } from '../../api/tools/record/fhir.js';
import { OrganizationCrypto } from '../../api/tools/record/organization-crypto.js';
import { virgilCrypto } from '../../api/tools/record/virgil.js';
import { DEFAULT_SUBJECT_SYSTEM } from '../../api/tools/export.js';
import type { LocalStack } from './local-stack.js';
import { createDemoOrganization, organizationEnv } from './organization.js';

export interface TestExportRequest {
  cids?: string[];
  users?: string[];
  subjects?: string[];
  since?: string;
  until?: string;
  reason?: string;
  actor?: string;
  approvers?: string[];
  /** How many of the stack's shares to combine (default: the threshold). */
  shares?: number;
}

export async function exportForTests(
  stack: LocalStack,
  body: TestExportRequest,
  root: string,
  audit: AuditSink,
) {
  const org = stack.organization;
  if (!org) throw new Error('the stack runs without an organization recipient');
  const { privateKey } = await rebuildOrganizationKey(org.shares.slice(0, body.shares ?? org.threshold));
  const outDir = mkdtempSync(`${root}-`);
  const stream = stack.streamServerClient;
  const result = await exportRecord(
    {
      cids: body.cids ?? [],
      users: body.users ?? [],
      subjects: body.subjects ?? [],
      actor: body.actor ?? '',
      justification: body.reason ?? '',
      approvers: body.approvers ?? [],
      outDir,
      subjectSystem: DEFAULT_SUBJECT_SYSTEM,
      ...(body.since ? { since: new Date(body.since) } : {}),
      ...(body.until ? { until: new Date(body.until) } : {}),
    },
    {
      stream,
      crypto: new OrganizationCrypto(
        await virgilCrypto(),
        privateKey,
        directoryCards(stack.virgilAccess, org.identity),
      ),
      chatId: (sub) => stack.chatUserId(sub),
      audit,
      download: async (url) => {
        const response = await fetch(url);
        if (!response.ok) throw new Error(`download failed: ${response.status}`);
        return response.blob();
      },
    },
  );
  const bundle = JSON.parse(readFileSync(result.bundlePath, 'utf8')) as unknown;
  const pdf = readFileSync(result.transcriptPath);
  const files = readdirSync(join(outDir, 'files')).map((name) => ({
    path: `files/${name}`,
    size: statSync(join(outDir, 'files', name)).size,
    text: readFileSync(join(outDir, 'files', name))
      .toString('latin1')
      .slice(0, 200),
  }));
  return {
    bundle,
    problems: validateBundle(bundle),
    unverified: result.unverified,
    files,
    transcript: { bytes: pdf.length, header: pdf.subarray(0, 5).toString('latin1') },
  };
}

let swapped = 0;

/** Pins card A for a new organization identity in a new token API, then publishes card B in its place. */
export async function swappedOrganizationApi(stack: LocalStack) {
  const pinned = await createDemoOrganization(stack.virgilAccess, `organization-swapped-${++swapped}`);
  const api = await stack.startApi(organizationEnv(pinned));
  const replaced = await createOrganizationKey(3, 2, publishTo(stack.virgilAccess, pinned.identity));
  replaced.privateKeyDer.fill(0);
  return {
    apiUrl: api.url,
    identity: pinned.identity,
    pinnedCardId: pinned.cardId,
    directoryCardId: replaced.cardId,
  };
}
