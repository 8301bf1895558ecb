// Frame isolation (`isolation="frame"`, docs/isolation.md) against the real clients and the local stack. Three
// origins: this page (`http://localhost:<port>`, the allowed portal origin), the widget CDN (`widgetCdnUrl`, which
// serves the build and so the frame, as a CDN would) and `http://127.0.0.1:<port>` (an origin the API refuses).
import { expect } from '@open-wc/testing';
import type { SecureChatElement } from '../src/secure-chat.js';
import {
  chatUserId,
  sessionToken,
  shadow,
  stackConfig,
  subject,
  textOf,
  waitFor,
  waitForMessage,
  widgetMounter,
  type Person,
} from './stack-helpers.js';

const { apiUrl, widgetCdnUrl: cdn } = await stackConfig();
// The widget as a portal loads it from its CDN: the frame it opens is then the CDN's, another origin than this page.
await import(`${cdn}/dist/widget/secure-chat.js`);
const mountNone = widgetMounter();
// The device setup page reports its steps: shown in the browser logs when a setup fails.
addEventListener('message', (event) => {
  if (event.data?.type === 'device-log') console.log('device setup:', event.data.step, event.data.status);
});

const placed: Element[] = [];
afterEach(() => {
  for (const node of placed.splice(0)) node.remove();
});
const place = <T extends Element>(node: T): T => {
  placed.push(node);
  document.body.append(node);
  return node;
};

/** Resolves with the first `message` from `origin` whose `data.type` is one of `types`. */
const messageFrom = (origin: string, ...types: string[]) =>
  new Promise<Record<string, unknown>>((resolve) => {
    const listener = (event: MessageEvent) => {
      if (event.origin !== origin || !types.includes(event.data?.type)) return;
      removeEventListener('message', listener);
      resolve(event.data);
    };
    addEventListener('message', listener);
  });

/**
 * Registers `me`'s device key in the storage partition the frame gets under this page: a page of the widget's
 * origin, embedded here, runs the first-device steps (the frame's own key screens cannot be clicked from here).
 */
async function setUpFrameDevice(
  me: Person,
  peers: Person[],
  peer: string,
  storage: string,
  keep = false,
): Promise<HTMLIFrameElement> {
  const iframe = place(document.createElement('iframe'));
  iframe.title = 'device setup';
  const loaded = new Promise((resolve) => iframe.addEventListener('load', resolve, { once: true }));
  iframe.src = `${cdn}/widget/test/fixtures/device-setup.html`;
  await loaded;
  const done = messageFrom(cdn, 'device-ready', 'device-failed');
  const token = await sessionToken(me.sub, me.name, peers);
  iframe.contentWindow!.postMessage({ type: 'setup-device', apiUrl, peer, storage, token, keep }, cdn);
  const result = await done;
  expect(result.type, `device setup (${String(result.status)}: ${String(result.error)})`).to.equal(
    'device-ready',
  );
  if (!keep) iframe.remove();
  return iframe;
}

/** A contact on a page of the widget's origin: what it sends is never in this page, not even as input. */
async function contactDevice(me: Person, peers: Person[], peer: string) {
  const iframe = await setUpFrameDevice(me, peers, peer, storageName(), true);
  return {
    async send(text: string): Promise<string> {
      const sent = messageFrom(cdn, 'sent');
      iframe.contentWindow!.postMessage({ type: 'send', text }, cdn);
      return String((await sent).id);
    },
  };
}

interface Framed {
  el: SecureChatElement;
  messages: { id: string; from: string; trust: string; change: string }[];
  events: string[];
}

