import { describe, expect, it } from 'vitest';
import {
  FakeChat,
  FakeChatServer,
  FakeCrypto,
  FakeDevice,
  FakeDirectory,
  startSession,
} from '../../test/fakes/fake-ports.js';
import {
  ConversationList,
  type ConversationChange,
  type ConversationSource,
  type ConversationSummary,
} from './conversations.js';

const settle = () => new Promise((r) => setTimeout(r, 0));

/** A conversation source over the fake server; unread = messages from others after `readAt`. */
class FakeSource implements ConversationSource {
  readAt = new Map<string, number>();
  listeners = new Set<(c: ConversationChange) => void>();
  marked: string[] = [];
  constructor(
    readonly server: FakeChatServer,
    readonly me: string,
  ) {}
  async query(): Promise<ConversationSummary[]> {
    return this.snapshot();
  }
  snapshot(): ConversationSummary[] {
    return [...this.server.channels.entries()].map(([cid, ch]) => {
      const main = ch.messages.filter((m) => !m.parentId);
      const last = main.at(-1);
      const readAt = this.readAt.get(cid) ?? 0;
      return {
        cid,
        members: ch.members,
        ...(last ? { last } : {}),
        lastAt: last?.createdAt ?? new Date(0),
        unread: main.filter((m) => m.senderId !== this.me && m.createdAt.getTime() > readAt).length,
        online: ch.members.filter((m) => m === 'bob'),
      };
    });
  }
  subscribe(listener: (c: ConversationChange) => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  async markRead(cid: string) {
    this.marked.push(cid);
    this.readAt.set(cid, this.server.clock);
  }
  emit(change: ConversationChange) {
    for (const l of this.listeners) l(change);
  }
}

const member = (server: FakeChatServer, dir: FakeDirectory, id: string, channel: string) =>
  startSession({
    id,
    channel,
    chat: new FakeChat(server),
    crypto: new FakeCrypto(id, dir, new FakeDevice()),
  });

describe('ConversationList', () => {
  it('sorts by latest message, decrypts previews, counts unread and keeps the active conversation read', async () => {
    const server = new FakeChatServer();
    const dir = new FakeDirectory();
    server.addChannel('messaging:ab', ['alice', 'bob']);
    server.addChannel('messaging:ac', ['alice', 'carol']);
    server.addChannel('messaging:bc', ['bob', 'carol']); // not Alice's
    const aliceCrypto = new FakeCrypto('alice', dir, new FakeDevice());
    await aliceCrypto.prepareIdentity();
    const bob = await member(server, dir, 'bob', 'messaging:ab');
    const carol = await member(server, dir, 'carol', 'messaging:ac');
    await carol.send('potassium 5.9');
    await bob.send('dose changed');
    await bob.send('  call me\n  tomorrow  ');

    const source = new FakeSource(server, 'alice');
    const chat = new FakeChat(server);
    const list = new ConversationList({
      chat,
      crypto: aliceCrypto,
      source,
      me: { id: 'alice' },
      contacts: [{ id: 'bob', name: 'Dr Bob' }],
    });
    const incoming: string[] = [];
    list.onIncoming = (cid) => incoming.push(cid);
    await list.load();
    expect(list.rows.map((r) => r.preview.kind)).toEqual(['decrypting', 'decrypting']);
    await settle();
    expect(list.rows.map((r) => [r.cid, r.names, r.unread, r.online, r.preview])).toEqual([
      ['messaging:ab', ['Dr Bob'], 2, true, { kind: 'text', text: 'call me tomorrow' }],
      ['messaging:ac', [undefined], 1, false, { kind: 'text', text: 'potassium 5.9' }],
    ]);
    expect(list.totals).toEqual({ total: 3, conversations: 2 });

    list.setActive('messaging:ac');
    expect(list.rows.find((r) => r.cid === 'messaging:ac')?.unread).toBe(0);
    await settle();
    expect(source.marked).toEqual(['messaging:ac']);

    // A new message from Carol: her conversation moves up, Alice's own are not "incoming".
    await carol.send('please call the clinic');
    source.emit({ message: { cid: 'messaging:ac', from: 'carol' } });
    source.emit({ message: { cid: 'messaging:ab', from: 'alice' } });
    await settle();
    expect(list.rows[0]?.cid).toBe('messaging:ac');
    expect(incoming).toEqual(['messaging:ac']);

    list.close();
    expect(list.rows).toEqual([]);
  });

  it('shows a failed preview for a message that does not verify, never its text', async () => {
    const server = new FakeChatServer();
    const dir = new FakeDirectory();
    server.addChannel('messaging:ab', ['alice', 'bob']);
    const aliceCrypto = new FakeCrypto('alice', dir, new FakeDevice());
    await aliceCrypto.prepareIdentity();
    const bob = await member(server, dir, 'bob', 'messaging:ab');
    const id = await bob.send('secret');
    // The server re-labels the sender.
    const stored = server.find(id);
    server.channels.get('messaging:ab')!.messages[0] = { ...stored, senderId: 'mallory' };
    const list = new ConversationList({
      chat: new FakeChat(server),
      crypto: aliceCrypto,
      source: new FakeSource(server, 'alice'),
      me: { id: 'alice' },
      contacts: [],
    });
    await list.load();
    await settle();
    expect(list.rows[0]?.preview.kind).toBe('failed');
    expect(JSON.stringify(list.rows)).not.toContain('secret');
  });
});
