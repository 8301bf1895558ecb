// The chat server as an adversary, with the real stream-chat client and E3Kit against the local stack: it rolls an
// edit back, deletes a message its sender did not delete, and backdates one. Each shows as what it is, on the live
// screen and after a reload, and the stand-ins never hold the plaintext.
import { expect } from '@open-wc/testing';
import type { SecureChatElement } from '../src/secure-chat.js';
import {
  chatUserId,
  inspectStack,
  messageNode,
  screenshot,
  streamServer,
  subject,
  textOf,
  waitFor,
  waitForMessage,
  waitForStatus,
  WIDGET_ENTRY,
  widgetMounter,
  type Person,
} from './stack-helpers.js';

await import(WIDGET_ENTRY);

const open = widgetMounter();

type Stored = { message: Record<string, unknown> };

/** Alice and Bob in a conversation; Bob's key store has a fixed name, so he can reload on the same device. */
async function pair() {
  const alice: Person = { sub: subject('alice'), name: 'Alice Patient' };
  const bob: Person = { sub: subject('bob'), name: 'Dr Bob' };
  const storage = `tamper-${bob.sub}`;
  const a = await open(alice, { peers: [bob], peer: bob.sub });
  const b = await open(bob, { peers: [alice], peer: alice.sub, storage });
  const trusts: string[] = [];
  b.addEventListener('secure-chat-message', (e) => trusts.push(`${e.detail.id}:${e.detail.trust}`));
  /** Bob's widget again, on the same device (the same `key-storage-name`). */
  const reload = async (): Promise<SecureChatElement> => {
    b.remove();
    const again = await open(bob, { peers: [alice], peer: alice.sub, storage }, 'none');
    await waitForStatus(again, 'ready');
    return again;
  };
  return { a, b, aliceId: await chatUserId(alice.sub), trusts, reload };
}

const waitForText = (el: Element, id: string, text: string) =>
  waitFor(`"${text}" in ${id}`, () => {
    const node = messageNode(el, id);
    return node?.dataset.trust === 'verified' && textOf(node) === text && node;
  });

/** The shown state of a message: its trust and its words, never its text. */
async function shown(el: Element, id: string, trust: string): Promise<string> {
  const node = await waitForMessage(el, id, trust);
  expect(node.querySelector('.text'), `${id} shows no text`).to.equal(null);
  return node.textContent?.replace(/\s+/g, ' ').trim() ?? '';
}

const screenText = (el: Element) => el.shadowRoot?.textContent ?? '';

const deleteButton = (el: Element, id: string) =>
  [...(messageNode(el, id)?.querySelectorAll('button') ?? [])].find(
    (x) => x.textContent?.trim() === 'Delete',
  ) as HTMLButtonElement;

describe('<secure-chat> against a tampering server (real clients, local stack)', function () {
  this.timeout(240_000);

  it('shows an edit the server rolls back as rolled back, live and after a reload', async () => {
    const { a, b, aliceId, trusts, reload } = await pair();
    const id = await a.send('Take 10 mg of lisinopril daily');
    await waitForText(b, id, 'Take 10 mg of lisinopril daily');
    const { message: original } = await streamServer<Stored>('getMessage', id);
    await a.edit(id, 'Take 5 mg of lisinopril daily');
    await waitForText(b, id, 'Take 5 mg of lisinopril daily');

    // The server puts the original ciphertext (and attachments) back, as Alice's update.
    const { e2ee, attachments = [] } = original as { e2ee: unknown; attachments?: unknown[] };
    await streamServer('updateMessage', { id, text: original.text, e2ee, attachments }, aliceId);
    expect(await shown(b, id, 'rolled-back')).to.match(/older version of this message/);
    expect(trusts).to.include(`${id}:rolled-back`);
    // Alice's own device recorded her edit, so it is not fooled either.
    await waitForMessage(a, id, 'rolled-back');

    const again = await reload();
    expect(await shown(again, id, 'rolled-back')).to.match(/older version of this message/);
    expect(screenText(again)).to.not.contain('10 mg');
    await expect(again).to.be.accessible();

    const stored = await inspectStack();
    for (const text of ['lisinopril', 'Take 10 mg', 'Take 5 mg']) expect(stored).to.not.contain(text);
  });

  it("shows a deletion without the sender's tombstone as removed by the server, unlike the sender's own", async () => {
    const { a, b, trusts, reload } = await pair();
    const removed = await a.send('Biopsy results attached');
    const deleted = await a.send('Sent to the wrong patient');
    await waitForText(b, removed, 'Biopsy results attached');
    await waitForText(b, deleted, 'Sent to the wrong patient');

    // The server deletes one on its own, with Stream's delete.
    await streamServer('deleteMessage', removed);
    const byServer = await shown(b, removed, 'removed-by-server');
    expect(byServer).to.match(/Removed by the chat service, not by its sender/);
    expect(trusts).to.include(`${removed}:removed-by-server`);
    await waitForMessage(a, removed, 'removed-by-server');

    // Alice deletes the other: a signed tombstone, sent as her update. She sees it deleted at once.
    deleteButton(a, deleted).click();
    expect(await shown(a, deleted, 'deleted')).to.match(/Message deleted by its sender/);
    const bySender = await shown(b, deleted, 'deleted');
    expect(bySender).to.match(/Message deleted by its sender/);
    expect(bySender).to.not.equal(byServer);
    expect(trusts).to.include(`${deleted}:deleted`);
    // Stream still holds the message, with the tombstone's ciphertext and no attachments.
    const { message } = await streamServer<Stored>('getMessage', deleted);
    expect(message.type).to.not.equal('deleted');
    expect(message.e2ee).to.have.property('ct');
    expect(message.attachments ?? []).to.deep.equal([]);
    await screenshot(b, 'messages-removed-by-server');
    await expect(b).to.be.accessible();

    const again = await reload();
    await shown(again, removed, 'removed-by-server');
    await shown(again, deleted, 'deleted');
    await expect(again).to.be.accessible();

    const stored = await inspectStack();
    for (const text of ['Biopsy', 'wrong patient']) expect(stored).to.not.contain(text);
  });

  it('flags a backdated message (signed and server times disagree), live and after a reload', async () => {
    const { a, b, aliceId, trusts, reload } = await pair();
    const kept = await a.send('Your next visit is on Friday');
    const id = await a.send('Fasting from midnight before the scan');
    await waitForText(b, id, 'Fasting from midnight before the scan');
    await waitForText(b, kept, 'Your next visit is on Friday');

    // The server moves the message two hours back, then touches it so the change reaches the watchers.
    const res = await fetch('/__stack/stream-tamper/created-at', {
      method: 'POST',
      body: JSON.stringify({ id, createdAt: new Date(Date.now() - 2 * 3_600_000).toISOString() }),
    });
    expect(res.ok, await res.clone().text()).to.equal(true);
    const { message } = await streamServer<Stored>('getMessage', id);
    await streamServer('partialUpdateMessage', id, { set: { e2ee: message.e2ee } }, aliceId);
    expect(await shown(b, id, 'time-mismatch')).to.match(/time it was signed does not match/);
    expect(trusts).to.include(`${id}:time-mismatch`);
    expect(textOf(await waitForMessage(b, kept))).to.equal('Your next visit is on Friday');

    const again = await reload();
    await shown(again, id, 'time-mismatch');
    expect(textOf(await waitForMessage(again, kept))).to.equal('Your next visit is on Friday');
    await expect(again).to.be.accessible();

    const stored = await inspectStack();
    for (const text of ['Fasting from midnight', 'next visit']) expect(stored).to.not.contain(text);
  });
});
