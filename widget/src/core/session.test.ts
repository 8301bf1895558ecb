import { describe, expect, it, vi } from 'vitest';
import {
  FakeApi,
  FakeChat,
  FakeChatServer,
  FakeCrypto,
  FakeDevice,
  FakeDirectory,
  MemoryPinnedMembers,
  MemoryRevisionLedger,
  conversationOf,
  sessionInfo,
  startSession,
} from '../../test/fakes/fake-ports.js';
import { MAX_INLINE_CIPHERTEXT } from './codec.js';
import { SecureChatError } from './errors.js';
import { ChatSession, type SessionEvent } from './session.js';

const CID = 'messaging:care';

function world() {
  const dir = new FakeDirectory();
  const server = new FakeChatServer();
  server.addChannel(CID, ['alice', 'bob', 'carol']);
  return { dir, server };
}

async function join(
  w: ReturnType<typeof world>,
  id: string,
  device = new FakeDevice(),
  opts: { channel?: string } = {},
) {
  const chat = new FakeChat(w.server);
  const cryptoPort = new FakeCrypto(id, w.dir, device);
  const api = new FakeApi(sessionInfo(id, id.toUpperCase()));
  const events: SessionEvent[] = [];
  const session = await startSession({
    id,
    channel: opts.channel ?? CID,
    chat,
    crypto: cryptoPort,
    api,
    onEvent: (e) => events.push(e),
  });
  return { session, chat, crypto: cryptoPort, api, events, device };
}

const settle = () => new Promise((r) => setTimeout(r, 0));
const texts = (s: ChatSession) =>
  conversationOf(s)
    .timeline.main()
    .map((e) => (e.kind === 'message' ? e.text : e.kind));

