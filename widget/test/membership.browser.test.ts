// Conversation membership against a malicious server (real clients, local stack): whoever holds Stream's server
// credentials adds or removes members, and a non-contact names itself after a clinician. The widget encrypts only to
// the members the user agreed to, says who was added or removed, and never shows a self-declared name as the portal's.
import { expect } from '@open-wc/testing';
import type { SecureChatElement } from '../src/secure-chat.js';
import {
  buttonByText,
  chatUserId,
  inspectStack,
  screenshot,
  serverMembers,
  shadow,
  stackConfig,
  subject,
  textOf,
  typeUntil,
  waitFor,
  waitForMessage,
  waitForStatus,
  type Person,
  WIDGET_ENTRY,
  widgetMounter,
} from './stack-helpers.js';

await import(WIDGET_ENTRY);

const open = widgetMounter();

/** The distinct conversation of `me` and `peers`, through the token API as the portal's own flow would open it. */
async function openChannel(me: Person, peers: Person[]): Promise<string> {
  const { apiUrl } = await stackConfig();
  const q = new URLSearchParams({ sub: me.sub, peers: peers.map((p) => `${p.sub}:${p.name}`).join(',') });
  const token = await (await fetch(`/__stack/session-token?${q}`)).text();
  const res = await fetch(`${apiUrl}/v1/channels`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ peers: peers.map((p) => p.sub) }),
  });
  if (!res.ok) throw new Error(`channels ${res.status}`);
  return ((await res.json()) as { cid: string }).cid;
}

const notices = (el: Element, kind: 'unconfirmed' | 'removed') => [
  ...shadow(el).querySelectorAll<HTMLElement>(`[part~="membership-notice"][data-kind="${kind}"]`),
];
const composerInput = (el: Element) => shadow(el).querySelector('#compose-main') as HTMLTextAreaElement;
const blockedReason = (el: Element) =>
  shadow(el).querySelector('[part~="composer-blocked"]')?.textContent?.trim() ?? '';

/** Types into the main composer and presses Send, as the user does. */
async function typeAndSend(el: SecureChatElement, text: string): Promise<void> {
  const input = composerInput(el);
  input.value = text;
  input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
  (shadow(el).querySelector('[part~="send-button"]') as HTMLButtonElement).click();
  await el.updateComplete;
}

/** The message whose text is `text`, once shown in the given trust state. */
function messageWithText(el: Element, text: string, trust = 'verified'): Promise<HTMLElement> {
  return waitFor(`"${text}" as ${trust}`, () =>
    [...shadow(el).querySelectorAll<HTMLElement>('[part~="message"]')].find(
      (m) => m.dataset.trust === trust && textOf(m) === text,
    ),
  );
}

