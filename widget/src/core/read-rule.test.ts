// The one read rule: a conversation in a hidden tab is never marked read, neither by the open conversation nor by
// the conversation list; once the page is visible again it is.
import { describe, expect, it } from 'vitest';
import {
  FakeChat,
  FakeChatServer,
  FakeConversationSource,
  FakeCrypto,
  FakeDevice,
  FakeDirectory,
  conversationOf,
  startSession,
  MemoryRevisionLedger,
} from '../../test/fakes/fake-ports.js';
import { ConversationList } from './conversations.js';
import { isUnread, shouldMarkRead } from './read-rule.js';

const CID = 'messaging:ab';
const settle = () => new Promise((r) => setTimeout(r, 0));

function world() {
  const server = new FakeChatServer();
  server.addChannel(CID, ['alice', 'bob']);
  return { server, dir: new FakeDirectory() };
}

describe('read rule', () => {
  it('marks read only when the page is visible and something is unread', () => {
    expect(shouldMarkRead({ pageVisible: true, hasUnread: true })).toBe(true);
    expect(shouldMarkRead({ pageVisible: false, hasUnread: true })).toBe(false);
    expect(shouldMarkRead({ pageVisible: true, hasUnread: false })).toBe(false);
    const at = new Date(1000);
    expect(isUnread(at, undefined)).toBe(true);
    expect(isUnread(at, new Date(999))).toBe(true);
    expect(isUnread(at, at)).toBe(false);
    expect(isUnread(undefined, undefined)).toBe(false);
  });

  it('the open conversation is not marked read while the tab is hidden, and is once it is visible', async () => {
    const { server, dir } = world();
    const bob = await startSession({
      id: 'bob',
      channel: CID,
      chat: new FakeChat(server),
      crypto: new FakeCrypto('bob', dir, new FakeDevice()),
    });
    let visible = false;
    const aliceChat = new FakeChat(server);
    const alice = await startSession({
      id: 'alice',
      channel: CID,
      chat: aliceChat,
      crypto: new FakeCrypto('alice', dir, new FakeDevice()),
      pageVisible: () => visible,
    });
    await conversationOf(bob).sender.send('results are in');
    const conversation = conversationOf(alice);
    for (let i = 0; i < 100 && conversation.timeline.main().length === 0; i++) await settle();
    expect(conversation.timeline.main()).toHaveLength(1);

    conversation.markRead();
    expect(aliceChat.marked).toEqual([]);
    expect(conversation.reads.get('alice')).toBeUndefined();

    visible = true;
    conversation.markRead();
    expect(aliceChat.marked).toEqual([CID]);
    expect(conversation.reads.get('alice')).toBeInstanceOf(Date);
    conversation.markRead(); // nothing new since
    expect(aliceChat.marked).toEqual([CID]);
  });

  it('the conversation list keeps the active conversation unread while the tab is hidden', async () => {
    const { server, dir } = world();
    const bob = await startSession({
      id: 'bob',
      channel: CID,
      chat: new FakeChat(server),
      crypto: new FakeCrypto('bob', dir, new FakeDevice()),
    });
    await conversationOf(bob).sender.send('call me');
    const crypto = new FakeCrypto('alice', dir, new FakeDevice());
    await crypto.prepareIdentity();
    const source = new FakeConversationSource(server, 'alice');
    let visible = false;
    const list = new ConversationList({
      revisions: new MemoryRevisionLedger(),
      chat: new FakeChat(server),
      crypto,
      source,
      me: { id: 'alice' },
      contacts: [],
      pageVisible: () => visible,
    });
    await list.load();
    list.setActive(CID);
    await settle();
    expect(list.rows[0]?.unread).toBe(1);
    expect(source.marked).toEqual([]);

    visible = true;
    list.refresh();
    expect(list.rows[0]?.unread).toBe(0);
    await settle();
    expect(source.marked).toEqual([CID]);
    list.close();
  });
});
