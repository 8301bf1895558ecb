import { expect } from '@open-wc/testing';
import type { SecureChatElement } from '../src/secure-chat.js';
import {
  $,
  inspectStack,
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

const open = (me: Person, others: Person[], peer: string) => mountWidget(me, { peers: others, peer });

const connectionLine = (el: Element) => shadow(el).querySelector<HTMLElement>('[part~="connection"]');
const offlineText = (el: Element) => connectionLine(el)?.textContent?.trim() ?? '';

/** Every message node with this id in the main list: must be exactly one. */
const copies = (el: Element, id: string) =>
  shadow(el).querySelectorAll(`[part~="messages"] [data-id="${CSS.escape(id)}"]`).length;

/** Types into the main composer and presses Enter, as a user would. */
async function typeAndSend(el: SecureChatElement, text: string) {
  const box = $(el, '[part~="composer"] textarea') as HTMLTextAreaElement;
  box.value = text;
  box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
  await el.updateComplete;
}

const findByText = (el: Element, text: string) =>
  [...shadow(el).querySelectorAll<HTMLElement>('[part~="messages"] [data-id]')].find(
    (n) => textOf(n) === text,
  );

describe('<secure-chat> connection loss and recovery (real clients, local stack)', function () {
  this.timeout(240_000);

  it('the Stream stand-in restarts mid-conversation: status shown, typed message queued then delivered, every message exactly once', async () => {
    const alice = { sub: subject('alice'), name: 'Alice Patient' };
    const bob = { sub: subject('bob'), name: 'Dr Bob' };
    const a = await open(alice, [bob], bob.sub);
    const b = await open(bob, [alice], alice.sub);
    const ids = [await a.send('Before the outage (Alice)'), await b.send('Before the outage (Bob)')];
    for (const id of ids) {
      await waitForMessage(a, id);
      await waitForMessage(b, id);
    }
    // The status region exists (empty) before anything happens, so the change is announced politely.
    expect(connectionLine(a)?.getAttribute('role')).to.equal('status');
    expect(offlineText(a)).to.equal('');

    const restarted = fetch('/__stack/restart?service=stream', { method: 'POST' });
    await waitFor('offline status on alice', () => offlineText(a), 20_000);
    expect(offlineText(a)).to.match(/Connection lost/);

    // Typed while the connection is down: shown at once, marked as waiting, sent when the connection returns.
    const queuedText = 'Typed while the connection was down';
    await typeAndSend(a, queuedText);
    const queuedNode = await waitFor('queued message', () => findByText(a, queuedText), 5_000);
    expect(queuedNode.textContent).to.contain('waiting to send');
    await expect(a).to.be.accessible();
    await screenshot(a, 'connection-offline');

    expect((await restarted).ok).to.equal(true);
    await waitFor('alice back online', () => !offlineText(a), 60_000);
    await waitFor('bob back online', () => !offlineText(b), 60_000);

    const queuedId = await waitFor(
      'queued message sent',
      () => {
        const node = findByText(a, queuedText);
        return node && !/waiting to send|sending/.test(node.textContent ?? '') ? node.dataset.id : undefined;
      },
      30_000,
    );
    ids.push(queuedId);
    // Right after recovery, more traffic both ways.
    ids.push(await a.send('After the outage (Alice)'));
    ids.push(await b.send('After the outage (Bob)'));

    for (const [who, el] of [
      ['alice', a],
      ['bob', b],
    ] as const) {
      for (const [i, id] of ids.entries()) {
        await waitForMessage(el, id).catch((e: Error) => {
          throw new Error(`${who}, message #${i}: ${e.message}`);
        });
      }
    }
    // Exactly once each, in both windows, and nothing else appeared.
    for (const el of [a, b]) {
      for (const id of ids) expect(copies(el, id), `copies of ${id}`).to.equal(1);
      const shown = [...shadow(el).querySelectorAll<HTMLElement>('[part~="messages"] [data-id]')].map(
        (n) => n.dataset.id,
      );
      expect(shown.sort()).to.deep.equal([...ids].sort());
    }
    expect(textOf(await waitForMessage(b, queuedId))).to.equal(queuedText);

    // After the reconnect, the widget asked Stream for what it may have missed (merged by id above).
    const stored = await inspectStack();
    expect(stored).to.contain('created_at_after');
    expect(stored.includes(queuedText)).to.equal(false);
  });
});
