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

async function setup(opts: { visible?: () => boolean; answer?: ToggleResult; refuse?: boolean } = {}) {
  const server = new FakeChatServer();
  const dir = new FakeDirectory();
  server.addChannel('messaging:ab', ['alice', 'bob']);
  server.addChannel('messaging:ac', ['alice', 'carol']);
  const bob = await startSession({
    id: 'bob',
    channel: 'messaging:ab',
    chat: new FakeChat(server),
    crypto: new FakeCrypto('bob', dir, new FakeDevice()),
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
  const alice = await startSession({
    id: 'alice',
    channel: '',
    api,
    chat,
    crypto: new FakeCrypto('alice', dir, new FakeDevice()),
  });
  const notifier = new FakeNotifier(opts.answer);
  const changes: number[] = [];
  const clicked: string[] = [];
  const state = new ConversationListState({
    session: alice,
    notifier,
    pageVisible: opts.visible ?? (() => true),
    notificationTitle: () => 'New secure message',
    onChange: () => changes.push(Date.now()),
    onNotificationClick: (cid) => clicked.push(cid),
  });
  /** A message from `from` arrived in `cid`, as the chat service would report it. */
  const arrived = (cid: string, from: string) => chat.source?.emit({ message: { cid, from } });
  return { server, bob, carol, alice, state, notifier, changes, clicked, arrived };
}

describe('ConversationListState', () => {
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
      { sub: 'sub-bob', name: 'Dr Bob' },
      { sub: 'sub-carol', name: 'Nurse Carol' },
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
});
