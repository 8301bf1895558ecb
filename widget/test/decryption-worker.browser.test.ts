// Decryption off the main thread, with the built widget, real clients and the local stack: history and live messages
// are opened by the decryption worker (the main thread's E3Kit decrypts nothing), tampered and forged messages still
// show as unverifiable, the worker runs inside a frame document too, and without module workers the widget decrypts
// on the main thread.
import { expect } from '@open-wc/testing';
import type { CryptoPort } from '../src/core/ports.js';
import type { SecureChatElement } from '../src/secure-chat.js';
import {
  chatUserId,
  mount,
  sessionToken,
  serverSend,
  skipBackup,
  stackConfig,
  streamServer,
  subject,
  textOf,
  waitFor,
  waitForMessage,
  waitForStatus,
  WIDGET_ENTRY,
  type MountOptions,
  type Person,
} from './stack-helpers.js';

await import(WIDGET_ENTRY);

/** The E3Kit adapter's inspection of which engine opened what (adapters/e3kit.ts `decryptionStats`). */
interface InspectablePort extends CryptoPort {
  decryptionStats(): { worker: number; mainThread: number; inWorker: boolean };
}

const mounted: Element[] = [];
afterEach(() => {
  for (const el of mounted.splice(0)) el.remove();
});

/** Mounts a widget whose crypto port is handed to `ports`; a first device skips the backup offer. */
async function open(
  me: Person,
  opts: MountOptions,
  ports: CryptoPort[] = [],
  setup: 'skip' | 'none' = 'skip',
) {
  const holder = document.createElement('div');
  const el = await mount(me, { ...opts, container: holder });
  el.services = { inspectCrypto: (port) => ports.push(port) };
  document.body.append(holder);
  mounted.push(holder);
  if (setup === 'skip') await skipBackup(el);
  else await waitForStatus(el, 'ready');
  return el;
}

const stats = (port: CryptoPort | undefined) => (port as InspectablePort).decryptionStats();

function flipByte(b64: string): string {
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const i = Math.floor(bytes.length * 0.75);
  bytes[i] = (bytes[i] ?? 0) ^ 0x5a;
  return btoa(String.fromCharCode(...bytes));
}

/** Stream's stored ciphertext of a message. */
async function storedMessage(id: string) {
  const { message } = await streamServer<{ message: Record<string, unknown> }>('getMessage', id);
  return { e2ee: message.e2ee as { v: 1; ct: string }, cid: message.cid as string };
}

