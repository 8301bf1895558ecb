// Screenshot tests of the main screens (key setup, conversation list, conversation, error) in light and dark, at
// 360 and 1,000 px, and right-to-left: pixel comparison against docs/screenshots/*.png (screenshot-compare-plugin.ts).
// Everything that moves is fixed: the widget runs on the in-memory fakes (no network, fixed names and ids), the
// clock is frozen, animations are stopped, and the font is DejaVu Sans with Noto Color Emoji (installed by
// demo/dev/screenshots.mjs). Regenerate the baselines with `npm run screenshots:update` (docs/screenshots/README.md).
import { expect } from '@open-wc/testing';
import { emulateMedia, executeServerCommand, setViewport } from '@web/test-runner-commands';
import type { SecureChatElement } from '../src/secure-chat.js';
import { engine } from './engine.js';
import {
  FakeApi,
  FakeChat,
  FakeChatServer,
  FakeCrypto,
  FakeDevice,
  FakeDirectory,
  MemoryPinnedMembers,
  conversationOf,
  sessionInfo,
  startSession,
} from './fakes/fake-ports.js';
import type { CompareResult } from './screenshot-compare-plugin.js';

/** The frozen "now": 18 March 2026, 15:30 UTC (the browser context runs in UTC). */
const NOW = Date.UTC(2026, 2, 18, 15, 30);
const RealDate = Date;
class FrozenDate extends RealDate {
  constructor(...args: unknown[]) {
    if (args.length === 0) super(NOW);
    else super(...(args as [number]));
  }
  static override now(): number {
    return NOW;
  }
}
globalThis.Date = FrozenDate as DateConstructor;
/** The fakes' stand-in "ciphertext" is base64 made with Node's Buffer: the little of it they use, for text. */
class TextBuffer {
  constructor(private readonly text: string) {}
  static from(value: string, encoding: 'utf8' | 'base64'): TextBuffer {
    if (encoding === 'utf8') return new TextBuffer(value);
    const bytes = Uint8Array.from(atob(value), (c) => c.charCodeAt(0));
    return new TextBuffer(new TextDecoder().decode(bytes));
  }
  toString(encoding: 'utf8' | 'base64' = 'utf8'): string {
    if (encoding === 'utf8') return this.text;
    return btoa(String.fromCharCode(...new TextEncoder().encode(this.text)));
  }
}
Object.assign(globalThis, { Buffer: TextBuffer });

await import('../src/define.js');

const CONTACTS = [
  { id: 'u-bob', sub: 'sub-bob', name: 'Dr Bob Chen' },
  { id: 'u-carol', sub: 'sub-carol', name: 'Nurse Carol Díaz' },
  { id: 'u-dave', sub: 'sub-dave', name: 'Dr Dave Obi' },
];
const ME = { id: 'u-alice', name: 'Alice Rivera' };

const server = new FakeChatServer();
const directory = new FakeDirectory();
const aliceDevice = new FakeDevice();

/** One-to-one conversations with Bob and Carol and a care-team group, with a few messages each. */
async function seed(): Promise<void> {
  server.clock = NOW - 3 * 24 * 3600_000;
  server.addChannel('messaging:bob', [ME.id, 'u-bob']);
  server.addChannel('messaging:carol', [ME.id, 'u-carol']);
  server.addChannel('messaging:team', [ME.id, 'u-bob', 'u-dave']);
  // Alice's key exists first: messages are encrypted to the members' keys.
  await startSession({
    id: ME.id,
    channel: 'messaging:bob',
    chat: new FakeChat(server),
    crypto: crypto(ME.id),
  });
  const member = async (id: string, channel: string) =>
    startSession({ id, channel, chat: new FakeChat(server), crypto: crypto(id) });
  // Every member's key exists before anyone writes.
  const bob = await member('u-bob', 'messaging:bob');
  const carol = await member('u-carol', 'messaging:carol');
  const team = await member('u-dave', 'messaging:team');
  await conversationOf(team).sender.send('Team huddle moved to Friday 9:00 🗓️');
  server.clock = NOW - 26 * 3600_000;
  await conversationOf(carol).sender.send('See you on Thursday for the follow-up.');
  server.clock = NOW - 40 * 60_000;
  await conversationOf(bob).sender.send('Hi Alice, your lab results are in.');
  await conversationOf(bob).sender.send('Everything looks normal. Nothing to worry about 🙂');
}

function crypto(id: string): FakeCrypto {
  return new FakeCrypto(id, directory, id === ME.id ? aliceDevice : new FakeDevice(), () => Date.now());
}