describe('ChatSession', () => {
  it('exchanges messages both ways, and the server holds no plaintext', async () => {
    const w = world();
    const alice = await join(w, 'alice');
    const bob = await join(w, 'bob');
    expect(alice.session.state.status).toBe('ready');
    await conversationOf(alice.session).sender.send('hello bob, my results are in');
    await conversationOf(bob.session).sender.send('hi alice, good news');
    await settle();
    expect(texts(alice.session)).toEqual(['hello bob, my results are in', 'hi alice, good news']);
    expect(texts(bob.session)).toEqual(['hello bob, my results are in', 'hi alice, good news']);
    const dump = await w.server.dump();
    expect(dump).not.toContain('results are in');
    expect(dump).not.toContain('good news');
  });

  it('tells the sender which members have no key yet and so can never read the message', async () => {
    const w = world();
    const alice = await join(w, 'alice');
    await join(w, 'bob');
    // carol is a member but has never registered a key.
    const id = await conversationOf(alice.session).sender.send('sent before carol set up secure chat');
    const sent = conversationOf(alice.session).timeline.get(id);
    expect(sent?.kind === 'message' && sent.unreadableBy).toEqual(['carol']);
    const carol = await join(w, 'carol');
    await settle();
    const carolView = conversationOf(carol.session).timeline.get(id);
    expect(carolView?.kind).toBe('undecryptable');
    const later = await conversationOf(alice.session).sender.send('sent after carol joined');
    const laterEntry = conversationOf(alice.session).timeline.get(later);
    expect(laterEntry?.kind === 'message' && laterEntry.unreadableBy).toBeUndefined();
  });

  it('a third member reads every message; a new device of hers must restore first', async () => {
    const w = world();
    const alice = await join(w, 'alice');
    const bob = await join(w, 'bob');
    const carol = await join(w, 'carol');
    await conversationOf(alice.session).sender.send('one');
    await conversationOf(bob.session).sender.send('two');
    await conversationOf(carol.session).sender.send('three');
    await settle();
    for (const member of [alice, bob, carol]) expect(texts(member.session)).toEqual(['one', 'two', 'three']);
    const carolLater = await join(w, 'carol', new FakeDevice());
    expect(carolLater.session.state).toMatchObject({ status: 'key-setup', step: 'restore' });
  });

  it('edits, thread replies and quoted replies go through the envelope and are checked', async () => {
    const w = world();
    const alice = await join(w, 'alice');
    const bob = await join(w, 'bob');
    const first = await conversationOf(alice.session).sender.send('first');
    await conversationOf(alice.session).sender.edit(first, 'first (edited)');
    const reply = await conversationOf(bob.session).sender.send('in thread', { parentId: first });
    const quote = await conversationOf(bob.session).sender.send('quoting', { quoteId: first });
    await settle();
    const a = conversationOf(alice.session).timeline;
    expect(a.get(first)).toMatchObject({ kind: 'message', text: 'first (edited)', edited: true });
    expect(a.get(reply)).toMatchObject({ kind: 'message', text: 'in thread', parentId: first });
    expect(a.get(quote)).toMatchObject({ kind: 'message', text: 'quoting', quoteId: first });
    expect(a.thread(first).map((e) => e.id)).toEqual([reply]);
    expect(conversationOf(bob.session).timeline.get(first)).toMatchObject({
      text: 'first (edited)',
      edited: true,
    });
  });

  it('an edit refused for the rate limit waits, shows the delay and goes out', async () => {
    const w = world();
    const alice = await join(w, 'alice');
    const bob = await join(w, 'bob');
    const sender = conversationOf(alice.session).sender;
    const id = await sender.send('dose: 5 mg');
    const refused = new SecureChatError('rate-limited', 'Too many requests.', {
      recoverable: true,
      retryAfterMs: 20,
    });
    const update = vi.spyOn(FakeChat.prototype, 'update').mockRejectedValueOnce(refused);
    const delays: boolean[] = [];
    const edit = sender.edit(id, 'dose: 2.5 mg');
    for (let i = 0; i < 50 && !delays.length; i++) {
      const entry = conversationOf(alice.session).timeline.get(id);
      if (entry?.kind === 'message' && entry.delayed) delays.push(true);
      await new Promise((r) => setTimeout(r, 1));
    }
    await edit;
    update.mockRestore();
    await settle();
    expect(delays).toEqual([true]);
    const edited = conversationOf(alice.session).timeline.get(id);
    expect(edited).toMatchObject({ text: 'dose: 2.5 mg', edited: true });
    expect(edited?.kind === 'message' && edited.delayed).toBeFalsy();
    expect(conversationOf(bob.session).timeline.get(id)).toMatchObject({
      text: 'dose: 2.5 mg',
      edited: true,
    });
  });

  it('fires events with ids and trust only', async () => {
    const w = world();
    const alice = await join(w, 'alice');
    const bob = await join(w, 'bob');
    await conversationOf(alice.session).sender.send('secret words');
    await settle();
    const serialized = JSON.stringify(bob.events);
    expect(serialized).not.toContain('secret');
    expect(serialized).not.toContain('ALICE');
    expect(bob.events).toContainEqual(
      expect.objectContaining({ type: 'message', from: 'alice', trust: 'verified' }),
    );
  });

  it('shows tampering, swapped senders, replays and copies as unverifiable', async () => {
    const w = world();
    w.server.addChannel('messaging:other', ['alice', 'bob']);
    const alice = await join(w, 'alice');
    const bob = await join(w, 'bob');
    const id = await conversationOf(alice.session).sender.send('original');
    const stored = w.server.find(id);

    // 1. Flip the ciphertext.
    const ct = Buffer.from(stored.secure?.ct as string, 'base64')
      .toString('utf8')
      .replace('original', 'modified');
    w.server.store(
      { ...stored, id: 'tampered', secure: { v: 1, ct: Buffer.from(ct).toString('base64') } },
      'new',
    );
    // 2. Claim bob sent alice's message.
    w.server.store({ ...stored, id: 'swapped', senderId: 'bob' }, 'new');
    // 3. Re-post the old ciphertext under a new id.
    w.server.store({ ...stored, id: 'replayed' }, 'new');
    // 4. Copy it into another conversation.
    const copy = { ...stored, cid: 'messaging:other' };
    await settle();
    const other = await join(w, 'bob', bob.device, { channel: 'messaging:other' });
    w.server.store(copy, 'new');
    await settle();
    const t = conversationOf(bob.session).timeline;
    expect(t.get('tampered')).toMatchObject({ kind: 'undecryptable', reason: 'tampered' });
    expect(t.get('swapped')).toMatchObject({ kind: 'undecryptable', reason: 'unverified-sender' });
    expect(t.get('replayed')).toMatchObject({ kind: 'undecryptable', reason: 'misplaced' });
    expect(conversationOf(other.session).timeline.get(id)).toMatchObject({
      kind: 'undecryptable',
      reason: 'misplaced',
    });
    expect(t.get(id)).toMatchObject({ kind: 'message', text: 'original' });
  });

  it('sends large messages through an encrypted upload', async () => {
    const w = world();
    const alice = await join(w, 'alice');
    const bob = await join(w, 'bob');
    const big = 'x'.repeat(20_000);
    const id = await conversationOf(alice.session).sender.send(big);
    // Opening hashes the download (WebCrypto), which takes more than one turn of the event loop.
    for (let i = 0; i < 100 && conversationOf(bob.session).timeline.get(id)?.kind !== 'message'; i++)
      await settle();
    const stored = w.server.find(id);
    expect(stored.secure?.ct).toBeUndefined();
    // The uploaded envelope is the message's attachment; `e2ee` points at it by index and hash.
    expect(stored.secure?.att).toBe(0);
    expect(stored.secure?.sha256).toMatch(/^[\w-]{43}$/);
    expect(stored.attachments?.[0]).toMatch(/^https:\/\/uploads\.test\//);
    expect(conversationOf(bob.session).timeline.get(id)).toMatchObject({ kind: 'message', text: big });
    const small = await conversationOf(alice.session).sender.send('short');
    expect((w.server.find(small).secure?.ct as string).length).toBeLessThanOrEqual(MAX_INLINE_CIPHERTEXT);
  });

  it('restores on a new device: wrong password retries, the right one opens the history', async () => {
    const w = world();
    const first = await join(w, 'alice');
    await conversationOf(first.session).sender.send('before');
    // Set a backup the way the offer-backup screen would.
    await first.crypto.backup('correct horse');
    const second = await join(w, 'alice', new FakeDevice());
    expect(second.session.state).toMatchObject({ status: 'key-setup', step: 'restore' });
    await second.session.keys.restore('wrong');
    expect(second.session.state).toMatchObject({
      status: 'key-setup',
      step: 'restore',
      error: 'wrong-password',
    });
    await second.session.keys.restore('correct horse');
    expect(second.session.state.status).toBe('ready');
    expect(texts(second.session)).toEqual(['before']);
  });

  it('forgot password → rotate after a warning: old messages show "previous key", new ones work', async () => {
    const w = world();
    const alice = await join(w, 'alice');
    const bob = await join(w, 'bob');
    const old = await conversationOf(bob.session).sender.send('old message');
    const fresh = await join(w, 'alice', new FakeDevice());
    fresh.session.keys.forgotPassword();
    expect(fresh.session.state).toMatchObject({ step: 'confirm-rotate' });
    await fresh.session.keys.confirmRotate();
    expect(fresh.session.state).toMatchObject({ step: 'offer-backup', afterRotate: true });
    await fresh.session.keys.skipBackup();
    expect(conversationOf(fresh.session).timeline.get(old)).toMatchObject({
      kind: 'undecryptable',
      reason: 'previous-key',
    });
    // Bob's cached card for alice is stale; after the TTL or a refresh he encrypts to the new key.
    await bob.crypto.lookup(['alice'], { refresh: ['alice'] });
    const now = await conversationOf(bob.session).sender.send('new message');
    await settle();
    expect(conversationOf(fresh.session).timeline.get(now)).toMatchObject({
      kind: 'message',
      text: 'new message',
    });
    expect(alice.session.state.status).toBe('ready');
  });

  it('refreshes tokens through the API after the first use', async () => {
    const w = world();
    const alice = await join(w, 'alice');
    expect(alice.chat.tokenCalls).toBe(1);
    expect(alice.api.streamCalls).toBe(0); // the session's own token was used first
  });

  it('sign-out drops plaintext and can remove the local key', async () => {
    const w = world();
    const alice = await join(w, 'alice');
    await conversationOf(alice.session).sender.send('private');
    const conversation = conversationOf(alice.session);
    await alice.session.signOut({ forgetKey: true });
    expect(conversation.timeline.size).toBe(0);
    expect(alice.chat.disconnected).toBe(true);
    expect(alice.crypto.closed).toBe(true);
    expect(alice.device.keys.has('alice')).toBe(false);
    expect(alice.session.state).toEqual({ status: 'signed-out', keyRemoved: true });
    await expect(conversation.sender.send('x')).rejects.toMatchObject({ code: 'config' });
  });

  it('without channel or peer, is ready with no conversation; opens and switches over the same connection', async () => {
    const w = world();
    w.server.addChannel('messaging:other', ['alice', 'bob']);
    await join(w, 'bob'); // publishes bob's card
    const carol = await join(w, 'carol');
    const chat = new FakeChat(w.server);
    let chatLoads = 0;
    let cryptoLoads = 0;
    const api = new FakeApi(sessionInfo('alice', 'ALICE'), (peers) =>
      peers.join() === 'bob-sub' ? 'messaging:other' : 'messaging:none',
    );
    const session = new ChatSession({
      api,
      loadChat: async () => (chatLoads++, chat),
      loadCrypto: async () => (cryptoLoads++, new FakeCrypto('alice', w.dir, new FakeDevice())),
      pinned: new MemoryPinnedMembers(),
      revisions: new MemoryRevisionLedger(),
    });
    const events: SessionEvent[] = [];
    session.onEvent = (e) => events.push(e);
    await session.start({}, new AbortController().signal);
    if (session.state.status === 'key-setup') await session.keys.skipBackup();
    expect(session.state).toEqual({ status: 'ready' });
    expect(session.cid).toBe('');
    expect(events).toContainEqual({ type: 'ready', cid: '', userId: 'alice' });

    const fromCarol = await conversationOf(carol.session).sender.send('care team note');
    await session.openChannel(CID);
    expect(conversationOf(session).timeline.get(fromCarol)).toMatchObject({
      kind: 'message',
      text: 'care team note',
    });

    const cid = await session.startConversation(['bob-sub']);
    expect(cid).toBe('messaging:other');
    expect(conversationOf(session).timeline.get(fromCarol)).toBeUndefined(); // the previous conversation's plaintext is gone
    const fromAlice = await conversationOf(session).sender.send('just for bob');
    expect(conversationOf(session).timeline.get(fromAlice)).toMatchObject({
      kind: 'message',
      text: 'just for bob',
    });
    expect([chatLoads, cryptoLoads]).toEqual([1, 1]);

    const left = conversationOf(session);
    session.leaveConversation();
    expect([session.cid, left.timeline.size]).toEqual(['', 0]);
  });
});