describe('<secure-chat> decryption worker (real clients, local stack)', function () {
  this.timeout(240_000);

  it('opens history and live messages in the worker; tampered and forged ones still show unverifiable', async () => {
    const alice = { sub: subject('alice'), name: 'Alice' };
    const bob = { sub: subject('bob'), name: 'Bob' };
    const first = await open(alice, { peers: [bob], peer: bob.sub });
    const b = await open(bob, { peers: [alice], peer: alice.sub });
    const history: string[] = [];
    for (let i = 0; i < 5; i++) history.push(await b.send(`history ${i}`));
    await waitForMessage(first, history.at(-1)!);
    first.parentElement?.remove();

    // Alice comes back: her widget opens the history from Stream.
    const ports: CryptoPort[] = [];
    const a = await open(alice, { peers: [bob], peer: bob.sub }, ports, 'none');
    for (const [i, id] of history.entries())
      expect(textOf(await waitForMessage(a, id))).to.equal(`history ${i}`);
    expect(stats(ports[0])).to.deep.include({ mainThread: 0, inWorker: true });
    expect(stats(ports[0]).worker).to.be.at.least(history.length);
    expect(ports[0]!.keyMaterial().worker).to.deep.include({ running: true, privateKey: true });

    // Live: a new message, then the server's tampering and forgery, all opened in the worker.
    const live = await b.send('live message');
    expect(textOf(await waitForMessage(a, live))).to.equal('live message');
    const { e2ee, cid } = await storedMessage(live);
    const bobId = await chatUserId(bob.sub);
    const aliceId = await chatUserId(alice.sub);
    await streamServer(
      'partialUpdateMessage',
      live,
      { set: { e2ee: { v: 1, ct: flipByte(e2ee.ct) } } },
      bobId,
    );
    await waitForMessage(a, live, /^(tampered|unverified-sender)$/);
    const forged = crypto.randomUUID();
    await serverSend(cid, { id: forged, text: 'New secure message', e2ee, user_id: aliceId });
    await waitForMessage(a, forged, 'unverified-sender');
    const replayed = crypto.randomUUID();
    await serverSend(cid, { id: replayed, text: 'New secure message', e2ee, user_id: bobId });
    await waitForMessage(a, replayed, 'misplaced');
    expect(stats(ports[0]).mainThread).to.equal(0);
    expect(textOf(await waitForMessage(a, history[0]!))).to.equal('history 0');
    await expect(a).to.be.accessible();
  });

  it('decrypts on the main thread when module workers are unavailable or fail to start', async () => {
    const alice = { sub: subject('alice'), name: 'Alice' };
    const bob = { sub: subject('bob'), name: 'Bob' };
    const realWorker = window.Worker;
    const alicePorts: CryptoPort[] = [];
    const bobPorts: CryptoPort[] = [];
    try {
      // No Worker at all (an old engine, a locked-down embedding).
      (window as { Worker?: unknown }).Worker = undefined;
      const a = await open(alice, { peers: [bob], peer: bob.sub }, alicePorts);
      // A worker whose script cannot load (a CSP without worker-src, an engine without module workers).
      window.Worker = class FailingWorker extends EventTarget {
        constructor() {
          super();
          setTimeout(() => this.dispatchEvent(new Event('error')), 10);
        }
        postMessage() {}
        terminate() {}
      } as unknown as typeof Worker;
      const b = await open(bob, { peers: [alice], peer: alice.sub }, bobPorts);

      const hello = await b.send('read on the main thread');
      expect(textOf(await waitForMessage(a, hello))).to.equal('read on the main thread');
      const reply = await a.send('and back');
      expect(textOf(await waitForMessage(b, reply))).to.equal('and back');
      const { e2ee, cid } = await storedMessage(hello);
      const forged = crypto.randomUUID();
      await serverSend(cid, {
        id: forged,
        text: 'New secure message',
        e2ee,
        user_id: await chatUserId(alice.sub),
      });
      await waitForMessage(a, forged, 'unverified-sender');
    } finally {
      window.Worker = realWorker;
    }
    for (const port of [alicePorts[0], bobPorts[0]]) {
      expect(stats(port)).to.deep.include({ worker: 0, inWorker: false });
      expect(stats(port).mainThread).to.be.greaterThan(0);
      expect(port!.keyMaterial().worker).to.equal(undefined);
    }
  });

  it('runs its worker inside a frame document that hosts the widget', async () => {
    const alice = { sub: subject('alice'), name: 'Alice' };
    const bob = { sub: subject('bob'), name: 'Bob' };
    const { apiUrl } = await stackConfig();
    const frame = document.createElement('iframe');
    frame.srcdoc = '<!doctype html><html lang="en"><body></body></html>';
    mounted.push(frame);
    const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
    document.body.append(frame);
    await loaded;
    const doc = frame.contentDocument!;
    const script = doc.createElement('script');
    script.type = 'module';
    script.src = new URL(WIDGET_ENTRY, location.href).href;
    doc.head.append(script);
    await frame.contentWindow!.customElements.whenDefined('secure-chat');

    const ports: CryptoPort[] = [];
    const a = doc.createElement('secure-chat') as SecureChatElement;
    a.setAttribute('api-url', apiUrl);
    a.setAttribute('peer', bob.sub);
    a.getSessionToken = () => sessionToken(alice.sub, alice.name, [bob]);
    a.services = { inspectCrypto: (port) => ports.push(port) };
    doc.body.append(a);
    await skipBackup(a);
    const b = await open(bob, { peers: [alice], peer: alice.sub });
    const hello = await b.send('into the frame');
    expect(textOf(await waitForMessage(a, hello))).to.equal('into the frame');
    expect(stats(ports[0])).to.deep.include({ mainThread: 0, inWorker: true });
    a.lock();
    await waitForStatus(a, 'locked');
    const wiped = await waitFor('the frame worker to end', () => {
      const worker = ports[0]!.keyMaterial().worker;
      return worker?.running === false ? worker : undefined;
    });
    expect(wiped).to.deep.equal({ running: false, keys: wiped.keys, live: 0, privateKey: false });
  });
});