async function mountFrame(me: Person, peers: Person[], peer: string, storage: string): Promise<Framed> {
  await setUpFrameDevice(me, peers, peer, storage);
  const el = document.createElement('secure-chat');
  const framed: Framed = { el, messages: [], events: [] };
  for (const name of [
    'secure-chat-ready',
    'secure-chat-locked',
    'secure-chat-signed-out',
    'secure-chat-send',
  ])
    el.addEventListener(name, () => framed.events.push(name));
  el.addEventListener('secure-chat-message', (event) => framed.messages.push(event.detail));
  el.setAttribute('isolation', 'frame');
  el.setAttribute('api-url', apiUrl);
  el.setAttribute('peer', peer);
  el.setAttribute('key-storage-name', storage);
  el.getSessionToken = () => sessionToken(me.sub, me.name, peers);
  place(el);
  el.addEventListener('secure-chat-error', (event) =>
    console.log('frame error', JSON.stringify(event.detail)),
  );
  await waitFor(`frame ready (now ${el.status})`, () => el.status === 'ready', 90_000);
  return framed;
}

const person = (name: string): Person => ({ sub: subject(name.toLowerCase()), name });
const storageName = () => `frame-${Math.random().toString(36).slice(2, 10)}`;

/** Every open shadow root's markup, recursively, with the document's. */
function everythingRendered(root: Document | ShadowRoot = document): string {
  let text = root instanceof Document ? root.documentElement.outerHTML : root.innerHTML;
  for (const el of root.querySelectorAll('*')) if (el.shadowRoot) text += everythingRendered(el.shadowRoot);
  return text;
}

/** Bytes as Latin-1 text, so plaintext stored as bytes shows up in a search too. */
const asText = (_key: string, value: unknown) =>
  value instanceof ArrayBuffer || ArrayBuffer.isView(value)
    ? new TextDecoder('latin1').decode(value as ArrayBuffer)
    : value instanceof CryptoKey
      ? `[CryptoKey ${value.type} ${JSON.stringify(value.algorithm)}]`
      : value;

const databaseNames = async () => (await indexedDB.databases()).map((db) => db.name ?? '').filter(Boolean);

/**
 * What a script of this origin finds in IndexedDB: each database's name and everything stored, as text. Databases
 * in `earlier` are left out: Firefox and WebKit keep one profile for the whole run, so widgets of other test files
 * (in `none` mode, on this origin) left theirs.
 */
async function indexedDbContents(
  earlier: ReadonlySet<string>,
): Promise<{ names: string[]; text: string; cryptoKeys: number }> {
  const names = (await databaseNames()).filter((name) => !earlier.has(name));
  let text = '';
  let cryptoKeys = 0;
  for (const name of names) {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(name);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    for (const store of db.objectStoreNames) {
      const values = await new Promise<unknown[]>((resolve, reject) => {
        const request = db.transaction(store).objectStore(store).getAll();
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      text += JSON.stringify(values, asText);
      cryptoKeys += (JSON.stringify(values, asText).match(/\[CryptoKey /g) ?? []).length;
    }
    db.close();
  }
  return { names, text, cryptoKeys };
}

const webStorage = () => JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage)]);

/** A hostile script on the portal page: everything it can see, as text, and the key material it can reach. */
async function hostileScan(heard: unknown[], earlier: ReadonlySet<string> = new Set()) {
  const idb = await indexedDbContents(earlier);
  return {
    seen: [everythingRendered(), webStorage(), idb.text, JSON.stringify(heard, asText)].join('\n'),
    databases: idb.names,
    cryptoKeys: idb.cryptoKeys,
  };
}

