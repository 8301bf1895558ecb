// The conversation list's view model and intents, built from a session over the in-memory fakes without a DOM.
import { describe, expect, it } from 'vitest';
import {
  FakeApi,
  FakeChat,
  FakeChatServer,
  FakeConversationSource,
  FakeCrypto,
  FakeDevice,
  FakeDirectory,
  conversationOf,
  sessionInfo,
  startSession,
} from '../../test/fakes/fake-ports.js';
import { MemoryKeyStore } from '../../test/fakes/fake-key-stores.js';
import { KeyTrust } from '../core/key-trust.js';
import { keyFingerprintHex } from '../core/safety-code.js';
import { ConversationListState, type NotifierPort } from './conversation-list-state.js';
import type { ToggleResult } from './notifications.js';

const settle = async (until: () => boolean) => {
  for (let i = 0; i < 200 && !until(); i++) await new Promise((r) => setTimeout(r, 0));
};

/** Alice's chat, whose conversation source the test can push changes through. */
class ListChat extends FakeChat {
  source: FakeConversationSource | undefined;
  override conversations(): FakeConversationSource {
    return (this.source ??= new FakeConversationSource(this.server, this.userId));
  }
}

class FakeNotifier implements NotifierPort {
  readonly supported = true;
  enabled = false;
  readonly shown: Array<{ title: string; click: () => void }> = [];
  constructor(private readonly answer: ToggleResult = 'on') {}
  async toggle(): Promise<ToggleResult> {
    this.enabled = this.answer === 'on' ? !this.enabled : false;
    return this.answer === 'on' && !this.enabled ? 'off' : this.answer;
  }
  notify(title: string, onClick: () => void): void {
    this.shown.push({ title, click: onClick });
  }
}

interface SetupOptions {
  visible?: () => boolean;
  answer?: ToggleResult;
  refuse?: boolean;
  /** No key trust yet (the session's crypto port is not attached). */
  noTrust?: boolean;
}

async function setup(opts: SetupOptions = {}) {
  const server = new FakeChatServer();
  const dir = new FakeDirectory();
  server.addChannel('messaging:ab', ['alice', 'bob']);
  server.addChannel('messaging:ac', ['alice', 'carol']);
  const bobCrypto = new FakeCrypto('bob', dir, new FakeDevice());
  const bob = await startSession({
    id: 'bob',
    channel: 'messaging:ab',
    chat: new FakeChat(server),
    crypto: bobCrypto,
  });
  const carol = await startSession({
    id: 'carol',
    channel: 'messaging:ac',
    chat: new FakeChat(server),
    crypto: new FakeCrypto('carol', dir, new FakeDevice()),
  });
  const info = sessionInfo('alice', 'Alice', [
    { id: 'bob', name: 'Dr Bob', sub: 'sub-bob' },
    { id: 'carol', name: 'Nurse Carol', sub: 'sub-carol' },
    { id: 'nobody-from-portal' },
  ] as never);
  const api = new FakeApi(info, (peers) => {
    if (opts.refuse) throw Object.assign(new Error('refused'), { status: 403 });
    return peers[0] === 'sub-carol' ? 'messaging:ac' : 'messaging:ab';
  });
  const chat = new ListChat(server);
  // The E3Kit adapter reports a refetched, different card to key trust (see secure-chat.ts).
  const aliceCrypto = new FakeCrypto('alice', dir, new FakeDevice(), Date.now, (id) => trust.keyChanged(id));
  const alice = await startSession({ id: 'alice', channel: '', api, chat, crypto: aliceCrypto });
  const keys = new MemoryKeyStore();
  const trust: KeyTrust = new KeyTrust({
    owner: 'alice',
    verified: keys,
    pinned: keys,
    fingerprint: async (id, refresh) => {
      const key = await aliceCrypto.publicKey(id, refresh);
      return key ? keyFingerprintHex(key) : undefined;
    },
    onChange: () => undefined,
  });
  const notifier = new FakeNotifier(opts.answer);
  const changes: number[] = [];
  const clicked: string[] = [];
  const state = new ConversationListState({
    session: alice,
    notifier,
    pageVisible: opts.visible ?? (() => true),
    notificationTitle: () => 'New secure message',
    keyTrust: () => (opts.noTrust ? undefined : trust),
    onChange: () => changes.push(Date.now()),
    onNotificationClick: (cid) => clicked.push(cid),
  });
  /** A message from `from` arrived in `cid`, as the chat service would report it. */
  const arrived = (cid: string, from: string) => chat.source?.emit({ message: { cid, from } });
  return { server, bob, bobCrypto, carol, alice, state, trust, keys, notifier, changes, clicked, arrived };
}

