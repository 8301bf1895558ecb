import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { SecureChatElement } from '../src/secure-chat.js';
import {
  $,
  chatUserId,
  inspectStack,
  mount,
  screenshot,
  shadow,
  skipBackup,
  subject,
  waitFor,
  waitForMessage,
  type Person,
} from './stack-helpers.js';

// The real bundle (rollup output), as a portal loads it.
const entry = '/dist/widget/secure-chat.js';
await import(entry);

/** A stand-in for the browser's Notification: records exactly what the widget passes it. */
interface ShownNotification {
  title: string;
  options: NotificationOptions | undefined;
  instance: { onclick: (() => void) | null };
}
const shown: ShownNotification[] = [];
let permissionRequests = 0;
class StubNotification {
  static permission: NotificationPermission = 'default';
  static async requestPermission(): Promise<NotificationPermission> {
    permissionRequests++;
    StubNotification.permission = 'granted';
    return 'granted';
  }
  onclick: (() => void) | null = null;
  constructor(title: string, options?: NotificationOptions) {
    shown.push({ title, options, instance: this });
  }
  close(): void {}
}
Object.defineProperty(window, 'Notification', { value: StubNotification, configurable: true });

// Counts new realtime connections and /v1/session calls: switching conversations must reuse both.
let socketsOpened = 0;
const NativeWebSocket = window.WebSocket;
window.WebSocket = class extends NativeWebSocket {
  constructor(url: string | URL, protocols?: string | string[]) {
    super(url, protocols);
    socketsOpened++;
  }
};
let sessionRequests = 0;
const nativeFetch = window.fetch.bind(window);
window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
  const url = input instanceof Request ? input.url : String(input);
  if (url.endsWith('/v1/session')) sessionRequests++;
  return nativeFetch(input, init);
};

const mounted: Element[] = [];
afterEach(() => {
  for (const el of mounted.splice(0)) el.remove();
});

async function open(me: Person, others: Person[], peer?: string, container?: HTMLElement) {
  const el = await mount(me, {
    peers: others,
    ...(peer ? { peer } : {}),
    ...(container ? { container } : {}),
  });
  mounted.push(el);
  await skipBackup(el);
  return el;
}

const rows = (el: Element) => [...shadow(el).querySelectorAll<HTMLButtonElement>('button.conversation')];
const row = (el: Element, cid: string) =>
  shadow(el).querySelector<HTMLButtonElement>(`button.conversation[data-cid="${cid}"]`);
const visible = (node: Element | null) => Boolean(node && (node as HTMLElement).offsetParent !== null);
const paneHeading = (el: Element) => shadow(el).querySelector<HTMLElement>('[part~="conversation-pane"] h2');

const plain = {
  carol: 'Your potassium came back at 5.9',
  bob: 'Insulin dose changed to 12 units',
  carolAgain: 'Please call the clinic about the MRI',
};

/**
 * A fresh world for one test: Alice (a patient, showing her conversation list in a 900 px frame) and two clinicians
 * who each wrote to her, Bob last. Dave is a contact with no conversation yet.
 */
async function world() {
  const alice = { sub: subject('alice'), name: 'Alice Patient' };
  const bob = { sub: subject('bob'), name: 'Dr Bob' };
  const carol = { sub: subject('carol'), name: 'Nurse Carol' };
  const dave = { sub: subject('dave'), name: 'Dr Dave' };
  const frame = document.createElement('div');
  frame.style.width = '900px';
  document.body.append(frame);
  mounted.push(frame);
  // Alice first: messages are encrypted to the members' keys, so she needs one before the others write.
  const unread: { total: number; conversations: number }[] = [];
  const a = await mount(alice, { peers: [bob, carol, dave], container: frame });
  a.addEventListener('secure-chat-unread', (e) => unread.push({ ...e.detail }));
  mounted.push(a);
  await skipBackup(a);
  // Conversations created after the list loaded still appear in it.
  const b = await open(bob, [alice], alice.sub);
  const c = await open(carol, [alice], alice.sub);
  await waitFor('channels', () => b.status === 'ready' && c.status === 'ready');
  await c.send(plain.carol);
  await new Promise((r) => setTimeout(r, 20)); // distinct timestamps: Bob's message is the latest
  await b.send(plain.bob);
  await waitFor('two rows with previews', () => {
    const r = rows(a);
    return r.length === 2 && r.every((x) => x.dataset.preview === 'text');
  });
  const [first, second] = rows(a);
  return {
    alice,
    bob,
    carol,
    dave,
    a,
    b,
    c,
    frame,
    unread,
    bobCid: first!.dataset.cid!,
    carolCid: second!.dataset.cid!,
  };
}