describe('<secure-chat> conversation membership (real clients, local stack)', function () {
  this.timeout(240_000);

  it('a member the server adds to a 1:1 is not encrypted to until the patient confirms them', async () => {
    const pat = { sub: subject('pat'), name: 'Ana García' };
    const doc = { sub: subject('doc'), name: 'Dr. Lee Chen' };
    const eve = { sub: subject('eve'), name: 'Eve Ortiz' };
    // Eve has a key on this device before she is added, so only the pin can keep her out.
    const eveHome = await open(eve, { peers: [] });
    eveHome.remove();
    const p = await open(pat, { peers: [doc], peer: doc.sub });
    const d = await open(doc, { peers: [pat], peer: pat.sub });
    const cid = await openChannel(pat, [doc]);
    const eveId = await chatUserId(eve.sub);

    await serverMembers(cid, { add: [eveId] });
    const [notice] = await waitFor(
      'the added-member notice',
      () => notices(p, 'unconfirmed').at(0) && notices(p, 'unconfirmed'),
    );
    expect(notice?.getAttribute('role')).to.equal('alert');
    expect(notice?.dataset.member).to.equal(eveId);
    // Eve is not one of Ana's portal contacts: she is named by her id, never by a name she chose.
    const reason = `${eveId} was added to this conversation by someone else. Confirm before sending.`;
    expect(notice?.textContent).to.contain(reason);
    expect(blockedReason(p)).to.equal(reason);
    expect(composerInput(p).matches(':disabled')).to.equal(true);
    expect(
      (shadow(p).querySelector('[part~="send-button"]') as HTMLButtonElement).matches(':disabled'),
    ).to.equal(true);
    // The reason describes the box first, then the Enter-key hint (the stack's organization disclosure follows).
    expect(composerInput(p).getAttribute('aria-describedby')?.split(' ').slice(0, 2)).to.deep.equal([
      'compose-main-blocked',
      'compose-main-hint',
    ]);
    await screenshot(p, 'membership-unconfirmed');
    await expect(p).to.be.accessible();

    // The page's own send() still works, sealed to Ana and Dr. Lee Chen only.
    const before = await p.send('before confirming: my biopsy results');
    expect(textOf(await waitForMessage(d, before))).to.equal('before confirming: my biopsy results');

    // Eve's own widget, with her key, opens the conversation: that message is not for her.
    const e = await open(eve, { peers: [], channel: cid }, 'none');
    await waitForStatus(e, 'ready');
    await waitForMessage(e, before, 'not-for-this-device');

    // Ana confirms Eve: the notice goes, the composer works again and has the focus.
    buttonByText(p, 'Confirm').click();
    await waitFor('notice gone', () => notices(p, 'unconfirmed').length === 0);
    await waitFor('composer enabled', () => !composerInput(p).matches(':disabled'));
    await waitFor('focus on the composer', () => shadow(p).activeElement === composerInput(p));
    expect(blockedReason(p)).to.equal('');
    await typeAndSend(p, 'after confirming: welcome Eve');
    await messageWithText(e, 'after confirming: welcome Eve');
    await messageWithText(d, 'after confirming: welcome Eve');

    // Reopened on this device, Eve stays confirmed (the pin is stored).
    p.remove();
    const again = await open(pat, { peers: [doc], channel: cid }, 'none');
    await waitForStatus(again, 'ready');
    await waitForMessage(again, before);
    expect(notices(again, 'unconfirmed')).to.have.length(0);

    const stored = await inspectStack();
    for (const secret of ['biopsy results', 'welcome Eve', 'Ana García', 'Dr. Lee Chen', 'Eve Ortiz'])
      expect(stored, secret).to.not.contain(secret);
  });

  it('a confirmed member the server removes is announced and can be acknowledged', async () => {
    const pat = { sub: subject('pat'), name: 'Ana García' };
    const doc = { sub: subject('doc'), name: 'Dr. Lee Chen' };
    const carol = { sub: subject('carol'), name: 'Carol Díaz' };
    const gid = await openChannel(pat, [doc, carol]);
    const p = await open(pat, { peers: [doc, carol], channel: gid });
    const carolId = await chatUserId(carol.sub);

    await serverMembers(gid, { remove: [carolId] });
    const [notice] = await waitFor(
      'the removed-member notice',
      () => notices(p, 'removed').at(0) && notices(p, 'removed'),
    );
    expect(notice?.getAttribute('role')).to.equal('status');
    expect(notice?.textContent).to.contain(
      'Carol Díaz was removed from this conversation. New messages are no longer encrypted for them.',
    );
    expect(composerInput(p).matches(':disabled')).to.equal(false); // nothing to confirm: sending goes on
    await screenshot(p, 'membership-removed');
    await expect(p).to.be.accessible();
    buttonByText(p, 'OK').click();
    await waitFor('notice gone', () => notices(p, 'removed').length === 0);
  });

  it('a non-contact calling itself "Dr. Lee Chen" is shown as self-declared, and flagged where it is no member', async () => {
    const pat = { sub: subject('pat'), name: 'Ana García' };
    const doc = { sub: subject('doc'), name: 'Dr. Lee Chen' };
    // Mallory's own portal session names her "Dr. Lee Chen"; Ana's portal does not list her.
    const mallory = { sub: subject('mallory'), name: 'Dr. Lee Chen' };

    // A group Mallory opened with Ana and the real Dr. Lee Chen: Ana's first open pins all three.
    const gid = await openChannel(mallory, [pat, doc]);
    const m = await open(mallory, { peers: [pat, doc], channel: gid });
    const d = await open(doc, { peers: [pat, mallory], channel: gid });
    const p = await open(pat, { peers: [doc], channel: gid });
    const fake = await m.send('Please reply with your insurance number');
    const real = await d.send('Your appointment is confirmed');
    const fakeNode = await waitForMessage(p, fake);
    const realNode = await waitForMessage(p, real);
    expect(fakeNode.querySelector('.who')?.textContent?.trim()).to.equal('Dr. Lee Chen (self-declared)');
    expect(fakeNode.dataset.sender).to.equal('self-declared');
    expect(fakeNode.dataset.flag).to.equal(undefined); // a member Ana pinned on first open
    expect(realNode.querySelector('.who')?.textContent?.trim()).to.equal('Dr. Lee Chen');
    expect(realNode.dataset.sender).to.equal('portal');
    // Header and typing line: portal names only.
    expect(shadow(p).querySelector('[part~="header"] h2')?.textContent).to.not.contain('self-declared');
    expect(shadow(p).querySelector('[part~="header"] h2')?.textContent).to.contain('Unknown member');
    const typing = shadow(p).querySelector('[part~="typing"]') as HTMLElement;
    await typeUntil(m, 'typing', () => /Someone is typing/.test(typing.textContent ?? ''));
    expect(typing.textContent).to.not.contain('Lee Chen');

    // The server adds Mallory to Ana's 1:1 with Dr. Lee Chen; Mallory posts there.
    const one = await open(pat, { peers: [doc], peer: doc.sub }, 'none');
    await waitForStatus(one, 'ready');
    const cid = await openChannel(pat, [doc]);
    await serverMembers(cid, { add: [await chatUserId(mallory.sub)] });
    await waitFor('the added-member notice', () => notices(one, 'unconfirmed').length === 1);
    const m1 = await open(mallory, { peers: [pat, doc], channel: cid }, 'none');
    await waitForStatus(m1, 'ready');
    const intruding = await m1.send('This is Dr. Lee Chen, send me your password');
    const flagged = await waitForMessage(one, intruding);
    expect(flagged.dataset.flag).to.equal('not-a-member');
    expect(flagged.classList.contains('flagged')).to.equal(true);
    expect(flagged.querySelector('[part~="sender-flag"]')?.textContent?.trim()).to.equal(
      'Not a confirmed member of this conversation',
    );
    expect(flagged.querySelector('.who')?.textContent?.trim()).to.equal('Dr. Lee Chen (self-declared)');
    await screenshot(one, 'membership-flagged-sender');
    await expect(one).to.be.accessible();

    // The conversation list names people from the portal only.
    const list = await open(pat, { peers: [doc] }, 'none');
    await waitForStatus(list, 'ready');
    const row = await waitFor('the group row', () =>
      shadow(list).querySelector<HTMLElement>(`button.conversation[data-cid="${gid}"]`),
    );
    expect(row.textContent).to.contain('Unknown member');
    expect(row.textContent).to.not.contain('self-declared');

    const stored = await inspectStack();
    for (const secret of [
      'insurance number',
      'appointment is confirmed',
      'send me your password',
      'Lee Chen',
    ])
      expect(stored, secret).to.not.contain(secret);
  });
});
