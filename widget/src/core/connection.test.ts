// The session over a dropping connection: sends wait in the outbox, missed messages are re-queried and merged by id.
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
import type { ChatSignal, WireEventKind, WireMessage } from './ports.js';
import type { ChatSession } from './session.js';

const CID = 'messaging:care';

/** A chat client whose socket can drop: events are lost while offline, like a real outage. */
class FlakyChat extends FakeChat {
  offline = false;
  #listener?: (online: boolean) => void;

  override async watch(
    cid: string,
    onEvent: (kind: WireEventKind, m: WireMessage) => void,
    onMembers: (m: string[]) => void,
    onSignal: (s: ChatSignal) => void,
  ) {
    return super.watch(cid, (kind, m) => !this.offline && onEvent(kind, m), onMembers, onSignal);
  }
  override async send(cid: string, m: Parameters<FakeChat['send']>[1]) {
    if (this.offline) throw Object.assign(new Error('offline'), { name: 'SecureChatError', code: 'network' });
    return super.send(cid, m);
  }
  override onConnection(listener: (online: boolean) => void) {
    this.#listener = listener;
  }
  override async messagesSince(cid: string, since: Date) {
    return (this.server.channels.get(cid)?.messages ?? []).filter(
      (m) => !m.parentId && m.createdAt.getTime() > since.getTime(),
    );
  }
  drop() {
    this.offline = true;
    this.#listener?.(false);
  }
  restore() {
    this.offline = false;
    this.#listener?.(true);
  }
}

async function join(server: FakeChatServer, dir: FakeDirectory, id: string) {
  const chat = new FlakyChat(server);
  const crypto = new FakeCrypto(id, dir, new FakeDevice());
  return { session: await startSession({ id, channel: CID, chat, crypto }), chat };
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
};
const texts = (s: ChatSession) =>
  conversationOf(s)
    .timeline.main()
    .map((e) => (e.kind === 'message' ? e.text : e.kind));

describe('ChatSession over a dropping connection', () => {
  it('queues sends while offline, then sends them and fills the gap without duplicates', async () => {
    const server = new FakeChatServer();
    server.addChannel(CID, ['alice', 'bob']);
    const dir = new FakeDirectory();
    const alice = await join(server, dir, 'alice');
    const bob = await join(server, dir, 'bob');
    await conversationOf(alice.session).sender.send('one');
    await until(() => texts(bob.session).includes('one'));

    bob.chat.drop();
    expect(bob.session.outbox.online).toBe(false);
    // Alice keeps talking; Bob's socket never hears it.
    await conversationOf(alice.session).sender.send('two (missed by bob)');
    await conversationOf(alice.session).sender.send('three (missed by bob)');
    // Bob types while offline: shown at once, marked queued, not sent.
    const sent = conversationOf(bob.session).sender.send('four (typed offline)');
    await until(() => {
      const e = conversationOf(bob.session).timeline.main().at(-1);
      return e?.kind === 'message' && e.queued === true;
    });
    expect(server.channels.get(CID)?.messages.length).toBe(3);
    expect(texts(bob.session)).toEqual(['one', 'four (typed offline)']);

    bob.chat.restore();
    await sent;
    const all = ['one', 'two (missed by bob)', 'three (missed by bob)', 'four (typed offline)'];
    await until(() => texts(bob.session).length === 4 && texts(alice.session).length === 4);
    expect(texts(bob.session)).toEqual(all);
    expect(texts(alice.session)).toEqual(all);
    const own = conversationOf(bob.session).timeline.main().at(-1);
    expect(own?.kind === 'message' && !own.pending && !own.queued).toBe(true);

    // Edits made while Bob is offline reach him after the reconnect.
    const first = conversationOf(alice.session).timeline.main()[0]!.id;
    bob.chat.drop();
    await conversationOf(alice.session).sender.edit(first, 'one (edited while bob was away)');
    expect(texts(bob.session)[0]).toBe('one');
    bob.chat.restore();
    await until(() => texts(bob.session)[0] === 'one (edited while bob was away)');
    all[0] = 'one (edited while bob was away)';

    // A second reconnect re-queries again but adds nothing twice.
    bob.chat.drop();
    bob.chat.restore();
    await new Promise((r) => setTimeout(r, 20));
    expect(texts(bob.session)).toEqual(all);
  });
});