let mounted = 0;
/** A widget on the fakes; `who` is Alice (set up) or a new user (key setup); `api` may refuse the session. */
function widget(opts: {
  channel?: string;
  lang?: string;
  newUser?: boolean;
  refuse?: boolean;
}): SecureChatElement {
  const el = document.createElement('secure-chat') as SecureChatElement;
  const user = opts.newUser ? { id: 'u-zoe', name: 'Zoe Park' } : ME;
  const api = new FakeApi(sessionInfo(user.id, user.name, CONTACTS));
  if (opts.refuse)
    api.session = async () => {
      const { SecureChatError } = await import('../src/core/errors.js');
      throw new SecureChatError('unauthorized', 'refused');
    };
  el.services = {
    api,
    loadChat: async () => new FakeChat(server),
    loadCrypto: async () => crypto(user.id),
    pinned: new MemoryPinnedMembers(),
  };
  el.keyStorageName = `shots-${++mounted}`;
  el.sessionToken = 'portal-session';
  el.lang = opts.lang ?? 'en';
  if (opts.channel) el.channel = opts.channel;
  return el;
}

const frame = document.createElement('div');
frame.className = 'shots';
document.head.insertAdjacentHTML(
  'beforeend',
  `<style>
    body { margin: 0; background: #ffffff; }
    .shots { padding: 8px; }
    .shots secure-chat { --secure-chat-font: 15px/1.45 'DejaVu Sans', 'Noto Color Emoji', sans-serif; height: 560px; }
  </style>`,
);
document.body.append(frame);

async function waitFor(what: string, check: () => unknown, timeout = 20_000): Promise<void> {
  const start = performance.now();
  while (!check()) {
    if (performance.now() - start > timeout) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Compares the frame (the widget and its margin) with `docs/screenshots/<name>.png`. */
async function compare(el: SecureChatElement, name: string): Promise<void> {
  await el.updateComplete;
  await document.fonts.ready;
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  frame.dataset.shot = name;
  const result = (await executeServerCommand('secure-chat-compare', {
    name,
    selector: `[data-shot="${name}"]`,
  })) as CompareResult;
  delete frame.dataset.shot;
  if (result.skipped || result.updated) return;
  expect(result.missing, `${name}: no baseline; run npm run screenshots:update`).to.not.equal(true);
  expect(result.sizeChanged, `${name}: size changed`).to.equal(undefined);
  expect(
    result.ratio!,
    `${name}: ${result.diffPixels} pixels differ (see dist/screenshots/${name}.diff.png)`,
  ).to.be.at.most(0.002);
}

/** Shoots `el` in both themes at 360 and 1,000 px: `<name>-<theme>-<width>`. */
async function everyLook(el: SecureChatElement, name: string): Promise<void> {
  for (const theme of ['light', 'dark'] as const)
    for (const width of [360, 1000]) {
      el.theme = theme;
      frame.style.width = `${width}px`;
      await new Promise((r) => setTimeout(r, 50)); // the list's layout follows its width a task later
      await compare(el, `${name}-${theme}-${width}`);
    }
  el.theme = 'light';
  frame.style.width = '1000px';
}

describe('screenshots of the main screens', function () {
  this.timeout(120_000);

  before(async function () {
    if (engine !== 'chromium') {
      if (this.test?.parent)
        this.test.parent.title += ` (skipped in ${engine}: baselines are Chromium pixels)`;
      this.skip();
    }
    await setViewport({ width: 1100, height: 700 });
    await emulateMedia({ reducedMotion: 'reduce', colorScheme: 'light' });
    await seed();
  });

  afterEach(() => frame.replaceChildren());

  it('key setup: a new device offers the backup, step 2 of 3', async () => {
    const el = widget({ newUser: true, channel: 'messaging:bob' });
    frame.append(el);
    await waitFor('backup offer', () => el.shadowRoot?.querySelector('[part~="key-stepper"]'));
    await everyLook(el, 'key-setup');
  });

  it('conversation list beside the open conversation, and alone when narrow', async () => {
    const el = widget({});
    frame.append(el);
    await waitFor(
      'rows',
      () => el.shadowRoot?.querySelectorAll('button.conversation[data-preview="text"]').length === 3,
    );
    await everyLook(el, 'inbox');
  });

  it('a conversation', async () => {
    const el = widget({ channel: 'messaging:bob' });
    frame.append(el);
    await waitFor('messages', () => el.shadowRoot?.textContent?.includes('Nothing to worry about'));
    await everyLook(el, 'conversation');
  });

  it('a session error', async () => {
    const el = widget({ refuse: true });
    frame.append(el);
    await waitFor('error', () => el.status === 'error');
    await everyLook(el, 'error');
  });

  it('right to left: the list and a conversation in Arabic layout', async () => {
    const list = widget({ lang: 'ar' });
    frame.append(list);
    await waitFor(
      'rows',
      () => list.shadowRoot?.querySelectorAll('button.conversation[data-preview="text"]').length === 3,
    );
    await compare(list, 'inbox-rtl-1000');
    frame.style.width = '360px';
    await new Promise((r) => setTimeout(r, 50));
    await compare(list, 'inbox-rtl-360');
    frame.replaceChildren();
    frame.style.width = '1000px';
    const one = widget({ lang: 'ar', channel: 'messaging:bob' });
    frame.append(one);
    await waitFor('messages', () => one.shadowRoot?.textContent?.includes('Nothing to worry about'));
    await compare(one, 'conversation-rtl-1000');
  });
});