describe('ConversationListState', () => {
  it('stops saying it is loading once the first load answered, and shows the rows', async () => {
    const { state } = await setup();
    await settle(() => !state.view.loading);
    expect(state.view.loading).toBe(false);
    expect(state.view.rows.length).toBeGreaterThan(0);
    expect(state.view.notice).toBeUndefined();
    state.close();
  });

  it('publishes rows, totals, contacts and the active cid as a snapshot', async () => {
    const { bob, carol, state, arrived } = await setup();
    await conversationOf(carol).sender.send('potassium 5.9');
    await conversationOf(bob).sender.send('dose changed');
    arrived('messaging:ab', 'bob');
    await settle(() => state.view.rows.filter((r) => r.preview.kind === 'text').length === 2);
    const view = state.view;
    expect(view.rows.map((r) => r.cid)).toEqual(['messaging:ab', 'messaging:ac']);
    expect(view.rows[0]?.preview).toEqual({ kind: 'text', text: 'dose changed' });
    expect(view.totals).toEqual({ total: 2, conversations: 2 });
    expect(view.active).toBe('');
    // Only portal contacts with a subject can be started with.
    expect(view.contacts).toEqual([
      { sub: 'sub-bob', id: 'bob', name: 'Dr Bob' },
      { sub: 'sub-carol', id: 'carol', name: 'Nurse Carol' },
    ]);
    expect(view.notifications).toEqual({ supported: true, enabled: false });
    // A snapshot: later changes do not show through it.
    await state.open('messaging:ab');
    expect(view.active).toBe('');
    expect(state.view.active).toBe('messaging:ab');
    state.close();
  });

  it('open marks the conversation read and makes it the session’s; back closes it', async () => {
    const { bob, alice, state, arrived } = await setup();
    await conversationOf(bob).sender.send('dose changed');
    arrived('messaging:ab', 'bob');
    await settle(() => state.view.totals.total === 1);
    expect(await state.open('messaging:ab')).toBe(true);
    expect(alice.cid).toBe('messaging:ab');
    await settle(() => state.view.totals.total === 0);
    expect(state.view.rows[0]?.unread).toBe(0);
    expect(state.back()).toBe('messaging:ab');
    expect(alice.cid).toBe('');
    expect(state.view.active).toBe('');
    state.close();
  });

  it('a conversation that fails to open leaves none half-open and says so', async () => {
    const { alice, state } = await setup();
    expect(await state.open('messaging:not-mine')).toBe(false);
    expect(alice.cid).toBe('');
    expect(state.view.notice).toEqual({ kind: 'error', key: 'conversationList.openFailed' });
    state.close();
  });

  it('start opens the conversation the token API answers; a refusal becomes a notice', async () => {
    const ok = await setup();
    expect(await ok.state.start(['sub-carol'])).toBe('messaging:ac');
    expect(ok.state.view.active).toBe('messaging:ac');
    ok.state.close();
    const refused = await setup({ refuse: true });
    expect(await refused.state.start(['stranger'])).toBe(undefined);
    expect(refused.state.view.notice?.kind).toBe('error');
    refused.state.close();
  });

  it('notifies with a fixed title only for conversations the user does not see', async () => {
    let visible = true;
    const { state, notifier, clicked, arrived } = await setup({ visible: () => visible });
    await state.open('messaging:ab');
    arrived('messaging:ab', 'bob'); // in the open conversation, seen
    arrived('messaging:ac', 'carol');
    await settle(() => notifier.shown.length === 1);
    arrived('messaging:ab', 'alice'); // the user's own
    visible = false;
    arrived('messaging:ab', 'bob');
    await settle(() => notifier.shown.length === 2);
    expect(notifier.shown.map((n) => n.title)).toEqual(['New secure message', 'New secure message']);
    notifier.shown[0]?.click();
    expect(clicked).toEqual(['messaging:ac']);
    state.close();
  });

  it('the notification toggle reports on, off and denied as notices', async () => {
    const { state } = await setup();
    state.toggleNotifications();
    await settle(() => state.view.notice !== undefined);
    expect(state.view.notice).toEqual({ kind: 'info', key: 'notify.on' });
    expect(state.view.notifications.enabled).toBe(true);
    state.toggleNotifications();
    await settle(() => state.view.notice === undefined);
    expect(state.view.notifications.enabled).toBe(false);
    state.close();
    const denied = await setup({ answer: 'denied' });
    denied.state.toggleNotifications();
    await settle(() => denied.state.view.notice !== undefined);
    expect(denied.state.view.notice).toEqual({ kind: 'error', key: 'notify.denied' });
    denied.state.close();
  });

  it('close drops every decrypted preview and stops reporting changes', async () => {
    const { bob, state, changes, arrived } = await setup();
    await conversationOf(bob).sender.send('dose changed');
    arrived('messaging:ab', 'bob');
    await settle(() => state.view.rows.some((r) => r.preview.kind === 'text'));
    state.close();
    const before = changes.length;
    expect(state.view.rows).toEqual([]);
    await conversationOf(bob).sender.send('after close');
    arrived('messaging:ab', 'bob');
    await settle(() => false);
    expect(changes.length).toBe(before);
  });

  it("shows a preview only after its author's key was checked, and never as text once that key changed", async () => {
    const { bob, state, trust, keys, arrived, bobCrypto } = await setup();
    await conversationOf(bob).sender.send('dose changed');
    arrived('messaging:ab', 'bob');
    const row = () => state.view.rows.find((r) => r.cid === 'messaging:ab');
    await settle(() => row()?.preview.kind === 'text');
    // The first key seen for Bob is pinned on Alice's device.
    expect(row()?.preview).toEqual({ kind: 'text', text: 'dose changed' });
    expect(trust.state('bob')?.trust).toBe('unverified');
    expect(keys.pinned.has('alice/bob')).toBe(true);

    // Bob replaces his key (a new device) and writes again: the preview is not shown as his text.
    await bobCrypto.rotate();
    await conversationOf(bob).sender.send('please call the clinic');
    arrived('messaging:ab', 'bob');
    await settle(() => row()?.preview.kind === 'key-changed');
    expect(row()?.preview).toEqual({ kind: 'key-changed' });
    expect(JSON.stringify(state.view)).not.toContain('please call the clinic');

    // Accepting the new key pins it and shows the text.
    await trust.acknowledge('bob');
    expect(row()?.preview).toEqual({ kind: 'text', text: 'please call the clinic' });
    expect(keys.pinned.get('alice/bob')).toBe(trust.state('bob')?.fingerprint);
    state.close();
  });

  it('shows previews as still decrypting while their author cannot be checked', async () => {
    const { bob, state, arrived } = await setup({ noTrust: true });
    await conversationOf(bob).sender.send('dose changed');
    arrived('messaging:ab', 'bob');
    await settle(() => false);
    expect(state.view.rows.find((r) => r.cid === 'messaging:ab')?.preview).toEqual({ kind: 'decrypting' });
    state.close();
  });
});
