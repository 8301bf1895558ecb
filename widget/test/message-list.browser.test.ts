import { expect } from '@open-wc/testing';
import type { SecureChatElement } from '../src/secure-chat.js';
import {
  sessionToken,
  shadow,
  subject,
  typeUntil,
  waitFor,
  waitForMessage,
  waitForStatus,
  type Person,
  WIDGET_ENTRY,
  widgetMounter,
} from './stack-helpers.js';

// The real bundle (rollup output), as a portal loads it.
await import(WIDGET_ENTRY);
const mountWidget = widgetMounter();

/** Opens a widget; a fresh user skips the backup offer, a known one (same key storage) just comes back ready. */
async function open(
  me: Person,
  other: Person,
  fresh = true,
  group?: { channel: string; peers: Person[] },
): Promise<SecureChatElement> {
  const el = await mountWidget(
    me,
    {
      peers: group?.peers ?? [other],
      ...(group ? { channel: group.channel } : { peer: other.sub }),
      storage: `keys-${me.sub}`,
    },
    fresh ? 'skip' : 'none',
  );
  if (!fresh) await waitForStatus(el, 'ready');
  return el;
}

/** Two new users, each with a ready widget on their one-to-one conversation. */
async function pair() {
  const alice: Person = { sub: subject('alice'), name: 'Alice Patient' };
  const bob: Person = { sub: subject('bob'), name: 'Dr Bob' };
  const a = await open(alice, bob);
  const b = await open(bob, alice);
  return { alice, bob, a, b };
}

const list = (el: Element) => shadow(el).querySelector<HTMLElement>('[part~="messages"]') as HTMLElement;
const messageNodes = (el: Element) => shadow(el).querySelectorAll('[part~="messages"] [data-id]');
const node = (el: Element, id: string) => shadow(el).querySelector<HTMLElement>(`[data-id="${id}"]`);
const button = (root: ParentNode, text: RegExp) =>
  [...root.querySelectorAll('button')].find((x) =>
    text.test(x.textContent?.trim() ?? ''),
  ) as HTMLButtonElement;
const settle = async (el: SecureChatElement) => {
  await el.updateComplete;
  await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  await el.updateComplete;
};

/** Blocks the chat client's message POSTs, as if the network dropped just for sending. */
function blockSends(): () => void {
  const proto = XMLHttpRequest.prototype;
  const { open: realOpen, send: realSend } = proto;
  const urls = new WeakMap<XMLHttpRequest, string>();
  proto.open = function (this: XMLHttpRequest, method: string, url: string | URL, ...rest: unknown[]) {
    urls.set(this, `${method} ${url}`);
    return (realOpen as (...args: unknown[]) => void).call(this, method, url, ...rest);
  } as typeof proto.open;
  proto.send = function (this: XMLHttpRequest, body?: Document | XMLHttpRequestBodyInit | null) {
    if (/^POST .*\/channels\/.*\/message\b/.test(urls.get(this) ?? '')) {
      Object.defineProperty(this, 'readyState', { value: 4 });
      this.onerror?.(new ProgressEvent('error'));
      return;
    }
    return realSend.call(this, body);
  };
  return () => {
    proto.open = realOpen;
    proto.send = realSend;
  };
}

async function streamRateLimits(rateLimits: Record<string, { userLimit: number }>) {
  await fetch('/__stack/stream-settings', { method: 'POST', body: JSON.stringify({ rateLimits }) });
}

