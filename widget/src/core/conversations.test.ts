import { describe, expect, it } from 'vitest';
import {
  FakeChat,
  FakeChatServer,
  FakeConversationSource as FakeSource,
  FakeCrypto,
  FakeDevice,
  FakeDirectory,
  conversationOf,
  startSession,
  MemoryRevisionLedger,
} from '../../test/fakes/fake-ports.js';
import { ConversationList, trustedPreview, type ConversationRow } from './conversations.js';

const settle = () => new Promise((r) => setTimeout(r, 0));

const member = (server: FakeChatServer, dir: FakeDirectory, id: string, channel: string) =>
  startSession({
    id,
    channel,
    chat: new FakeChat(server),
    crypto: new FakeCrypto(id, dir, new FakeDevice()),
  });

/** Bob in a one-to-one with Alice, who has a key but no session: her list is built by hand. */
async function aliceAndBob() {
  const server = new FakeChatServer();
  const dir = new FakeDirectory();
  server.addChannel('messaging:ab', ['alice', 'bob']);
  const aliceCrypto = new FakeCrypto('alice', dir, new FakeDevice());
  await aliceCrypto.prepareIdentity();
  const bob = await member(server, dir, 'bob', 'messaging:ab');
  return { server, aliceCrypto, bob };
}

const aliceList = (server: FakeChatServer, crypto: FakeCrypto, revisions: MemoryRevisionLedger) =>
  new ConversationList({
    revisions,
    chat: new FakeChat(server),
    crypto,
    source: new FakeSource(server, 'alice'),
    me: { id: 'alice' },
    contacts: [],
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
    await conversationOf(carol).sender.send('potassium 5.9');
    await conversationOf(bob).sender.send('dose changed');
    await conversationOf(bob).sender.send('  call me\n  tomorrow  ');

    const source = new FakeSource(server, 'alice');
    const chat = new FakeChat(server);
    const list = new ConversationList({
      revisions: new MemoryRevisionLedger(),
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
    await conversationOf(carol).sender.send('please call the clinic');
    source.emit({ message: { cid: 'messaging:ac', from: 'carol' } });
    source.emit({ message: { cid: 'messaging:ab', from: 'alice' } });
    await settle();
    expect(list.rows[0]?.cid).toBe('messaging:ac');
    expect(incoming).toEqual(['messaging:ac']);

    list.close();
    expect(list.rows).toEqual([]);
  });

  it('shows a failed preview for a message that does not verify, never its text', async () => {
    const { server, aliceCrypto, bob } = await aliceAndBob();
    const id = await conversationOf(bob).sender.send('secret');
    // The server re-labels the sender.
    const stored = server.find(id);
    server.channels.get('messaging:ab')!.messages[0] = { ...stored, senderId: 'mallory' };
    const list = aliceList(server, aliceCrypto, new MemoryRevisionLedger());
    await list.load();
    await settle();
    expect(list.rows[0]?.preview.kind).toBe('failed');
    expect(JSON.stringify(list.rows)).not.toContain('secret');
  });

  it('previews follow the revision rules: an older revision put back is rolled back, not its text', async () => {
    const { server, aliceCrypto, bob } = await aliceAndBob();
    const id = await conversationOf(bob).sender.send('take 10 units');
    // Alice's device already verified revision 1 (the corrected dose); the server serves the original again.
    const ledger = new MemoryRevisionLedger();
    await ledger.record('alice', 'messaging:ab', id, 1);
    const list = aliceList(server, aliceCrypto, ledger);
    await list.load();
    await settle();
    expect(list.rows[0]?.preview).toEqual({ kind: 'failed', reason: 'rolled-back' });
    expect(JSON.stringify(list.rows)).not.toContain('10 units');
  });
});

describe('trustedPreview (the preview rule)', () => {
  const row = (over: Partial<ConversationRow>): ConversationRow => ({
    cid: 'messaging:ab',
    peers: ['bob'],
    names: ['Bob'],
    lastAt: new Date(0),
    unread: 0,
    online: false,
    preview: { kind: 'text', text: 'dose changed' },
    lastIsOwn: false,
    lastFrom: 'bob',
    ...over,
  });

  it("shows someone else's text only once their key was checked and did not change", () => {
    expect(trustedPreview(row({}), () => 'unverified')).toEqual({ kind: 'text', text: 'dose changed' });
    expect(trustedPreview(row({}), () => 'verified')).toEqual({ kind: 'text', text: 'dose changed' });
    expect(trustedPreview(row({}), () => 'key-changed')).toEqual({ kind: 'key-changed' });
    expect(trustedPreview(row({}), () => undefined)).toEqual({ kind: 'decrypting' });
  });

  it("leaves the user's own text and previews without text alone", () => {
    const never = () => 'key-changed' as const;
    expect(trustedPreview(row({ lastIsOwn: true, lastFrom: 'alice' }), never).kind).toBe('text');
    const failed = { kind: 'failed', reason: 'tampered' } as const;
    expect(trustedPreview(row({ preview: failed }), never)).toEqual(failed);
    expect(trustedPreview(row({ preview: { kind: 'none' } }), never)).toEqual({ kind: 'none' });
  });
});