/** Opens a conversation from the list and waits until it shows with its heading focused. */
async function openFromList(a: SecureChatElement, cid: string, name: string) {
  row(a, cid)!.click();
  await waitFor(`${name} open`, () => paneHeading(a)?.textContent?.includes(name));
}

describe('<secure-chat> conversation list (real clients, local stack)', function () {
  this.timeout(240_000);

  it('lists conversations by latest message with decrypted previews, unread counts, presence and names from the portal', async () => {
    const { a, bob, carol, unread, bobCid, carolCid } = await world();
    // The counters see the widgets' connections (so the "no reconnect" check below can fail).
    expect(socketsOpened).to.be.greaterThan(2);
    expect(sessionRequests).to.be.greaterThan(2);
    const [first, second] = rows(a);
    // Bob wrote last, so his conversation is first.
    expect(first!.dataset.cid).to.equal(bobCid);
    expect(second!.dataset.cid).to.equal(carolCid);
    expect(first!.textContent).to.contain(bob.name);
    expect(first!.textContent).to.contain(plain.bob);
    expect(second!.textContent).to.contain(carol.name);
    expect(second!.textContent).to.contain(plain.carol);
    expect(first!.dataset.unread).to.equal('1');
    expect(second!.dataset.unread).to.equal('1');
    expect($(a, '[part~="unread-total"]').textContent).to.contain('2 unread');
    // Both clinicians are connected.
    await waitFor('presence', () => rows(a).every((x) => x.dataset.online === 'true'));
    expect(first!.textContent).to.contain('Online');
    // The unread event carries counts only.
    await waitFor('unread event 2', () => unread.some((u) => u.total === 2 && u.conversations === 2));
    for (const u of unread) expect(Object.keys(u).sort()).to.deep.equal(['conversations', 'total']);
    await expect(a).to.be.accessible();
    await screenshot(a, 'conversation-list-wide');
    a.setAttribute('theme', 'dark');
    await a.updateComplete;
    // The buttons fade to the dark colours: axe checks the colours they end with.
    await Promise.all(a.shadowRoot!.getAnimations().map((x) => x.finished.catch(() => undefined)));
    await expect(a).to.be.accessible();
    await screenshot(a, 'conversation-list-wide-dark');
  });

  it('opens a conversation over the same connection, focuses its heading and clears its unread count', async () => {
    const { a, b, c, bob, carol, unread, bobCid, carolCid } = await world();
    const connections = { sockets: socketsOpened, sessions: sessionRequests };
    row(a, bobCid)!.click();
    await waitForMessage(a, (await waitFor('bob message id', () => lastMessageId(b))) as string);
    await waitFor('heading focused', () => shadow(a).activeElement === paneHeading(a));
    expect(paneHeading(a)!.textContent).to.contain(bob.name);
    expect(row(a, bobCid)!.getAttribute('aria-current')).to.equal('true');
    await waitFor('bob unread cleared', () => row(a, bobCid)?.dataset.unread === '0');
    await waitFor('unread event 1', () => unread.at(-1)?.total === 1 && unread.at(-1)?.conversations === 1);
    // Split layout: the list stays beside the conversation.
    expect(visible(row(a, carolCid))).to.equal(true);
    expect(shadow(a).querySelector('[part~="back-button"]')).to.equal(null);

    // A new message in the other conversation moves it to the top with its new preview and unread count.
    await c.send(plain.carolAgain);
    await waitFor('carol on top', () => rows(a)[0]?.dataset.cid === carolCid);
    await waitFor('carol preview', () => rows(a)[0]!.textContent!.includes(plain.carolAgain));
    await waitFor('carol unread 2', () => rows(a)[0]?.dataset.unread === '2');
    await expect(a).to.be.accessible();

    // Switching conversations reuses the connection and the keys: no new socket, no new session.
    await openFromList(a, carolCid, carol.name);
    await openFromList(a, bobCid, bob.name);
    expect({ sockets: socketsOpened, sessions: sessionRequests }).to.deep.equal(connections);
  });

  it('narrow: one pane at a time with a back control that returns focus to the row; layout forces either', async () => {
    const { a, bob, frame, bobCid, carolCid } = await world();
    const layout = () =>
      shadow(a).querySelector('secure-chat-conversation-list')?.getAttribute('data-layout');
    await openFromList(a, bobCid, bob.name);
    frame.style.width = '320px';
    await waitFor('stacked', () => layout() === 'stacked');
    await a.updateComplete;
    expect(visible(row(a, carolCid))).to.equal(false); // the open conversation fills the widget
    expect(visible(paneHeading(a))).to.equal(true);
    await screenshot(a, 'conversation-stacked-narrow');
    const back = $(a, '[part~="back-button"]');
    back.click();
    await waitFor('row focused', () => shadow(a).activeElement === row(a, bobCid));
    expect(visible(row(a, bobCid))).to.equal(true);
    expect(visible(shadow(a).querySelector('[part~="conversation-pane"]'))).to.equal(false);
    await expect(a).to.be.accessible();
    await screenshot(a, 'conversation-list-narrow');

    // Opening from the narrow list shows only the conversation, heading focused.
    row(a, bobCid)!.click();
    await waitFor('heading focused (narrow)', () => shadow(a).activeElement === paneHeading(a));
    expect(visible(row(a, bobCid))).to.equal(false);

    // layout="split" forces side by side even when narrow; layout="stacked" one at a time even when wide.
    a.setAttribute('layout', 'split');
    await waitFor('split', () => layout() === 'split');
    await a.updateComplete;
    expect(visible(row(a, bobCid))).to.equal(true);
    frame.style.width = '900px';
    a.setAttribute('layout', 'stacked');
    await waitFor('forced stack', () => layout() === 'stacked');
    await a.updateComplete;
    expect(visible(row(a, bobCid))).to.equal(false);
    expect(visible($(a, '[part~="back-button"]'))).to.equal(true);
    a.setAttribute('layout', 'auto');
    await waitFor('auto wide', () => layout() === 'split');
  });

  it('notifications are opt-in, content-free ("New secure message") and focus the widget when clicked', async () => {
    const { a, c, carol, bob, bobCid, carolCid } = await world();
    StubNotification.permission = 'default';
    const asked = permissionRequests;
    await openFromList(a, bobCid, bob.name);
    const toggle = $(a, '[part~="notifications-toggle"]');
    expect(toggle.getAttribute('aria-pressed')).to.equal('false');
    toggle.click();
    await waitFor(
      'enabled',
      () => $(a, '[part~="notifications-toggle"]').getAttribute('aria-pressed') === 'true',
    );
    expect(permissionRequests - asked).to.equal(1); // asked once, on the user's click

    const before = shown.length;
    const secret = 'Biopsy result: benign, call me';
    await c.send(secret); // Carol's conversation is not the open one
    await waitFor('notification', () => shown.length > before);
    const n = shown.at(-1)!;
    expect(n.title).to.equal('New secure message');
    const serialized = JSON.stringify([n.title, n.options ?? {}]);
    for (const leak of [secret, carol.name, carol.sub, await chatUserId(carol.sub), carolCid])
      expect(serialized.includes(leak), `notification contains "${leak}"`).to.equal(false);
    expect(n.options?.body ?? '').to.equal('');

    (document.activeElement as HTMLElement | null)?.blur();
    n.instance.onclick?.();
    await waitFor('widget focused', () => document.activeElement === a && shadow(a).activeElement !== null);
    expect(shadow(a).activeElement).to.equal(row(a, carolCid));

    // Turning it off stops them.
    $(a, '[part~="notifications-toggle"]').click();
    await a.updateComplete;
    const count = shown.length;
    await c.send('one more');
    await waitFor('carol preview updated', () => row(a, carolCid)!.textContent!.includes('one more'));
    expect(shown.length).to.equal(count);
  });

  it('starts a conversation with an allowed contact through /v1/channels; a refused peer gets a clear message', async () => {
    const { a, alice, bob, carol, dave } = await world();
    // Dave has a key but no conversation with Alice yet.
    const d = await open(dave, [alice]);
    expect(d.status).to.equal('ready');
    // The picker, by keyboard: open it, type part of Dave's name, pick the match, Enter on the closed list starts.
    $(a, '[part~="new-conversation-button"]').focus();
    await sendKeys({ press: 'Enter' });
    await waitFor('picker input focused', () => shadow(a).activeElement?.matches('[part~="picker-input"]'));
    await sendKeys({ type: 'dave' });
    await a.updateComplete;
    const matches = [...shadow(a).querySelectorAll<HTMLElement>('[role="option"]')];
    expect(matches.map((o) => o.dataset.sub)).to.deep.equal([dave.sub]);
    await sendKeys({ press: 'Enter' });
    await a.updateComplete;
    expect($(a, '[part~="chip"]').textContent).to.contain(dave.name);
    // The form slides in: axe checks the colours it ends with.
    await Promise.all(a.shadowRoot!.getAnimations().map((x) => x.finished.catch(() => undefined)));
    await expect(a).to.be.accessible();
    await sendKeys({ press: 'Enter' });
    await waitFor('dave row', () => rows(a).some((x) => x.textContent?.includes(dave.name)));
    await waitFor('dave heading focused', () => shadow(a).activeElement === paneHeading(a));
    expect(paneHeading(a)!.textContent).to.contain(dave.name);
    const id = await a.send('Hello Dr Dave');
    await waitForMessage(a, id);
    // Dave's own list picks the new conversation up.
    await waitFor('dave sees it', () => rows(d).some((x) => x.textContent?.includes('Hello Dr Dave')));

    const stranger = subject('stranger');
    expect(await a.startConversation([stranger])).to.equal(undefined);
    const alert = $(a, '[part~="conversation-list"] [role="alert"]');
    expect(alert.textContent).to.match(/cannot start a conversation with this person/);
    await expect(a).to.be.accessible();

    const stored = await inspectStack();
    for (const text of [...Object.values(plain), alice.name, bob.name, carol.name, dave.name])
      expect(stored.includes(text), `"${text}" found in the stand-ins`).to.equal(false);
  });

  it('presence follows members going offline', async () => {
    const { a, c, carolCid } = await world();
    await waitFor('carol online', () => row(a, carolCid)?.dataset.online === 'true');
    c.remove();
    await waitFor('carol offline', () => row(a, carolCid)?.dataset.online === 'false');
    expect(row(a, carolCid)!.textContent).to.contain('Offline');
  });

  it('offers sign-out on the list when no conversation is open, dropping the list', async () => {
    const { a, bob, bobCid } = await world();
    await openFromList(a, bobCid, bob.name);
    a.setAttribute('layout', 'stacked');
    await waitFor('back control', () => shadow(a).querySelector('[part~="back-button"]'));
    $(a, '[part~="back-button"]').click();
    await waitFor('list shown', () => visible(row(a, bobCid)));
    const signOut = [...shadow(a).querySelectorAll('[part~="conversation-list"] button')].find(
      (x) => x.textContent?.trim() === 'Sign out',
    ) as HTMLButtonElement;
    const signedOut = new Promise<{ keyRemoved: boolean }>((resolve) =>
      a.addEventListener('secure-chat-signed-out', (e) => resolve(e.detail), { once: true }),
    );
    signOut.click();
    expect(await signedOut).to.deep.equal({ keyRemoved: false });
    await waitFor('signed out', () => a.status === 'signed-out');
    await a.updateComplete;
    expect(rows(a)).to.have.length(0);
  });
});

/** The id of the newest message element in a single-conversation widget. */
function lastMessageId(el: Element): string | undefined {
  const nodes = shadow(el).querySelectorAll<HTMLElement>('[part~="messages"] [data-id]');
  return nodes[nodes.length - 1]?.dataset.id;
}
