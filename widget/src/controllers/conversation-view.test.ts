// The view models the views render: built from core state without a DOM, and snapshots (later changes to the session
// do not show through until the next one is taken).
import { describe, expect, it } from 'vitest';
import {
  FakeChat,
  FakeChatServer,
  FakeCrypto,
  FakeDevice,
  FakeDirectory,
  conversationOf,
  startSession,
} from '../../test/fakes/fake-ports.js';
import { conversationView } from './conversation-view.js';

const CID = 'messaging:care';
const settle = () => new Promise((r) => setTimeout(r, 0));

async function pair() {
  const server = new FakeChatServer();
  server.addChannel(CID, ['alice', 'bob']);
  const dir = new FakeDirectory();
  const join = (id: string) =>
    startSession({
      id,
      channel: CID,
      chat: new FakeChat(server),
      crypto: new FakeCrypto(id, dir, new FakeDevice()),
    });
  const alice = await join('alice');
  const bob = await join('bob');
  return { alice, bob };
}

/** Bob's session in a conversation with Alice (who never joins), and a plain view context for him. */
async function bobAlone() {
  const server = new FakeChatServer();
  server.addChannel(CID, ['alice', 'bob']);
  const bob = await startSession({
    id: 'bob',
    channel: CID,
    chat: new FakeChat(server),
    crypto: new FakeCrypto('bob', new FakeDirectory(), new FakeDevice()),
  });
  const context = { me: 'bob', connected: true, nameOf: () => undefined };
  return { server, conversation: conversationOf(bob), context };
}

describe('conversationView', () => {
  it('holds the entries, members, reads and names of the open conversation', async () => {
    const { alice, bob } = await pair();
    const sent = await conversationOf(alice).sender.send('hello bob');
    const reply = await conversationOf(alice).sender.send('in a thread', { parentId: sent });
    const conversation = conversationOf(bob);
    for (let i = 0; i < 100 && conversation.timeline.size < 2; i++) await settle();
    conversation.reads.set('alice', new Date(5));
    const view = conversationView(conversation, {
      me: 'bob',
      connected: true,
      nameOf: (id) => (id === 'alice' ? 'Alice' : undefined),
    });
    expect(view.key).toBe(conversation);
    expect(view.cid).toBe(CID);
    expect(view.me).toBe('bob');
    expect(view.members).toEqual(['alice', 'bob']);
    expect(view.entries.map((e) => (e.kind === 'message' ? e.text : e.kind))).toEqual(['hello bob']);
    expect(view.thread(sent).map((e) => e.id)).toEqual([reply]);
    expect(view.replyCount(sent)).toBe(1);
    expect(view.entry(sent)).toMatchObject({ kind: 'message', from: 'alice' });
    expect(view.reads.get('alice')).toEqual(new Date(5));
    expect(view.nameOf('alice')).toBe('Alice');
    expect(view.connected).toBe(true);
  });

  it('is a snapshot: members, reads, typing, presence and progress do not change under the view', async () => {
    const { bob } = await pair();
    const conversation = conversationOf(bob);
    const view = conversationView(conversation, { me: 'bob', connected: false, nameOf: () => undefined });
    conversation.typing.set('alice', '');
    conversation.online.add('alice');
    conversation.reads.set('alice', new Date(1));
    conversation.sender.progress.set('m1', 0.5);
    conversation.members = ['alice', 'bob', 'carol'];
    expect([view.typing.size, view.online.size, view.reads.size, view.progress.size]).toEqual([0, 0, 0, 0]);
    expect(view.members).toEqual(['alice', 'bob']);
    expect(view.connected).toBe(false);

    const next = conversationView(conversation, { me: 'bob', connected: true, nameOf: () => undefined });
    expect([...next.typing]).toEqual([['alice', '']]);
    expect(next.online.has('alice')).toBe(true);
    expect(next.progress.get('m1')).toBe(0.5);
    expect(next.key).toBe(view.key); // same conversation, same per-conversation view state
  });

  it('reports unconfirmed and removed members and the blocked composer, as a snapshot', async () => {
    const { server, conversation, context } = await bobAlone();
    const before = conversationView(conversation, context);
    server.setMembers(CID, ['bob', 'eve']); // alice removed, eve added by the server
    const after = conversationView(conversation, context);
    expect([before.unconfirmed, before.removed, before.composerBlocked]).toEqual([[], [], undefined]);
    expect(after.unconfirmed).toEqual(['eve']);
    expect(after.removed).toEqual(['alice']);
    expect(after.composerBlocked).toEqual({ reason: 'unconfirmed-members', members: ['eve'] });
    expect([after.senderFlag('eve'), after.senderFlag('alice'), after.senderFlag('bob')]).toEqual([
      'not-a-member',
      undefined,
      undefined,
    ]);
    await conversation.confirmMembers(['eve']);
    expect(after.senderFlag('eve')).toBe('not-a-member'); // the snapshot does not change
    expect(conversationView(conversation, context).senderFlag('eve')).toBeUndefined();
  });

  it('blocks the composer while a member’s key changed and is not accepted; unconfirmed members come first', async () => {
    const { server, conversation, context } = await bobAlone();
    expect(
      conversationView(conversation, { ...context, keyChanged: new Set<string>() }).composerBlocked,
    ).toBe(undefined);
    const changed = conversationView(conversation, {
      ...context,
      keyChanged: new Set(['alice', 'not-here']),
    });
    expect(changed.composerBlocked).toEqual({ reason: 'key-changed', members: ['alice'] });
    server.setMembers(CID, ['alice', 'bob', 'eve']);
    const both = conversationView(conversation, { ...context, keyChanged: new Set(['alice']) });
    expect(both.composerBlocked).toEqual({ reason: 'unconfirmed-members', members: ['eve'] });
  });

  it('a conversation opened again is a new key, so its list state starts over', async () => {
    const { alice } = await pair();
    const first = conversationView(conversationOf(alice), {
      me: 'alice',
      connected: true,
      nameOf: () => undefined,
    });
    alice.leaveConversation();
    await alice.openChannel(CID);
    const again = conversationView(conversationOf(alice), {
      me: 'alice',
      connected: true,
      nameOf: () => undefined,
    });
    expect(again.key).not.toBe(first.key);
  });
});
