// The server as an adversary, against the in-memory fakes: it puts older revisions back, deletes messages without
// their sender, and reorders them with its own times. Revisions only go forward (per device, across sessions),
// deletions count only as signed tombstones, and signed times order the timeline.
import { describe, expect, it } from 'vitest';
import {
  FakeApi,
  FakeChat,
  FakeChatServer,
  FakeCrypto,
  FakeDevice,
  FakeDirectory,
  MemoryRevisionLedger,
  conversationOf,
  sessionInfo,
  startSession,
} from '../../test/fakes/fake-ports.js';
import { sealMessage } from './codec.js';
import { SIGNED_TIME_TOLERANCE_MS } from './envelope.js';
import type { DecryptResult, WireMessage } from './ports.js';
import type { SessionEvent } from './session.js';
import { Revisions } from './revisions.js';
import type { TimelineEntry } from './timeline.js';

const CID = 'messaging:care';
const MIN = 60_000;

function world() {
  const dir = new FakeDirectory();
  const server = new FakeChatServer();
  server.addChannel(CID, ['alice', 'bob']);
  return { dir, server };
}

type World = ReturnType<typeof world>;

/** Reports that Alice's key, which verifies her messages, was replaced at `replacedAt` (a card's period). */
class ReplacedKeyCrypto extends FakeCrypto {
  replacedAt: number | undefined;
  override async decrypt(...args: Parameters<FakeCrypto['decrypt']>): Promise<DecryptResult> {
    const result = await super.decrypt(...args);
    const until = this.replacedAt;
    return result.ok && args[1] === 'alice' && until !== undefined
      ? { ...result, keyValid: { until } }
      : result;
  }
}

/** A member's session; `device` and `revisions` stay with the device across sessions (a reload). */
async function join(
  w: World,
  id: string,
  device = { keys: new FakeDevice(), revisions: new MemoryRevisionLedger() },
  crypto = new ReplacedKeyCrypto(id, w.dir, device.keys),
) {
  const events: SessionEvent[] = [];
  const session = await startSession({
    id,
    channel: CID,
    chat: new FakeChat(w.server),
    crypto,
    api: new FakeApi(sessionInfo(id, id.toUpperCase())),
    revisions: device.revisions,
    onEvent: (e) => events.push(e),
  });
  const conversation = conversationOf(session);
  const entry = (mid: string) => conversation.timeline.get(mid);
  return { session, conversation, entry, events, device, crypto };
}

/** Waits (a few event-loop turns at most) until the check holds. */
async function until(what: string, check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 0));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

const state = (e: TimelineEntry | undefined) =>
  e?.kind === 'message' ? `rev ${e.rev}: ${e.text}` : e?.kind === 'undecryptable' ? e.reason : e?.kind;

/** What the server stores for a message now: a copy it can put back later. */
const snapshot = (w: World, mid: string): WireMessage => structuredClone(w.server.find(mid));

/** The server puts a stored copy back, as an update (what `updateMessage` with the old `e2ee` does). */
function putBack(w: World, copy: WireMessage): void {
  w.server.store({ ...copy, updatedAt: new Date((w.server.clock += 1000)) }, 'updated');
}

