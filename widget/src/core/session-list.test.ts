// The session's message-list logic: lazy decryption, history paging, failed sends and retry, delete, reactions and
// channel signals, against the in-memory fakes.
import { describe, expect, it, vi } from 'vitest';
import {
  FakeChat,
  FakeChatServer,
  FakeCrypto,
  FakeDevice,
  FakeDirectory,
  conversationOf,
  startSession,
} from '../../test/fakes/fake-ports.js';
import type { ChatSignal, OutgoingWire, WireMessage } from './ports.js';

const CID = 'messaging:list';
const PAGE = 100;

class ListChat extends FakeChat {
  signal?: (s: ChatSignal) => void;
  failSends = false;
  updates: OutgoingWire[] = [];
  reactions: string[] = [];
  override async watch(
    cid: string,
    onEvent: Parameters<FakeChat['watch']>[1],
    onMembers: (m: string[]) => void,
    onSignal: (s: ChatSignal) => void,
  ) {
    this.signal = onSignal;
    const watched = await super.watch(cid, onEvent, onMembers, onSignal);
    return {
      ...watched,
      messages: watched.messages.slice(-PAGE),
      reads: { bob: new Date(0) },
      online: ['bob'],
    };
  }
  override async history(cid: string, beforeId: string, limit: number): Promise<WireMessage[]> {
    const all = (this.server.channels.get(cid)?.messages ?? []).filter((m) => !m.parentId);
    const end = all.findIndex((m) => m.id === beforeId);
    return all.slice(Math.max(0, end - limit), end);
  }
  override async send(cid: string, m: OutgoingWire): Promise<WireMessage> {
    if (this.failSends) throw new Error('offline');
    return super.send(cid, m);
  }
  override async update(cid: string, m: OutgoingWire): Promise<WireMessage> {
    this.updates.push(m);
    return super.update(cid, m);
  }
  override async react(_cid: string, id: string, type: string): Promise<void> {
    this.reactions.push(`+${id}:${type}`);
  }
  override async unreact(_cid: string, id: string, type: string): Promise<void> {
    this.reactions.push(`-${id}:${type}`);
  }
}

class CountingCrypto extends FakeCrypto {
  decrypts = 0;
  override async decrypt(...args: Parameters<FakeCrypto['decrypt']>) {
    this.decrypts++;
    return super.decrypt(...args);
  }
}

async function join(server: FakeChatServer, dir: FakeDirectory, id: string, device = new FakeDevice()) {
  const chat = new ListChat(server);
  const crypto = new CountingCrypto(id, dir, device);
  return { session: await startSession({ id, channel: CID, chat, crypto }), chat, crypto };
}

function world() {
  const server = new FakeChatServer();
  server.addChannel(CID, ['alice', 'bob']);
  return { server, dir: new FakeDirectory() };
}