describe('<secure-chat isolation="frame"> (real clients, local stack, widget on its own origin)', function () {
  this.timeout(150_000);

  it('keeps plaintext and keys from a hostile script on the page, and answers no forged message', async () => {
    // The hostile script, installed first: it hears every window message and every message port the page uses.
    const earlier = new Set(await databaseNames());
    const heard: unknown[] = [];
    const onMessage = (event: MessageEvent) => heard.push(event.data);
    addEventListener('message', onMessage, true);
    const ports = new Set<MessagePort>();
    const realPost = MessagePort.prototype.postMessage;
    MessagePort.prototype.postMessage = function (this: MessagePort, ...args: unknown[]) {
      if (!ports.has(this)) {
        ports.add(this);
        this.addEventListener('message', (event) => heard.push(event.data));
      }
      heard.push(args[0]);
      return (realPost as (...a: unknown[]) => void).apply(this, args);
    } as typeof realPost;

    try {
      const alice = person('Alice');
      const bob = person('Bob');
      // Alice in frame mode on this page, Bob on a page of the widget's origin, so his text never passes here.
      const a = await mountFrame(alice, [bob], bob.sub, storageName());
      const b = await contactDevice(bob, [alice], alice.sub);
      const bobId = await chatUserId(bob.sub);
      const secret = `lab results ${crypto.randomUUID()}`;
      const sent = await b.send(secret);
      // It arrived, decrypted and verified, in Alice's frame (so there is plaintext to find), reported by id only.
      await waitFor('Alice receives', () =>
        a.messages.find((m) => m.id === sent && m.from === bobId && m.trust === 'verified'),
      );

      // Forged handshakes and requests from this page's origin: a second port, raw calls, and calls into the
      // proxy's own channel (which this script got hold of) that are not the public API.
      const frames = [shadow(a.el).querySelector('iframe')!.contentWindow!];
      const forgedAnswers: unknown[] = [];
      for (const frame of frames) {
        const channel = new MessageChannel();
        channel.port1.onmessage = (event) => forgedAnswers.push(event.data);
        frame.postMessage({ t: 'secure-chat-frame-connect' }, '*', [channel.port2]);
        frame.postMessage({ t: 'call', id: 1, method: 'send', args: ['forged'] }, '*');
      }
      // 9001 and 9004 are nothing the proxy sends: no answer. 9002 and 9003 are the public API with wrong
      // arguments, which any script on the page can call on the element anyway: refused with `config`, as there.
      const forgedIds = [9001, 9004];
      const badArgumentIds = [9002, 9003];
      for (const port of ports) {
        realPost.call(port, { t: 'call', id: 9001, method: 'readAll', args: [] });
        realPost.call(port, { t: 'call', id: 9002, method: 'send', args: [{ text: 'not a string' }] });
        realPost.call(port, { t: 'call', id: 9003, method: 'edit', args: [42] });
        realPost.call(port, { t: 'request', id: 9004, what: 'keys' });
      }
      // From an origin that is neither the portal's nor the widget's.
      const foreign = `http://127.0.0.1:${location.port}`;
      const forgerDone = messageFrom(foreign, 'forger-done');
      const forger = place(document.createElement('iframe'));
      forger.title = 'forger';
      forger.src = `${foreign}/widget/test/fixtures/forger.html`;
      const forgerReport = (await forgerDone) as { frames: number; answers: unknown[] };
      await new Promise((resolve) => setTimeout(resolve, 1500));

      expect(forgedAnswers, 'answers to forged handshakes').to.deep.equal([]);
      const answeredForged = heard.filter(
        (data) =>
          (data as { t?: string; id?: number })?.t === 'result' &&
          forgedIds.includes((data as { id: number }).id),
      );
      expect(answeredForged, 'answers to forged calls in the channel').to.deep.equal([]);
      const refusedCalls = heard.filter(
        (data) =>
          (data as { t?: string; id?: number })?.t === 'result' &&
          badArgumentIds.includes((data as { id: number }).id),
      );
      const refused = refusedCalls as { id: number; ok: boolean; code: string }[];
      expect([...new Set(refused.map((data) => data.id))].sort()).to.deep.equal(badArgumentIds);
      expect(refused.every((data) => !data.ok && data.code === 'config')).to.equal(true);
      // Frames in shadow trees are not in `window.frames`: the other origin reaches at most the page's other frames.
      expect(forgerReport.frames).to.be.a('number');
      expect(forgerReport.answers, 'answers to the other origin').to.deep.equal([]);

      const scan = await hostileScan(heard, earlier);
      expect(heard.length, 'the script did hear the proxy traffic').to.be.greaterThan(0);
      expect(scan.seen).to.include(sent); // ids are public: the page's events carry them
      expect(scan.seen).not.to.include(secret);
      expect(scan.cryptoKeys, 'keys in this origin').to.equal(0);
      expect(scan.databases.filter((name) => name.startsWith('frame-'))).to.deep.equal([]);
      // Still working after all that: the forged requests changed nothing.
      const after = await b.send('still here');
      await waitFor('Alice receives the next one', () => a.messages.find((m) => m.id === after));
    } finally {
      MessagePort.prototype.postMessage = realPost;
      removeEventListener('message', onMessage, true);
    }
  });

  it('in none mode, the same script reads the plaintext and reaches a usable device key (what frame mode prevents)', async () => {
    const earlier = new Set(await databaseNames());
    const alice = person('Alice');
    const bob = person('Bob');
    const storage = storageName();
    const a = await mountNone(alice, { peers: [bob], peer: bob.sub, storage });
    const b = await mountNone(bob, { peers: [alice], peer: alice.sub, storage: storageName() });
    const secret = `lab results ${crypto.randomUUID()}`;
    const id = await a.send(secret);
    expect(textOf(await waitForMessage(b, id))).to.equal(secret);

    const scan = await hostileScan([], earlier);
    expect(scan.seen).to.include(secret);
    expect(scan.databases).to.include(`${storage}-wrapped`);
    // The device key is non-extractable, but any script of this origin can use it to unwrap the private key.
    expect(scan.cryptoKeys).to.be.greaterThan(0);
  });

  it('refuses to run when embedded by an origin the token API does not allow', async () => {
    const foreign = `http://127.0.0.1:${location.port}`;
    const since = Date.now();
    const q = new URLSearchParams({ sub: subject('alice'), peer: subject('bob'), api: apiUrl, cdn });
    const reported = messageFrom(foreign, 'secure-chat-error');
    const embed = place(document.createElement('iframe'));
    embed.title = 'foreign portal';
    embed.src = `${foreign}/widget/test/fixtures/frame-embed.html?${q}`;
    const { detail, status } = (await reported) as { detail: { code: string }; status: string };
    expect(detail.code).to.equal('forbidden');
    expect(status).to.equal('error');
    // The frame loaded its bootstrap and nothing else: no session, chat or encryption code.
    const served = (await (await fetch(`/__stack/cdn-log?since=${since}`)).json()) as { path: string }[];
    const paths = served.map((entry) => entry.path);
    expect(paths).to.include('/dist/widget/frame.js');
    expect(
      paths.filter((path) => /chunks\/(create-session|stream-chat|e3kit|views)-/.test(path)),
    ).to.deep.equal([]);
  });

  it('uses the properties a page set before the element was defined', async () => {
    const alice = person('Alice');
    const bob = person('Bob');
    const storage = storageName();
    await setUpFrameDevice(alice, [bob], bob.sub, storage);
    // Parsed before the widget's script ran: the hook is a plain property of a not yet upgraded element.
    const el = place(document.createElement('secure-chat-parsed-early')) as SecureChatElement;
    for (const [name, value] of Object.entries({ isolation: 'frame', 'api-url': apiUrl, peer: bob.sub }))
      el.setAttribute(name, value);
    el.setAttribute('key-storage-name', storage);
    el.getSessionToken = () => sessionToken(alice.sub, alice.name, [bob]);
    const SecureChat = customElements.get('secure-chat') as CustomElementConstructor;
    customElements.define('secure-chat-parsed-early', class extends SecureChat {});
    await waitFor(`ready (now ${el.getAttribute('status')})`, () => el.status === 'ready', 90_000);
  });

  it('keeps the public API: attributes, properties, methods and events, chatting with a none-mode widget', async () => {
    const alice = person('Alice');
    const bob = person('Bob');
    const a = await mountFrame(alice, [bob], bob.sub, storageName());
    const b = await mountNone(bob, { peers: [alice], peer: alice.sub, storage: storageName() });
    const [aliceId, bobId] = await Promise.all([chatUserId(alice.sub), chatUserId(bob.sub)]);
    expect(a.events).to.include('secure-chat-ready');

    // Methods: send and edit resolve like in none mode; the other side reads the text.
    const id = await a.el.send('Hello from the frame');
    expect(id).to.be.a('string');
    expect(textOf(await waitForMessage(b, id))).to.equal('Hello from the frame');
    await a.el.edit(id, 'Hello from the frame (edited)');
    await waitFor(
      'edit shown',
      () =>
        textOf(shadow(b).querySelector<HTMLElement>(`[data-id="${id}"]`)!) ===
        'Hello from the frame (edited)',
    );
    expect(a.events).to.include('secure-chat-send');

    // `secure-chat-send` fires on the host before the frame sends: cancelling it there stops the send.
    a.el.addEventListener('secure-chat-send', (event) => event.preventDefault(), { once: true });
    const cancelled = await a.el.send('Cancelled by the portal').catch((error: unknown) => error);
    expect(cancelled).to.be.instanceOf(Error);
    expect((cancelled as { code: string }).code).to.equal('aborted');
    // A call with arguments the method does not take is refused, never left pending.
    const send = a.el.send as unknown as (text: unknown) => Promise<string>;
    const refusedCall = await send.call(a.el, 42).catch((error: unknown) => error);
    expect((refusedCall as { code: string }).code).to.equal('config');
    const after = await a.el.send('Sent after the cancelled one');
    await waitForMessage(b, after);
    expect(shadow(b).textContent).not.to.include('Cancelled by the portal');
    const reply = await b.send('Hello, frame');
    await waitFor('reply event', () =>
      a.messages.find(
        (m) => m.id === reply && m.from === bobId && m.trust === 'verified' && m.change === 'new',
      ),
    );
    expect(a.messages.every((m) => Object.keys(m).sort().join() === 'change,cid,from,id,trust')).to.equal(
      true,
    );

    // Sizing: the frame reports its height and the element takes it.
    const iframe = shadow(a.el).querySelector('iframe')!;
    await waitFor('sized frame', () => iframe.getBoundingClientRect().height > 150);
    expect(iframe.title).to.equal('Secure chat');

    // Attributes and properties cross: the theme, and a custom property read on the host.
    a.el.setAttribute('theme', 'dark');
    a.el.style.setProperty('--secure-chat-accent', '#7c3aed');
    expect(a.el.theme).to.equal('dark');

    // Focus: focus() on the element puts it in the frame; tabbing stays in the page's order.
    a.el.focus();
    await waitFor('frame focused', () => shadow(a.el).activeElement === iframe);
    expect(document.activeElement).to.equal(a.el);

    await expect(a.el).to.be.accessible();
    await expect(b).to.be.accessible();

    // lock() locks the frame's widget; without `reauthenticate` it stays locked, with it reconnect() unlocks.
    a.el.lock();
    await waitFor('locked', () => a.el.status === 'locked' && a.events.includes('secure-chat-locked'));
    let refused: unknown;
    await a.el.reconnect().catch((error: unknown) => (refused = error));
    expect(refused, 'no re-authentication: stays locked').to.be.instanceOf(Error);
    a.el.reauthenticate = () => sessionToken(alice.sub, alice.name, [bob]);
    await a.el.reconnect();
    await waitFor(`unlocked (now ${a.el.status})`, () => a.el.status === 'ready', 60_000);

    // The portal's sign-out event on the host element reaches the frame.
    a.el.dispatchEvent(new Event('secure-chat-logout'));
    await waitFor('locked by logout', () => a.el.status === 'locked');

    expect(aliceId).to.be.a('string');
  });
});