describe('revisions only go forward', () => {
  it('shows each newer revision, an equal one again, and an older one as rolled back (live)', async () => {
    const w = world();
    const alice = await join(w, 'alice');
    const bob = await join(w, 'bob');
    const mid = await alice.conversation.sender.send('take 1 tablet');
    await until('the original', () => state(bob.entry(mid)) === 'rev 0: take 1 tablet');
    const original = snapshot(w, mid);
    await alice.conversation.sender.edit(mid, 'take 2 tablets');
    await until('the edit', () => state(bob.entry(mid)) === 'rev 1: take 2 tablets');
    const edit = snapshot(w, mid);
    await alice.conversation.sender.edit(mid, 'take 3 tablets');
    await until('the second edit', () => state(bob.entry(mid)) === 'rev 2: take 3 tablets');
    expect(await bob.device.revisions.highest('bob', CID, mid)).toEqual({ rev: 2, tombstone: false });
    const writes = bob.device.revisions.writes;

    // The same revision again (a re-delivery, a reaction's update): shown as it was, nothing new recorded.
    putBack(w, snapshot(w, mid));
    await until('the re-delivery', () => bob.events.filter((e) => e.type === 'message').length >= 4);
    expect(state(bob.entry(mid))).toBe('rev 2: take 3 tablets');
    expect(bob.device.revisions.writes).toBe(writes);

    // The server puts the first edit back, then the original.
    putBack(w, edit);
    await until('rolled back', () => state(bob.entry(mid)) === 'rolled-back');
    putBack(w, original);
    await until('rolled back again', () => bob.events.filter((e) => e.type === 'message').length >= 6);
    expect(state(bob.entry(mid))).toBe('rolled-back');
    expect(bob.events.at(-1)).toMatchObject({ type: 'message', id: mid, trust: 'rolled-back' });
    // Alice's own device recorded her edits as she sent them.
    putBack(w, original);
    await until('alice sees the rollback', () => state(alice.entry(mid)) === 'rolled-back');
    // The ledger never went back.
    expect(await bob.device.revisions.highest('bob', CID, mid)).toEqual({ rev: 2, tombstone: false });
  });

  it('remembers the highest revision across sessions on the same device, and only there', async () => {
    const w = world();
    const alice = await join(w, 'alice');
    const bobDevice = { keys: new FakeDevice(), revisions: new MemoryRevisionLedger() };
    const bob = await join(w, 'bob', bobDevice);
    const mid = await alice.conversation.sender.send('appointment on Monday');
    await until('the original', () => bob.entry(mid)?.kind === 'message');
    const original = snapshot(w, mid);
    await alice.conversation.sender.edit(mid, 'appointment on Tuesday');
    await until('the edit', () => state(bob.entry(mid)) === 'rev 1: appointment on Tuesday');
    await bob.session.close();

    // While Bob is away, the server restores the original ciphertext.
    w.server.store({ ...original, updatedAt: new Date((w.server.clock += 1000)) }, 'updated');
    const again = await join(w, 'bob', bobDevice);
    await until('history', () => again.entry(mid)?.kind !== 'decrypting');
    expect(state(again.entry(mid))).toBe('rolled-back');
    expect(again.events).toContainEqual(
      expect.objectContaining({ type: 'message', id: mid, trust: 'rolled-back', change: 'history' }),
    );

    // A device that never saw the edit has nothing to compare with: the original verifies there.
    const fresh = await join(w, 'bob', { keys: bobDevice.keys, revisions: new MemoryRevisionLedger() });
    await until('history', () => fresh.entry(mid)?.kind !== 'decrypting');
    expect(state(fresh.entry(mid))).toBe('rev 0: appointment on Monday');
  });

  it('keeps the ledger per signed-in user, reading each conversation once', async () => {
    const ledger = new MemoryRevisionLedger();
    const bob = new Revisions(ledger, 'bob');
    await bob.record(CID, 'm1', 3);
    expect(await bob.highest(CID, 'm1')).toEqual({ rev: 3, tombstone: false });
    expect(await new Revisions(ledger, 'carol').highest(CID, 'm1')).toBeUndefined();
    expect(await bob.highest('messaging:other', 'm1')).toBeUndefined();
    await bob.record(CID, 'm1', 2, true); // never lowered
    expect(await bob.highest(CID, 'm1')).toEqual({ rev: 3, tombstone: false });
    await bob.record(CID, 'm1', 3, true); // at the same revision, a tombstone wins
    expect(await bob.highest(CID, 'm1')).toEqual({ rev: 3, tombstone: true });
    // A later session on the device sees what was stored.
    expect(await new Revisions(ledger, 'bob').highest(CID, 'm1')).toEqual({ rev: 3, tombstone: true });
    // Lookups come from memory after one read per conversation (and user): not one read per message.
    const reads = ledger.reads;
    for (let i = 0; i < 100; i++) await bob.highest(CID, `m${i}`);
    expect(ledger.reads).toBe(reads);
  });
});

