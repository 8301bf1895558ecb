// Stream's rate limits (429, code 9) against the stand-in, limited to one message per window for the test: sends are
// delayed, said to be delayed, kept in order, and sent once the service allows.
import { expect } from '@open-wc/testing';
import {
  $,
  chatUserId,
  inspectStack,
  shadow,
  subject,
  textOf,
  waitFor,
  waitForMessage,
  WIDGET_ENTRY,
  widgetMounter,
} from './stack-helpers.js';

await import(WIDGET_ENTRY);
const mountWidget = widgetMounter();

async function rateLimits(limits: Record<string, { userLimit: number; windowSeconds: number }>) {
  const res = await fetch('/__stack/stream-settings', {
    method: 'POST',
    body: JSON.stringify({ rateLimits: limits }),
  });
  if (!res.ok) throw new Error(`stream-settings ${res.status}: ${await res.text()}`);
}

/** The user's own message node that shows this text (its id is known only once Stream took it). */
const ownNode = (el: Element, text: string) =>
  [...shadow(el).querySelectorAll<HTMLElement>('[data-id]')].find((n) => textOf(n) === text);

describe('<secure-chat> under Stream rate limits', function () {
  this.timeout(180_000);

  afterEach(() => rateLimits({}));

  it('delays sends refused with 429, says so, keeps their order, and sends each exactly once when allowed', async () => {
    const alice = { sub: subject('alice'), name: 'Alice' };
    const bob = { sub: subject('bob'), name: 'Dr Bob' };
    const a = await mountWidget(alice, { peers: [bob], peer: bob.sub });
    const b = await mountWidget(bob, { peers: [alice], peer: alice.sub });
    const hello = await a.send('before the limit');
    await waitForMessage(b, hello);

    // One message per 8 s window for each user: the first goes out, the next two are refused until the window ends.
    await rateLimits({ SendMessage: { userLimit: 1, windowSeconds: 8 } });
    const first = await a.send('first in the window');
    const second = a.send('second: delayed');
    const third = a.send('third: waits behind the second');

    const delayed = await waitFor('delayed message', () => {
      const node = ownNode(a, 'second: delayed');
      return node?.dataset.delivery === 'delayed' ? node : undefined;
    });
    expect(delayed.querySelector('.delivery')?.textContent).to.match(/delayed, will send automatically/);
    // The connection line (a polite live region) announces it.
    const line = $(a, '[part~="connection"]');
    expect(line.getAttribute('role')).to.equal('status');
    expect(line.textContent).to.match(/asked secure chat to slow down/);
    await expect(a).to.be.accessible();
    expect(ownNode(a, 'third: waits behind the second')?.dataset.delivery).to.be.oneOf([
      'sending',
      'delayed',
    ]);

    // Nothing is lost: both go out when allowed, in order, and Bob reads them verified.
    const [secondId, thirdId] = await Promise.all([second, third]);
    for (const [id, text] of [
      [first, 'first in the window'],
      [secondId, 'second: delayed'],
      [thirdId, 'third: waits behind the second'],
    ] as const) {
      expect(textOf(await waitForMessage(b, id, 'verified', 60_000))).to.equal(text);
    }
    const order = [...shadow(b).querySelectorAll<HTMLElement>('[data-id]')].map((n) => n.dataset.id);
    expect(order.indexOf(secondId)).to.be.lessThan(order.indexOf(thirdId));
    await waitFor('no delay left', () => !/slow down/.test(line.textContent ?? ''));
    expect(ownNode(a, 'second: delayed')?.dataset.delivery).to.not.equal('delayed');
    // Stored once each: Alice's four messages, no more.
    const me = await chatUserId(alice.sub);
    const { stream } = JSON.parse(await inspectStack()) as { stream: { messages: { user_id: string }[] } };
    expect(stream.messages.filter((m) => m.user_id === me).length).to.equal(4);
  });
});
