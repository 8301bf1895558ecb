// Delivery: which resources the built widget fetches. Pythia (JS chunk + WASM) must load only for a key backup or
// restore; a normal session fetches the foundation WASM and the chat chunks and nothing of Pythia.
import { expect } from '@open-wc/testing';
import type { SecureChatElement } from '../src/secure-chat.js';
import {
  fillAndSubmit,
  mount,
  skipBackup,
  subject,
  waitForMessage,
  waitForScreen,
  waitForStatus,
  textOf,
} from './stack-helpers.js';

// The default buffer (250 entries) would fill up with API calls and hide later fetches.
performance.setResourceTimingBufferSize(10_000);
const entry = '/dist/widget/secure-chat.js';
await import(entry);

const mounted: SecureChatElement[] = [];
afterEach(() => {
  for (const el of mounted.splice(0)) el.remove();
});

/** Paths (no origin, no query) of every widget file fetched so far. */
function fetchedWidgetFiles(): string[] {
  return performance
    .getEntriesByType('resource')
    .map((entry) => new URL(entry.name).pathname)
    .filter((path) => path.startsWith('/dist/widget/'));
}

const isPythia = (path: string) => /\/(libpythia\.browser|pythia)-[\w-]+\.(wasm|js)$/.test(path);

describe('delivery', () => {
  it('a normal session never fetches Pythia; the first key backup does', async () => {
    const alice = { sub: subject('alice'), name: 'Alice' };
    const bob = { sub: subject('bob'), name: 'Bob' };
    const suffix = Math.random().toString(36).slice(2);

    // Bob: registers, skips the backup, exchanges messages — a full normal session.
    const b = await mount(bob, { peers: [alice], peer: alice.sub, storage: `bob-${suffix}` });
    mounted.push(b);
    await skipBackup(b);
    const hello = await b.send('hello without pythia');
    expect(textOf(await waitForMessage(b, hello))).to.equal('hello without pythia');

    const normal = fetchedWidgetFiles();
    expect(normal.some((p) => /\/libfoundation\.browser-[\w-]+\.wasm$/.test(p))).to.equal(true);
    expect(normal.some((p) => /\/e3kit-[\w-]+\.js$/.test(p))).to.equal(true);
    expect(normal.some((p) => /\/stream-chat-[\w-]+\.js$/.test(p))).to.equal(true);
    expect(normal.filter(isPythia)).to.deep.equal([]);

    // Alice saves a password backup: now, and only now, Pythia's chunk and WASM are fetched.
    const a = await mount(alice, { peers: [bob], peer: bob.sub, storage: `alice-${suffix}` });
    mounted.push(a);
    await waitForScreen(a, /key is ready/);
    expect(fetchedWidgetFiles().filter(isPythia)).to.deep.equal([]);
    await fillAndSubmit(
      a,
      { password: 'correct horse battery', confirm: 'correct horse battery' },
      'Save backup',
    );
    await waitForStatus(a, 'ready');
    const pythia = fetchedWidgetFiles().filter(isPythia);
    expect(pythia.some((p) => p.endsWith('.wasm'))).to.equal(true);
    expect(pythia.some((p) => p.endsWith('.js'))).to.equal(true);
    // The chat still works end to end after Pythia came in.
    const reply = await a.send('reply after the backup');
    expect(textOf(await waitForMessage(b, reply))).to.equal('reply after the backup');
  });
});