describe('deletion', () => {
  it("shows the sender's signed tombstone as deleted by the sender, on both sides, without Stream's delete", async () => {
    const w = world();
    const alice = await join(w, 'alice');
    const bob = await join(w, 'bob');
    const mid = await alice.conversation.sender.send('wrong patient, please ignore');
    await until('delivered', () => bob.entry(mid)?.kind === 'message');
    const original = snapshot(w, mid);
    await alice.conversation.sender.deleteMessage(mid);
    expect(alice.entry(mid)).toMatchObject({ kind: 'deleted', rev: 1 });
    await until('tombstone', () => bob.entry(mid)?.kind === 'deleted');
    expect(bob.entry(mid)).toMatchObject({ kind: 'deleted', rev: 1 });
    expect(bob.events.at(-1)).toMatchObject({ id: mid, trust: 'deleted', change: 'updated' });
    // Stream keeps the message, with the tombstone's ciphertext only.
    expect(w.server.find(mid).deleted).toBe(false);
    expect(await w.server.dump()).not.toContain('wrong patient');
    // Deleting again changes nothing.
    const updates = w.server.clock;
    await alice.conversation.sender.deleteMessage(mid);
    expect(w.server.clock).toBe(updates);

    // The server brings the message back: an older revision than the tombstone.
    putBack(w, original);
    await until('rolled back', () => state(bob.entry(mid)) === 'rolled-back');
    // The server now "deletes" it itself: this device has seen the tombstone, so the sender deleted it.
    w.server.store({ ...w.server.find(mid), deleted: true }, 'deleted');
    await until('deleted', () => bob.entry(mid)?.kind === 'deleted');
    expect(bob.events.at(-1)).toMatchObject({ id: mid, trust: 'deleted' });
  });

  it('shows a message Stream reports deleted without a tombstone as removed by the server', async () => {
    const w = world();
    const alice = await join(w, 'alice');
    const bobDevice = { keys: new FakeDevice(), revisions: new MemoryRevisionLedger() };
    const bob = await join(w, 'bob', bobDevice);
    const kept = await alice.conversation.sender.send('first');
    const mid = await alice.conversation.sender.send('inconvenient for the server');
    await until('delivered', () => bob.entry(mid)?.kind === 'message');
    const placeBefore = bob.entry(mid)?.sentAt;
    w.server.store({ ...w.server.find(mid), deleted: true, secure: { v: 1 } }, 'deleted');
    await until('removed', () => state(bob.entry(mid)) === 'removed-by-server');
    expect(bob.events.at(-1)).toMatchObject({ id: mid, trust: 'removed-by-server', change: 'deleted' });
    // Shown where it was, never as trusted, and the sender's own device says the same.
    expect(bob.entry(mid)?.sentAt).toEqual(placeBefore);
    await until('alice too', () => state(alice.entry(mid)) === 'removed-by-server');
    expect(state(bob.entry(kept))).toBe('rev 0: first');

    // After a reload as well.
    await bob.session.close();
    const again = await join(w, 'bob', bobDevice);
    await until('history', () => again.entry(mid)?.kind !== 'decrypting');
    expect(state(again.entry(mid))).toBe('removed-by-server');
  });

  it('after a reload, shows a tombstoned message Stream later deleted as deleted by its sender', async () => {
    const w = world();
    const alice = await join(w, 'alice');
    const bobDevice = { keys: new FakeDevice(), revisions: new MemoryRevisionLedger() };
    const bob = await join(w, 'bob', bobDevice);
    const mid = await alice.conversation.sender.send('to be deleted');
    await alice.conversation.sender.deleteMessage(mid);
    await until('tombstone', () => bob.entry(mid)?.kind === 'deleted');
    await bob.session.close();
    w.server.store({ ...w.server.find(mid), deleted: true, secure: { v: 1 } }, 'deleted');
    const again = await join(w, 'bob', bobDevice);
    await until('history', () => again.entry(mid)?.kind !== 'decrypting');
    expect(again.entry(mid)).toMatchObject({ kind: 'deleted', rev: 1 });
  });
});

