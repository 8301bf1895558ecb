// The organization recipient against the local stack (whose token API pins a generated organization key): two
// people chat (messages, an edit, a thread reply, a file), the server tampers with one message, and the break-glass
// export rebuilt from M shares yields a FHIR R4 Bundle holding all of it in order, authored by portal subjects, with
// the tampered message exported as failed. A directory that swapped the organization's card makes the widget refuse
// to send; the disclosure is visible, announced and accessible, in English and Spanish.
import { expect } from '@open-wc/testing';
import type { Bundle, Communication } from 'fhir/r4.js';
import {
  $,
  chatUserId,
  messageNode,
  shadow,
  streamServer,
  subject,
  textOf,
  waitFor,
  waitForMessage,
  WIDGET_ENTRY,
  widgetMounter,
  type Person,
} from './stack-helpers.js';

await import(WIDGET_ENTRY);

const open = widgetMounter();
const SUBJECT_SYSTEM = 'urn:secure-chat:portal-subject';
const ORGANIZATION_NAME = 'Sunrise Clinic';

interface ExportAnswer {
  bundle: Bundle<Communication>;
  problems: string[];
  unverified: string[];
  files: { path: string; size: number; text: string }[];
  transcript: { bytes: number; header: string };
}

async function runExport(
  body: Record<string, unknown>,
): Promise<{ ok: boolean; answer: ExportAnswer & { error?: string } }> {
  const res = await fetch('/__stack/export', { method: 'POST', body: JSON.stringify(body) });
  return { ok: res.ok, answer: (await res.json()) as ExportAnswer & { error?: string } };
}

const waitForText = (el: Element, id: string, text: string) =>
  waitFor(`"${text}" in ${id}`, () => {
    const node = messageNode(el, id);
    return node?.dataset.trust === 'verified' && textOf(node) === text && node;
  });

/** The Communication for a message id (its identifier is `<cid>/<id>`). */
const communicationOf = (bundle: Bundle<Communication>, id: string) =>
  bundle.entry?.find((e) => e.resource?.identifier?.[0]?.value?.endsWith(`/${id}`));

async function pair() {
  const alice: Person = { sub: subject('alice'), name: 'Alice Patient' };
  const bob: Person = { sub: subject('bob'), name: 'Dr Bob' };
  const a = await open(alice, { peers: [bob], peer: bob.sub });
  const b = await open(bob, { peers: [alice], peer: alice.sub });
  let cid = '';
  a.addEventListener('secure-chat-send', (e) => (cid = e.detail.cid));
  return { alice, bob, a, b, cid: () => cid };
}

