import { expect } from '@open-wc/testing';
import {
  inspectStack,
  messageNode,
  screenshot,
  shadow,
  subject,
  textOf,
  waitFor,
  waitForMessage,
  type Person,
  WIDGET_ENTRY,
  widgetMounter,
} from './stack-helpers.js';

await import(WIDGET_ENTRY);
const mountWidget = widgetMounter();

const open = (me: Person, others: Person[], peer?: string, channel?: string) =>
  mountWidget(me, { peers: others, ...(peer ? { peer } : {}), ...(channel ? { channel } : {}) });

describe('<secure-chat> conversations (real clients, local stack)', function () {
  this.timeout(180_000);

  it('two users exchange, edit, reply in a thread and quote; the stand-ins hold no plaintext', async () => {
    const alice = { sub: subject('alice'), name: 'Alice Patient' };
    const bob = { sub: subject('bob'), name: 'Dr Bob' };
    const a = await open(alice, [bob], bob.sub);
    const b = await open(bob, [alice], alice.sub);
    await expect(a).to.be.accessible();

    const plain = {
      first: 'My blood sugar was 212 this morning',
      answer: 'Please take the reading again after lunch',
      edited: 'My blood sugar was 221 this morning (typo)',
      thread: 'Thread: should I skip the metformin dose?',
      quote: 'Quoting you: retest at 2pm',
    };
    const first = await a.send(plain.first);
    expect(textOf(await waitForMessage(b, first))).to.equal(plain.first);
    const answer = await b.send(plain.answer);
    expect(textOf(await waitForMessage(a, answer))).to.equal(plain.answer);

    await a.edit(first, plain.edited);
    await waitFor(
      'edit on bob',
      () =>
        textOf((shadow(b).querySelector(`[data-id="${first}"]`) as HTMLElement) ?? document.body) ===
        plain.edited,
    );

    const reply = await a.send(plain.thread, { parentId: first });
    // Bob opens the thread from the UI and reads the reply there.
    const firstNode = await waitForMessage(b, first);
    await waitFor('reply counter', () => /Replies \(1\)|Reply in thread/.test(firstNode.textContent ?? ''));
    [...firstNode.querySelectorAll('button')].find((x) => /Repl/.test(x.textContent ?? ''))?.click();
    const replyNode = await waitForMessage(b, reply);
    expect(replyNode.closest('[part~="thread"]')).to.not.equal(null);
    expect(textOf(replyNode)).to.equal(plain.thread);
    await expect(b).to.be.accessible();

    const quote = await b.send(plain.quote, { quoteId: answer });
    const quoteNode = await waitForMessage(a, quote);
    expect(textOf(quoteNode)).to.equal(plain.quote);
    expect(quoteNode.querySelector('.quote')?.textContent).to.contain(plain.answer);
    await screenshot(b, 'conversation-thread');
    await screenshot(a, 'conversation-quote');

    const stored = await inspectStack();
    for (const text of [...Object.values(plain), alice.name, bob.name]) {
      expect(stored.includes(text), `"${text}" found in the stand-ins`).to.equal(false);
    }
  });

  it('a three-member care team: everyone reads every message', async () => {
    const pat = { sub: subject('pat'), name: 'Pat' };
    const drA = { sub: subject('dra'), name: 'Dr A' };
    const drB = { sub: subject('drb'), name: 'Dr B' };
    const { apiUrl } = (await (await fetch('/__stack/config')).json()) as { apiUrl: string };
    const token = await (
      await fetch(`/__stack/session-token?sub=${pat.sub}&name=Pat&peers=${drA.sub}:A,${drB.sub}:B`)
    ).text();
    // Register the clinicians first so the channel can be created with all three.
    const x = await open(drA, [pat, drB], pat.sub);
    const y = await open(drB, [pat, drA], pat.sub);
    const res = await fetch(`${apiUrl}/v1/channels`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ peers: [drA.sub, drB.sub] }),
    });
    expect(res.status).to.equal(200);
    const { cid } = (await res.json()) as { cid: string };
    x.setAttribute('channel', cid);
    y.setAttribute('channel', cid);
    const p = await open(pat, [drA, drB], undefined, cid);
    await waitFor('clinicians ready', () => x.status === 'ready' && y.status === 'ready', 60_000);
    const ids = [await p.send('From the patient'), await x.send('From Dr A'), await y.send('From Dr B')];
    for (const el of [p, x, y]) for (const id of ids) await waitForMessage(el, id);
    // Display names come from the portal's claims, never from Stream.
    const title = shadow(p).querySelector('h2')?.textContent ?? '';
    expect(title).to.contain('Dr A');
    expect(title).to.contain('Dr B');
  });

  it('tells the sender, by name, who has no key yet and so cannot read the message', async () => {
    const pat = { sub: subject('pat'), name: 'Pat' };
    const newcomer = { sub: subject('new'), name: 'Dr Newcomer' };
    // The clinician has never opened secure chat: no key, no card.
    const p = await open(pat, [newcomer], newcomer.sub);
    const id = await p.send('Sent before the doctor set up secure chat');
    const notice = await waitFor('unreadable notice', () =>
      messageNode(p, id)?.querySelector<HTMLElement>('[part~="unreadable-notice"]'),
    );
    expect(notice.textContent).to.contain('Dr Newcomer');
    await expect(p).to.be.accessible();
  });
});