describe('signed times decide', () => {
  it('orders by the signed time of the original, whatever times the server reports; edits keep their place', async () => {
    const w = world();
    const alice = await join(w, 'alice');
    const bob = await join(w, 'bob');
    const order = () => bob.conversation.timeline.main().map((e) => state(e));
    const first = await alice.conversation.sender.send('first');
    const second = await alice.conversation.sender.send('second');
    await until('both', () => bob.entry(second)?.kind === 'message');
    // The server swaps their times (each still within the tolerance of its signed time) and re-delivers them.
    const a = snapshot(w, first);
    const b = snapshot(w, second);
    w.server.store({ ...a, createdAt: new Date(b.createdAt.getTime() + 2 * MIN) }, 'updated');
    w.server.store({ ...b, createdAt: new Date(a.createdAt.getTime() - 2 * MIN) }, 'updated');
    await until('re-delivered', () => bob.events.filter((e) => e.type === 'message').length >= 4);
    expect(order()).toEqual(['rev 0: first', 'rev 0: second']);
    expect(bob.entry(first)?.sentAt.getTime()).toBeLessThan(a.createdAt.getTime());

    // An edit much later keeps the message in its place and its time.
    w.server.clock += 5 * MIN;
    const sentAt = bob.entry(first)?.sentAt;
    await alice.conversation.sender.edit(first, 'first, corrected');
    await until('the edit', () => state(bob.entry(first)) === 'rev 1: first, corrected');
    expect(order()).toEqual(['rev 1: first, corrected', 'rev 0: second']);
    expect(bob.entry(first)?.sentAt).toEqual(sentAt);
    expect(alice.conversation.timeline.main().map((e) => e.id)).toEqual([first, second]);
  });

  it('flags a message whose server time is moved beyond the tolerance, original or edit (time-mismatch)', async () => {
    const w = world();
    const alice = await join(w, 'alice');
    const bob = await join(w, 'bob');
    const mid = await alice.conversation.sender.send('backdate me');
    await until('delivered', () => bob.entry(mid)?.kind === 'message');
    const stored = snapshot(w, mid);
    const backdated = new Date(stored.createdAt.getTime() - SIGNED_TIME_TOLERANCE_MS - MIN);
    w.server.store({ ...stored, createdAt: backdated }, 'updated');
    await until('flagged', () => state(bob.entry(mid)) === 'time-mismatch');

    // An edit carries the original's signed time, so moving created_at is caught after an edit too.
    const other = await alice.conversation.sender.send('edit, then backdate');
    await alice.conversation.sender.edit(other, 'edited');
    await until('edit', () => state(bob.entry(other)) === 'rev 1: edited');
    const edited = snapshot(w, other);
    w.server.store(
      { ...edited, createdAt: new Date(edited.createdAt.getTime() - 2 * SIGNED_TIME_TOLERANCE_MS) },
      'updated',
    );
    await until('edit flagged', () => state(bob.entry(other)) === 'time-mismatch');
  });

  it('flags a live message that verifies only with a key its sender replaced long ago (stale-key), not in history', async () => {
    const w = world();
    const alice = await join(w, 'alice');
    const bobDevice = { keys: new FakeDevice(), revisions: new MemoryRevisionLedger() };
    const bob = await join(w, 'bob', bobDevice);
    // Alice's key was replaced 20 minutes ago. A message signed with it 30 minutes ago, stored with a matching
    // (backdated) time, arrives now as a new message: held back by the server, or forged with the old key.
    const now = w.server.clock;
    bob.crypto.replacedAt = now - 20 * MIN;
    const sent = now - 30 * MIN;
    const mid = 'held-back';
    const sealed = await sealMessage(alice.crypto, new FakeChat(w.server), {
      cid: CID,
      mid,
      from: 'alice',
      members: ['alice', 'bob'],
      content: { text: 'signed half an hour ago' },
      rev: 0,
      now: sent,
    });
    w.server.store(
      {
        id: mid,
        cid: CID,
        senderId: 'alice',
        createdAt: new Date(sent),
        deleted: false,
        secure: sealed.secure,
      },
      'new',
    );
    await until('flagged', () => state(bob.entry(mid)) === 'stale-key');
    expect(bob.events.at(-1)).toMatchObject({ id: mid, trust: 'stale-key', change: 'new' });

    // Loaded as history (a reload), an old message verified by the key of its time is normal.
    await bob.session.close();
    const again = await join(w, 'bob', bobDevice, bob.crypto);
    await until('history', () => again.entry(mid)?.kind !== 'decrypting');
    expect(state(again.entry(mid))).toBe('rev 0: signed half an hour ago');
    // A live message signed with the replaced key just before the change, within the tolerance, is not flagged.
    bob.crypto.replacedAt = now - 5 * MIN;
    const recent = await alice.conversation.sender.send('sent around the key change');
    await until(
      'delivered',
      () => again.entry(recent)?.kind !== undefined && again.entry(recent)?.kind !== 'decrypting',
    );
    expect(state(again.entry(recent))).toBe('rev 0: sent around the key change');
  });
});
