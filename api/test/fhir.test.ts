// The record's FHIR R4 mapping: one Communication per message in signed-time order, authors as portal subjects,
// thread replies pointing at their parent, files as attachments, edits with their revision, tombstones as
// entered-in-error and failures as unknown with their reason, never dropped; and the structural validation.
import type { Bundle, Communication } from 'fhir/r4.js';
import { describe, expect, it } from 'vitest';
import { CHAT_ID_SYSTEM, toFhirBundle, uuidFor, validateBundle } from '../tools/record/fhir.js';
import type { RecordConversation, RecordMeta } from '../tools/record/record.js';

const CID = 'messaging:care';
const SYSTEM = 'urn:example:portal-subject';
const at = (minute: number) => new Date(Date.UTC(2026, 5, 1, 12, minute));
const meta: RecordMeta = {
  exportedAt: at(59),
  actor: 'records-officer',
  justification: 'Records request',
  approvers: ['c1', 'c2'],
  subjectSystem: SYSTEM,
};

const conversation: RecordConversation = {
  cid: CID,
  members: [{ id: 'ua', subject: 'patient-4711' }, { id: 'ub', subject: 'dr-house' }, { id: 'uc' }],
  // Out of order on purpose: the Bundle follows the signed times.
  entries: [
    {
      cid: CID,
      id: 'm3',
      from: 'ub',
      sentAt: at(3),
      status: 'verified',
      text: 'Before meals?',
      rev: 0,
      parentId: 'm1',
      files: [],
    },
    {
      cid: CID,
      id: 'm1',
      from: 'ua',
      sentAt: at(1),
      updatedAt: at(2),
      status: 'verified',
      text: 'BP 126/80',
      rev: 1,
      files: [],
    },
    {
      cid: CID,
      id: 'm4',
      from: 'ua',
      sentAt: at(4),
      status: 'verified',
      text: '',
      rev: 0,
      files: [{ name: 'log.txt', type: 'text/plain', size: 12, path: 'files/m4-0-log.txt' }],
    },
    { cid: CID, id: 'm5', from: 'uc', sentAt: at(5), status: 'tampered', rev: 0, files: [] },
    { cid: CID, id: 'm6', from: 'ua', sentAt: at(6), status: 'deleted', rev: 2, files: [] },
  ],
};

describe('toFhirBundle', () => {
  const bundle: Bundle<Communication> = toFhirBundle([conversation], meta);
  const byId = (id: string) =>
    bundle.entry!.find((e) => e.resource!.identifier![0]!.value === `${CID}/${id}`)!;

  it('is a valid collection of Communications in signed-time order', () => {
    expect(validateBundle(bundle)).toEqual([]);
    expect(bundle).toMatchObject({
      resourceType: 'Bundle',
      type: 'collection',
      timestamp: at(59).toISOString(),
    });
    expect(bundle.entry!.map((e) => e.resource!.identifier![0]!.value)).toEqual(
      ['m1', 'm3', 'm4', 'm5', 'm6'].map((id) => `${CID}/${id}`),
    );
    expect(bundle.entry![0]!.fullUrl).toBe(`urn:uuid:${uuidFor(`${CID}/m1`)}`);
  });

  it('names authors and recipients by portal subject, else by chat id', () => {
    const first = byId('m1').resource!;
    expect(first.sender).toEqual({
      identifier: { system: SYSTEM, value: 'patient-4711' },
      display: 'patient-4711',
    });
    expect(first.recipient!.map((r) => r.identifier)).toEqual([
      { system: SYSTEM, value: 'dr-house' },
      { system: CHAT_ID_SYSTEM, value: 'uc' },
    ]);
    expect(first).toMatchObject({
      status: 'completed',
      sent: at(1).toISOString(),
      payload: [{ contentString: 'BP 126/80' }],
    });
    expect(first.extension).toEqual([{ url: 'urn:secure-chat:revision', valueInteger: 1 }]);
    expect(first.note![0]!.text).toBe(`Edited by its sender: revision 1, ${at(2).toISOString()}.`);
  });

  it('links thread replies, attaches files, marks tombstones and failures without their content', () => {
    expect(byId('m3').resource!.inResponseTo).toEqual([{ reference: byId('m1').fullUrl }]);
    expect(byId('m4').resource!.payload).toEqual([
      {
        contentAttachment: {
          contentType: 'text/plain',
          title: 'log.txt',
          size: 12,
          url: 'files/m4-0-log.txt',
        },
      },
    ]);
    const failed = byId('m5').resource!;
    expect(failed.status).toBe('unknown');
    expect(failed.statusReason!.coding![0]).toMatchObject({
      system: 'urn:secure-chat:verification',
      code: 'tampered',
    });
    expect(failed.payload).toBeUndefined();
    expect(failed.note![0]!.text).toMatch(/^Not trusted: NOT VERIFIED/);
    expect(byId('m6').resource).toMatchObject({
      status: 'entered-in-error',
      extension: [{ valueInteger: 2 }],
    });
    expect(byId('m6').resource!.payload).toBeUndefined();
  });
});

describe('validateBundle', () => {
  it('names what a structurally broken Bundle lacks', () => {
    expect(validateBundle({ resourceType: 'Patient' })).toEqual(['resourceType must be Bundle']);
    const broken = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        { fullUrl: 'x', resource: { resourceType: 'Communication', status: 'sent', sent: 'yesterday' } },
        {
          fullUrl: `urn:uuid:${uuidFor('a')}`,
          resource: {
            resourceType: 'Communication',
            status: 'unknown',
            sender: { identifier: { system: SYSTEM, value: 'p' } },
            inResponseTo: [{ reference: 'urn:uuid:nowhere' }],
            payload: [{}],
          },
        },
      ],
    };
    expect(validateBundle(broken)).toEqual([
      'entry[0].fullUrl must be a urn:uuid',
      'entry[0].status is required (EventStatus)',
      'entry[0].sent is not a dateTime',
      'entry[0].sender needs an identifier',
      'entry[1].inResponseTo does not resolve',
      'entry[1].payload needs exactly one content[x]',
      'entry[1] failed verification without a statusReason',
    ]);
  });
});
