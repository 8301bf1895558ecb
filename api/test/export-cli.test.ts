// The export CLI's refusals: no reason, no approver or no scope is refused before anything is read (and the refusal
// is audited); the audit log switched off refuses the run. The export itself runs against the local stack in
// widget/test/medical-record.browser.test.ts.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runExport } from '../tools/export.js';

const base = ['--cid', 'messaging:care', '--actor', 'records-officer', '--approver', 'c1', '--out', 'unused'];

describe('npm run export refuses', () => {
  it('without a reason, an approver or a scope, and audits each refusal', async () => {
    const auditFile = join(mkdtempSync(join(tmpdir(), 'export-cli-')), 'audit.log');
    const lines: string[] = [];
    const run = (args: string[]) => runExport([...args, '--audit-file', auditFile], {}, (l) => lines.push(l));
    expect(await run(base)).toBe(1);
    expect(await run([...base.slice(0, 4), '--out', 'x', '--reason', 'Records request'])).toBe(1);
    expect(await run(['--actor', 'a', '--approver', 'c1', '--out', 'x', '--reason', 'Records request'])).toBe(
      1,
    );
    expect(lines).toEqual([
      'refused: a reason (--reason) is required for a break-glass export',
      'refused: the approving custodians (--approver) are required',
      'refused: choose conversations with --cid or --user',
    ]);
    const audited = readFileSync(auditFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(audited).toHaveLength(3);
    for (const event of audited) expect(event).toMatchObject({ route: 'export', outcome: 'refused' });
    expect(audited[1].breakGlass).toMatchObject({
      actor: 'records-officer',
      justification: 'Records request',
    });
  });

  it('when the audit log is off and no audit file is given', async () => {
    const lines: string[] = [];
    const code = await runExport([...base, '--reason', 'x'], { AUDIT_LOG: 'off' }, (l) => lines.push(l));
    expect(code).toBe(1);
    expect(lines[0]).toMatch(/always audited/);
  });
});