describe('<secure-chat> with an organization recipient (real clients, local stack)', function () {
  this.timeout(300_000);

  it('exports messages, an edit, a thread reply and a file as a FHIR Bundle, the tampered message as failed', async () => {
    const { alice, bob, a, b, cid } = await pair();
    const first = await a.send('Blood pressure 128/82 this morning');
    await waitForText(b, first, 'Blood pressure 128/82 this morning');
    const answer = await b.send('Thanks, keep logging it daily');
    await waitForText(a, answer, 'Thanks, keep logging it daily');
    await a.edit(first, 'Blood pressure 126/80 this morning');
    await waitForText(b, first, 'Blood pressure 126/80 this morning');
    const reply = await b.send('Was that before your medication?', { parentId: first });
    const report = new File(['Home readings: 126/80, 131/84, 129/82\n'], 'bp-log.txt', {
      type: 'text/plain',
    });
    const withFile = await a.send('My readings for the week', { files: [report] });
    await waitForMessage(b, withFile);
    const tampered = await a.send('Dizzy after the new dose');
    await waitForText(b, tampered, 'Dizzy after the new dose');

    // The server swaps the tampered message's ciphertext for garbage, as Alice's update.
    const { message } = await streamServer<{ message: { text: string; e2ee: { ct: string } } }>(
      'getMessage',
      tampered,
    );
    const ct = message.e2ee.ct;
    const garbled = `${ct.slice(0, 40)}${ct.slice(40, 80).split('').reverse().join('')}${ct.slice(80)}`;
    await streamServer(
      'updateMessage',
      { id: tampered, text: message.text, e2ee: { v: 1, ct: garbled } },
      await chatUserId(alice.sub),
    );
    await waitForMessage(b, tampered, /^(?!verified)/);

    const request = {
      users: [alice.sub],
      subjects: [bob.sub],
      reason: 'Records request from the patient (test)',
      actor: 'records-officer',
      approvers: ['custodian-1', 'custodian-2'],
    };
    // M-1 shares cannot rebuild the key; a request without a reason is refused.
    const tooFew = await runExport({ ...request, shares: 1 });
    expect(tooFew.ok).to.equal(false);
    expect(tooFew.answer.error).to.match(/2 different shares are needed, 1 given/);
    const noReason = await runExport({ ...request, reason: ' ' });
    expect(noReason.ok).to.equal(false);
    expect(noReason.answer.error).to.match(/reason/);

    const { ok, answer: result } = await runExport({ ...request, shares: 2 });
    expect(ok, JSON.stringify(result)).to.equal(true);
    const { bundle } = result;
    expect(result.problems).to.deep.equal([]);
    expect(bundle.resourceType).to.equal('Bundle');
    expect(bundle.type).to.equal('collection');
    const ids = (bundle.entry ?? []).map((e) => e.resource?.identifier?.[0]?.value);
    expect(ids).to.deep.equal([first, answer, reply, withFile, tampered].map((id) => `${cid()}/${id}`));
    for (const entry of bundle.entry ?? []) {
      expect(entry.resource?.resourceType).to.equal('Communication');
      expect(entry.resource?.status).to.be.a('string');
      expect(entry.resource?.sent).to.match(/^\d{4}-\d{2}-\d{2}T/);
    }

    const edited = communicationOf(bundle, first)!.resource!;
    expect(edited.status).to.equal('completed');
    expect(edited.payload?.[0]?.contentString).to.equal('Blood pressure 126/80 this morning');
    expect(edited.extension?.[0]).to.deep.equal({ url: 'urn:secure-chat:revision', valueInteger: 1 });
    expect(edited.sender?.identifier).to.deep.equal({ system: SUBJECT_SYSTEM, value: alice.sub });
    expect(edited.recipient?.[0]?.identifier).to.deep.equal({ system: SUBJECT_SYSTEM, value: bob.sub });

    const threaded = communicationOf(bundle, reply)!;
    expect(threaded.resource?.sender?.identifier?.value).to.equal(bob.sub);
    expect(threaded.resource?.inResponseTo?.[0]?.reference).to.equal(communicationOf(bundle, first)!.fullUrl);
    expect(threaded.resource?.payload?.[0]?.contentString).to.equal('Was that before your medication?');

    const filed = communicationOf(bundle, withFile)!.resource!;
    const attachment = filed.payload?.find((p) => p.contentAttachment)?.contentAttachment;
    expect(attachment).to.include({ title: 'bp-log.txt', contentType: 'text/plain', size: report.size });
    const written = result.files.find((f) => f.path === attachment?.url);
    expect(written?.text).to.equal('Home readings: 126/80, 131/84, 129/82\n');

    const failed = communicationOf(bundle, tampered)!.resource!;
    expect(failed.status).to.equal('unknown');
    expect(failed.statusReason?.coding?.[0]?.system).to.equal('urn:secure-chat:verification');
    expect(failed.payload).to.equal(undefined);
    expect(result.unverified).to.deep.equal([tampered]);
    expect(result.transcript.header).to.equal('%PDF-');

    // Every run is audited: the refusal and the completed export, with who, why, approvers and ids.
    const audit = (await (await fetch('/__stack/audit')).json()) as {
      route: string;
      outcome: string;
      reason: string;
      breakGlass?: { actor: string; justification: string; approvers: string[]; messages?: string[] };
    }[];
    const exports = audit.filter((e) => e.route === 'export' && e.breakGlass?.actor === 'records-officer');
    expect(exports.some((e) => e.outcome === 'refused')).to.equal(true);
    const done = exports.find((e) => e.reason === 'break-glass-export-completed');
    expect(done?.breakGlass?.justification).to.equal(request.reason);
    expect(done?.breakGlass?.approvers).to.deep.equal(request.approvers);
    expect(done?.breakGlass?.messages).to.have.members([first, answer, reply, withFile, tampered]);
  });

  it('refuses to send when the directory holds another organization card than the one pinned', async () => {
    const swapped = (await (await fetch('/__stack/organization/swapped', { method: 'POST' })).json()) as {
      apiUrl: string;
      pinnedCardId: string;
      directoryCardId: string;
    };
    expect(swapped.directoryCardId).to.not.equal(swapped.pinnedCardId);
    const alice: Person = { sub: subject('alice'), name: 'Alice Patient' };
    const bob: Person = { sub: subject('bob'), name: 'Dr Bob' };
    await open(bob, { peers: [alice], peer: alice.sub });
    const a = await open(alice, { peers: [bob], peer: bob.sub, apiUrl: swapped.apiUrl });
    let refusal: unknown;
    await a.send('Not for a key nobody agreed to').catch((error: unknown) => (refusal = error));
    expect((refusal as { code?: string } | undefined)?.code).to.equal('forbidden');
    // Shown as failed, and Stream never got it.
    const failed = await waitFor('the failed message', () =>
      shadow(a).querySelector<HTMLElement>('[data-id] .delivery.failed')?.closest<HTMLElement>('[data-id]'),
    );
    const stored = await fetch('/__stack/stream-server', {
      method: 'POST',
      body: JSON.stringify({ method: 'getMessage', args: [failed.dataset.id] }),
    });
    expect(stored.ok).to.equal(false);
  });

  it('says plainly, visibly and to screen readers, that the organization can read the conversation (en, es)', async () => {
    const { a } = await pair();
    const notice = await waitFor('the organization notice', () =>
      shadow(a).querySelector<HTMLElement>('[part~="organization-notice"]'),
    );
    expect(notice.getAttribute('role')).to.equal('status');
    expect(notice.textContent).to.contain(`${ORGANIZATION_NAME} can also read this conversation`);
    expect(notice.getBoundingClientRect().height).to.be.greaterThan(0);
    const box = $(a, 'textarea') as HTMLTextAreaElement;
    const hints = (box.getAttribute('aria-describedby') ?? '')
      .split(' ')
      .map((id) => shadow(a).getElementById(id));
    expect(hints.map((h) => h?.textContent?.trim())).to.include(
      `${ORGANIZATION_NAME} can also read what you send here.`,
    );
    await expect(a).to.be.accessible();

    a.lang = 'es';
    await waitFor(
      'the Spanish notice',
      () =>
        notice.isConnected &&
        /también puede leer esta conversación/.test(
          shadow(a).querySelector('[part~="organization-notice"]')?.textContent ?? '',
        ),
    );
    const hint = shadow(a).querySelector('[part~="organization-hint"]');
    expect(hint?.textContent).to.contain(`${ORGANIZATION_NAME} también puede leer lo que envíe aquí.`);
    await expect(a).to.be.accessible();
  });
});