describe('ChatSession message list', () => {
  it('decrypts only the newest messages on open, the rest on request, and pages older history', async () => {
    const w = world();
    const bobDevice = new FakeDevice();
    await (await join(w.server, w.dir, 'bob', bobDevice)).session.close();
    const alice = await join(w.server, w.dir, 'alice');
    for (let i = 0; i < 250; i++) await conversationOf(alice.session).sender.send(`m${i}`);
    const bob = await join(w.server, w.dir, 'bob', bobDevice);
    const main = () => conversationOf(bob.session).timeline.main();
    expect(main()).toHaveLength(PAGE);
    expect(bob.crypto.decrypts).toBe(30);
    expect(main().filter((e) => e.kind === 'decrypting')).toHaveLength(70);
    // The list asks for what it shows; already decrypted ids are not decrypted twice.
    await conversationOf(bob.session).decrypt(
      main()
        .slice(50)
        .map((e) => e.id),
    );
    expect(bob.crypto.decrypts).toBe(50);
    expect(conversationOf(bob.session).hasOlder).toBe(true);
    expect(await conversationOf(bob.session).loadOlder(100)).toBe(100);
    expect(await conversationOf(bob.session).loadOlder(100)).toBe(50);
    expect(conversationOf(bob.session).hasOlder).toBe(false);
    expect(await conversationOf(bob.session).loadOlder(100)).toBe(0);
    expect(main()).toHaveLength(250);
    expect(bob.crypto.decrypts).toBe(50); // paged messages stay encrypted until shown
    await conversationOf(bob.session).decrypt([main()[0]!.id]);
    const first = main()[0]!;
    expect(first.kind === 'message' ? first.text : first).toBe('m0');
  });

  it('keeps a failed send marked as failed, retries it with the same id, deletes and reacts', async () => {
    const w = world();
    const alice = await join(w.server, w.dir, 'alice');
    alice.chat.failSends = true;
    await expect(conversationOf(alice.session).sender.send('try me')).rejects.toThrow();
    const failed = conversationOf(alice.session).timeline.main()[0]!;
    expect(failed.kind === 'message' && failed.failed).toBe(true);
    alice.chat.failSends = false;
    await conversationOf(alice.session).sender.retry(failed.id);
    const sent = conversationOf(alice.session).timeline.get(failed.id)!;
    expect(sent.kind === 'message' && !sent.failed && !sent.pending).toBe(true);
    expect(w.server.find(failed.id).id).toBe(failed.id);

    await conversationOf(alice.session).sender.react(failed.id, 'like', true);
    expect(conversationOf(alice.session).timeline.reactions.get(failed.id)).toEqual({
      counts: { like: 1 },
      own: ['like'],
    });
    await conversationOf(alice.session).sender.react(failed.id, 'like', false);
    expect(conversationOf(alice.session).timeline.reactions.get(failed.id)).toEqual({
      counts: { like: 0 },
      own: [],
    });
    expect(alice.chat.reactions).toEqual([`+${failed.id}:like`, `-${failed.id}:like`]);

    await conversationOf(alice.session).sender.deleteMessage(failed.id);
    // A signed tombstone, sent as the next revision: Stream's own delete is not used.
    expect(alice.chat.updates.map((m) => m.id)).toEqual([failed.id]);
    expect(w.server.find(failed.id).deleted).toBe(false);
    expect(conversationOf(alice.session).timeline.get(failed.id)).toMatchObject({ kind: 'deleted', rev: 1 });
  });

  it("ends a member's typing indicator when their message arrives", async () => {
    const w = world();
    const alice = await join(w.server, w.dir, 'alice');
    const bob = await join(w.server, w.dir, 'bob');
    alice.chat.signal!({ kind: 'typing', userId: 'bob', typing: true });
    expect(conversationOf(alice.session).typing.has('bob')).toBe(true);
    const id = await conversationOf(bob.session).sender.send('done typing');
    await vi.waitFor(() => expect(conversationOf(alice.session).timeline.get(id)).toBeDefined());
    expect(conversationOf(alice.session).typing.size).toBe(0);
  });

  it('tracks typing, reads, presence and reaction signals (ids only)', async () => {
    const w = world();
    const alice = await join(w.server, w.dir, 'alice');
    expect(conversationOf(alice.session).online.has('bob')).toBe(true);
    const signal = alice.chat.signal!;
    signal({ kind: 'typing', userId: 'bob', typing: true });
    signal({ kind: 'typing', userId: 'alice', typing: true });
    expect([...conversationOf(alice.session).typing]).toEqual([['bob', '']]);
    signal({ kind: 'typing', userId: 'bob', typing: false });
    expect(conversationOf(alice.session).typing.size).toBe(0);
    signal({ kind: 'read', userId: 'bob', at: new Date(5) });
    expect(conversationOf(alice.session).reads.get('bob')).toEqual(new Date(5));
    signal({ kind: 'presence', userId: 'bob', online: false });
    expect(conversationOf(alice.session).online.has('bob')).toBe(false);
    signal({ kind: 'reactions', id: 'x', counts: { done: 2 }, own: [] });
    expect(conversationOf(alice.session).timeline.reactions.get('x')).toEqual({
      counts: { done: 2 },
      own: [],
    });
  });
});