describe('<secure-chat> message list (real clients, local stack)', function () {
  // The long conversation sends (and reads) hundreds of messages in seconds: far over Stream's 60 calls a minute per
  // user and endpoint, which these tests are not about (rate-limits.browser.test.ts is).
  before(() => streamRateLimits({ SendMessage: { userLimit: 10_000 }, MarkRead: { userLimit: 10_000 } }));
  after(() => streamRateLimits({}));
  this.timeout(240_000);

  it('renders an XSS corpus as text: nothing executes, no elements but http(s) links', async () => {
    const { a, b } = await pair();
    let trapped = 0;
    const w = window as unknown as Record<string, unknown>;
    w.__xss = () => trapped++;
    const corpus = [
      '<img src=x onerror=__xss()>',
      '<script>__xss()</script>',
      '"><script>__xss()</script>',
      "'><img src=x onerror=__xss()>",
      '<svg onload=__xss()>',
      '<svg><script>__xss()</script></svg>',
      '<svg><animate onbegin=__xss() attributeName=x dur=1s>',
      '<iframe src="javascript:__xss()"></iframe>',
      '<iframe srcdoc="<script>parent.__xss()</script>"></iframe>',
      '<a href="javascript:__xss()">click</a>',
      'javascript:__xss()',
      'JaVaScRiPt:__xss()',
      'java\u0000script:__xss()',
      '&#106;avascript:__xss()',
      'data:text/html,<script>__xss()</script>',
      'vbscript:__xss()',
      '<body onload=__xss()>',
      '<input autofocus onfocus=__xss()>',
      '<details open ontoggle=__xss()>',
      '<video><source onerror=__xss()></video>',
      '<audio src=x onerror=__xss()>',
      '<object data="javascript:__xss()"></object>',
      '<embed src="javascript:__xss()">',
      '<math><mtext><table><mglyph><style><img src=x onerror=__xss()>',
      '<style>@import "javascript:__xss()";</style>',
      '<link rel=stylesheet href="javascript:__xss()">',
      '<meta http-equiv="refresh" content="0;url=javascript:__xss()">',
      '<form action="javascript:__xss()"><button>x</button></form>',
      '<button formaction="javascript:__xss()">x</button>',
      '<div style="background:url(javascript:__xss())">x</div>',
      '<marquee onstart=__xss()>x</marquee>',
      '<template><img src=x onerror=__xss()></template>',
      '<noscript><p title="</noscript><img src=x onerror=__xss()>">',
      '<!--<img src=x onerror=__xss()>-->',
      '<![CDATA[<img src=x onerror=__xss()>]]>',
      '${__xss()}',
      '{{constructor.constructor("__xss()")()}}',
      '<x-foo onclick=__xss()>x</x-foo>',
      '<slot name=header onclick=__xss()></slot>',
      '\u202e<img src=x onerror=__xss()>',
      '\uff1cimg src=x onerror=__xss()\uff1e',
      '<img src=x onerror=&#95;&#95;xss()>',
      '<img src="x` `<script>__xss()</script>"` `>',
      '<a href="https://ok.test/" onmouseover=__xss()>hover</a>',
      'https://ok.test/"><img src=x onerror=__xss()>',
      "https://ok.test/'onmouseover='__xss()",
      'http://ok.test/<script>__xss()</script>',
      'https://ok.test/path?q=<svg/onload=__xss()>',
      'see https://ok.test/safe, and javascript:__xss() too',
      '<base href="javascript:__xss()//">',
      '<isindex action="javascript:__xss()" type=image>',
      '<img src=x:alert(1) onerror=eval(atob("X194c3MoKQ=="))>',
      '<div onpointerenter=__xss()>hover</div>',
      '"onfocus=__xss() autofocus x="',
      '</textarea><script>__xss()</script>',
    ];
    expect(corpus.length).to.be.at.least(50);
    const ids: string[] = [];
    for (const text of corpus) ids.push(await a.send(text));
    for (const [i, id] of ids.entries()) {
      const n = await waitForMessage(b, id);
      const body = n.querySelector('.text') as HTMLElement;
      expect(body.textContent, `payload ${i}`).to.equal(corpus[i]);
      for (const child of body.childNodes) {
        if (child.nodeType === Node.TEXT_NODE || child.nodeType === Node.COMMENT_NODE) continue;
        const link = child as HTMLAnchorElement;
        expect(link.tagName, `payload ${i}`).to.equal('A');
        expect(link.protocol, `payload ${i}`).to.match(/^https?:$/);
        expect(link.rel).to.equal('noopener noreferrer');
        expect(link.target).to.equal('_blank');
        expect(link.children.length).to.equal(0);
        // Besides these, only the list's roving focus may set tabindex, and only to take the link out of the Tab
        // order while its message is not the focused one (ui/roving.ts).
        const names = [...link.attributes].map((x) => x.name).filter((name) => name !== 'tabindex');
        expect(names.sort()).to.deep.equal(['href', 'rel', 'target']);
        expect(link.getAttribute('tabindex') ?? '-1').to.equal('-1');
      }
    }
    // Linkified URLs still work as links.
    const linked = node(b, ids[corpus.indexOf('see https://ok.test/safe, and javascript:__xss() too')]!)!;
    expect([...linked.querySelectorAll('.text a')].map((x) => (x as HTMLAnchorElement).href)).to.deep.equal([
      'https://ok.test/safe',
    ]);
    // Hover/focus handlers would fire on interaction: move over and focus every node.
    for (const el of shadow(b).querySelectorAll<HTMLElement>('.text, .text *')) {
      el.dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));
      el.dispatchEvent(new PointerEvent('pointerenter'));
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(trapped).to.equal(0);
    expect(shadow(b).querySelectorAll('.text img, .text script, .text svg, .text iframe').length).to.equal(0);
  });

  it('groups by sender and day, shows delivery (sending, sent, seen), typing and presence', async () => {
    const { a, b } = await pair();
    const first = await a.send('Group one');
    const second = await a.send('Group two');
    const n1 = await waitForMessage(b, first);
    const n2 = await waitForMessage(b, second);
    // Same sender within minutes: one group, the second message without its own sender heading.
    expect(n2.previousElementSibling).to.equal(n1);
    expect(n2.classList.contains('group-start')).to.equal(false);
    expect(n2.querySelector('.who')).to.equal(null);
    // One day heading for today, in the user's locale.
    const headings = [...shadow(b).querySelectorAll('[part~="day-heading"]')].map((h) =>
      h.textContent?.trim(),
    );
    expect(headings).to.include(new Intl.DateTimeFormat('en', { dateStyle: 'full' }).format(new Date()));
    expect(new Set(headings).size).to.equal(headings.length);
    // Bob is at the bottom, so he has read it: Alice sees "Seen".
    const own = node(a, second)!;
    await waitFor('seen', () => own.dataset.delivery === 'read' && /Seen/.test(own.textContent ?? ''));
    // Typing, with the name from the portal's contacts.
    const typing = shadow(a).querySelector('[part~="typing"]') as HTMLElement;
    await typeUntil(b, 'typing', () => /Dr Bob is typing/.test(typing.textContent ?? ''));
    // Bob stops typing and sends: the indicator ends (typing.stop, or his message: session-list.test.ts);
    // presence shows Bob online.
    const reply = await b.send('done typing');
    await waitFor('typing ends', () => !/typing/.test(typing.textContent ?? ''), 10_000);
    // A change of sender starts a new group with the sender's name.
    const replyNode = await waitForMessage(a, reply);
    expect(replyNode.classList.contains('group-start')).to.equal(true);
    expect(replyNode.querySelector('.who')?.textContent).to.equal('Dr Bob');
    expect(typing.textContent).to.contain('Online: Dr Bob');
    // The log is labelled and polite.
    expect(list(a).getAttribute('role')).to.equal('log');
    expect(list(a).getAttribute('aria-live')).to.equal('polite');
    expect(list(a).getAttribute('aria-label')).to.equal('Messages');
    await expect(a).to.be.accessible();
  });

  it('adds and removes reactions, deletes own messages for everyone', async () => {
    const { a, b } = await pair();
    const id = await a.send('React to me');
    const mine = await waitForMessage(b, id);
    const like = () => node(b, id)!.querySelector('[data-reaction="like"]') as HTMLButtonElement;
    const likeOnA = () => node(a, id)!.querySelector('[data-reaction="like"]') as HTMLButtonElement;
    // No chips until someone reacts; Bob picks 👍 from the reaction picker.
    expect(like()).to.equal(null);
    const toggle = node(b, id)!.querySelector('[data-toggle="react"]') as HTMLButtonElement;
    toggle.click();
    expect(toggle.getAttribute('aria-expanded')).to.equal('true');
    (node(b, id)!.querySelector('[data-pick="like"]') as HTMLButtonElement).click();
    expect(toggle.getAttribute('aria-expanded')).to.equal('false');
    await waitFor('own reaction', () => like()?.getAttribute('aria-pressed') === 'true');
    await waitFor('reaction on alice', () => /1/.test(likeOnA()?.textContent ?? ''));
    expect(likeOnA().getAttribute('aria-pressed')).to.equal('false');
    // Keyboard: focus and activate with Enter on the real button.
    like().focus();
    like().click();
    // The last reaction removed: the chip goes, on both sides.
    await waitFor('removed', () => like() === null);
    await waitFor('removed on alice', () => likeOnA() === null);
    expect(mine.isConnected).to.equal(true);

    button(node(a, id)!, /^Delete$/).click();
    await waitForMessage(b, id, 'deleted');
    expect(node(b, id)!.textContent).to.contain('Message deleted');
    await waitForMessage(a, id, 'deleted');
  });

  it('threads open in a side panel with focus moving in and back; edits show for everyone', async () => {
    const { a, b } = await pair();
    const parent = await a.send('Thread parent');
    const parentNode = await waitForMessage(b, parent);
    const threadButton = parentNode.querySelector('[data-action="thread"]') as HTMLButtonElement;
    threadButton.focus();
    threadButton.click();
    await waitFor('focus in thread', () => shadow(b).activeElement?.id === 'compose-thread');
    expect(shadow(b).activeElement?.closest('.thread-panel')).to.not.equal(null);
    const reply = await b.send('Reply in the panel', { parentId: parent });
    const replyNode = await waitForMessage(b, reply);
    expect(replyNode.closest('[part~="thread"]')).to.not.equal(null);
    await expect(b).to.be.accessible();
    button(shadow(b), /^Close thread$/).click();
    await waitFor('focus back', () => shadow(b).activeElement?.getAttribute('data-action') === 'thread');
    expect(shadow(b).activeElement?.closest('[data-id]')?.getAttribute('data-id')).to.equal(parent);
    await a.edit(parent, 'Thread parent (edited)');
    await waitFor(
      'edited on bob',
      () => node(b, parent)?.querySelector('.text')?.textContent === 'Thread parent (edited)',
    );
    expect(node(b, parent)!.querySelector('.meta')?.textContent).to.contain('edited');
  });

  it('a failed send is kept and marked, and Retry delivers it', async () => {
    const { a, b } = await pair();
    const unblock = blockSends();
    let failedId = '';
    try {
      await a.send('Will fail first').catch(() => undefined);
      const failed = await waitFor('failed node', () =>
        [...shadow(a).querySelectorAll<HTMLElement>('[data-delivery="failed"]')].at(-1),
      );
      failedId = failed.dataset.id as string;
      expect(failed.textContent).to.contain('Not sent.');
    } finally {
      unblock();
    }
    button(node(a, failedId)!, /^Retry$/).click();
    await waitFor('retried', () => node(a, failedId)?.dataset.delivery !== 'failed');
    const received = await waitForMessage(b, failedId);
    expect(received.querySelector('.text')?.textContent).to.equal('Will fail first');
  });

  it('shows a "new messages" divider at the first unread message after reopening', async () => {
    const { alice, bob, a, b: first } = await pair();
    // Bob has read the conversation so far, and Alice sees him online.
    const read = await a.send('Before you left');
    await waitForMessage(first, read);
    const status = shadow(a).querySelector('[part~="typing"]') as HTMLElement;
    await waitFor('read', () => node(a, read)?.dataset.delivery === 'read');
    await waitFor('bob online', () => /Online: Dr Bob/.test(status.textContent ?? ''), 15_000);
    first.remove();
    // Bob's connection closes: Stream's presence event takes him off Alice's "Online" line.
    await waitFor('bob offline', () => !/Dr Bob/.test(status.textContent ?? ''), 15_000);
    const unread = await a.send('While you were away');
    await a.send('And another one');
    const b = await open(bob, alice, false);
    const n = await waitForMessage(b, unread);
    const divider = shadow(b).querySelector('[part~="new-messages-divider"]') as HTMLElement;
    expect(divider).to.not.equal(null);
    expect(divider.nextElementSibling).to.equal(n);
    expect(divider.textContent).to.contain('New messages');
  });

  it('a long conversation: bounded nodes, history on scroll-up with a steady position, jump to latest', async () => {
    const { alice, bob, a, b: first } = await pair();
    // Bob's first device only registered his key: closed now, so it does not decrypt and render the whole seed live.
    first.remove();
    const total = 260;
    const sent: string[] = [];
    for (let i = 0; i < total; i += 20) {
      sent.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(20, total - i) }, (_, k) => a.send(`History ${i + k}`)),
        )),
      );
    }
    // A fresh session for Bob: only the newest page is fetched, and only what is shown is decrypted.
    const b = await open(bob, alice, false);
    await waitForMessage(b, sent.at(-1)!);
    await settle(b);
    expect(messageNodes(b).length).to.be.at.most(150);
    const scroller = list(b);
    let sawOldest = false;
    for (let step = 0; step < 60 && !sawOldest; step++) {
      // Scroll to the top; the first message in view must stay where it is while older ones load above it.
      scroller.scrollTop = 0;
      const top = scroller.getBoundingClientRect().top;
      const anchor = [...messageNodes(b)].find((x) => x.getBoundingClientRect().bottom > top) as HTMLElement;
      const before = anchor.getBoundingClientRect().top - top;
      await new Promise((r) => setTimeout(r, 250));
      await settle(b);
      expect(messageNodes(b).length).to.be.at.most(150);
      const again = node(b, anchor.dataset.id as string);
      if (again && scroller.scrollTop > 0) {
        const after = again.getBoundingClientRect().top - scroller.getBoundingClientRect().top;
        expect(Math.abs(after - before), `step ${step}`).to.be.below(3);
      }
      sawOldest = Boolean(node(b, sent[0]!));
    }
    expect(sawOldest, 'reached the first message through history').to.equal(true);
    const oldest = await waitForMessage(b, sent[0]!);
    expect(oldest.querySelector('.text')?.textContent).to.equal('History 0');
    expect(node(b, sent.at(-1)!)).to.equal(null);
    // A message arriving while scrolled up is counted on "Jump to latest", which brings the list to it.
    const newest = await a.send('Newest, while Bob reads history');
    const jump = await waitFor('jump with count', () => {
      const x = shadow(b).querySelector<HTMLButtonElement>('[part~="jump-to-latest"]');
      return x && /Jump to latest \(\d+ new\)/.test(x.textContent ?? '') ? x : undefined;
    });
    expect(node(b, newest)).to.equal(null);
    jump.click();
    await waitForMessage(b, newest);
    await waitForMessage(b, sent.at(-1)!);
    await waitFor('focus on the list', () => shadow(b).activeElement === scroller);
    await settle(b);
    expect(messageNodes(b).length).to.be.at.most(150);
    await waitFor('jump hidden', () => !shadow(b).querySelector('[part~="jump-to-latest"]'));
    await expect(b).to.be.accessible();
  });

  it('a group shows "Seen by" with the names of the members who read it', async () => {
    const { alice, bob } = await pair(); // registers Alice's and Bob's keys
    const carol: Person = { sub: subject('carol'), name: 'Carol Nurse' };
    await open(carol, alice); // registers Carol's key
    const { apiUrl } = (await (await fetch('/__stack/config')).json()) as { apiUrl: string };
    const token = await sessionToken(alice.sub, alice.name, [bob, carol]);
    const res = await fetch(`${apiUrl}/v1/channels`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ peers: [bob.sub, carol.sub] }),
    });
    expect(res.status).to.equal(200);
    const { cid } = (await res.json()) as { cid: string };
    const ga = await open(alice, bob, false, { channel: cid, peers: [bob, carol] });
    const gb = await open(bob, alice, false, { channel: cid, peers: [alice, carol] });
    const id = await ga.send('For the whole care team');
    await waitForMessage(gb, id);
    const own = node(ga, id)!;
    await waitFor('seen by bob', () => /Seen by Dr Bob/.test(own.textContent ?? ''));
    expect(own.dataset.delivery).to.equal('read');
    const gc = await open(carol, alice, false, { channel: cid, peers: [alice, bob] });
    await waitForMessage(gc, id);
    await waitFor('seen by both', () =>
      /Seen by (Dr Bob, Carol Nurse|Carol Nurse, Dr Bob)/.test(own.textContent ?? ''),
    );
  });
});
