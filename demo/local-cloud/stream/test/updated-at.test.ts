import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreamChat } from 'stream-chat';
import { nextEvent, startHarness, type Harness } from './helpers.js';

/** `updated_at` as stored (the client parses some timestamps into Dates). */
const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : String(v));

describe('message updated_at follows Stream', () => {
  let h: Harness;
  let alice: StreamChat, bob: StreamChat;
  beforeAll(async () => {
    h = await startHarness(['alice', 'bob']);
    await h.server.channel('messaging', 'ts', { members: ['alice', 'bob'], created_by_id: 'alice' }).create();
    [alice, bob] = await Promise.all([h.connect('alice'), h.connect('bob')]);
    await Promise.all([alice.channel('messaging', 'ts').watch(), bob.channel('messaging', 'ts').watch()]);
  });
  afterAll(() => h.stop());

  const send = async (text = 'x') => (await alice.channel('messaging', 'ts').sendMessage({ text })).message;
  const stored = async (id: string) => (await alice.getMessage(id)).message;

  it('a reaction (add, replace and remove) bumps updated_at, in the REST answer, the event and later reads', async () => {
    const m = await send();
    const event = nextEvent(alice, 'reaction.new');
    const added = await bob.channel('messaging', 'ts').sendReaction(m.id, { type: 'like' });
    expect(iso(added.message.updated_at) > iso(m.updated_at)).toBe(true);
    expect(iso(added.message.created_at)).toBe(iso(m.created_at));
    expect(iso((await event).message?.updated_at)).toBe(iso(added.message.updated_at));
    expect(iso((await stored(m.id)).updated_at)).toBe(iso(added.message.updated_at));

    const replaced = await bob
      .channel('messaging', 'ts')
      .sendReaction(m.id, { type: 'love' }, { enforce_unique: true });
    expect(iso(replaced.message.updated_at) > iso(added.message.updated_at)).toBe(true);

    const removed = await bob.channel('messaging', 'ts').deleteReaction(m.id, 'love');
    expect(iso(removed.message.updated_at) > iso(replaced.message.updated_at)).toBe(true);
    expect(iso((await stored(m.id)).updated_at)).toBe(iso(removed.message.updated_at));
  });

  it('an edit bumps updated_at; a text change also sets message_text_updated_at', async () => {
    const m = await send('first');
    expect(m.message_text_updated_at).toBeUndefined();
    const edited = (await alice.updateMessage({ id: m.id, text: 'second' })).message;
    expect(iso(edited.updated_at) > iso(m.updated_at)).toBe(true);
    expect(iso(edited.message_text_updated_at)).toBe(iso(edited.updated_at));
    const custom = (await alice.partialUpdateMessage(m.id, { set: { sealed: 'v2' } })).message;
    expect(iso(custom.updated_at) > iso(edited.updated_at)).toBe(true);
    expect(iso(custom.message_text_updated_at)).toBe(iso(edited.message_text_updated_at));
  });

  it('pin and unpin bump updated_at', async () => {
    const m = await send();
    const pinned = (await alice.pinMessage(m.id)).message;
    expect(pinned.pinned).toBe(true);
    expect(iso(pinned.updated_at) > iso(m.updated_at)).toBe(true);
    const unpinned = (await alice.unpinMessage(m.id)).message;
    expect(iso(unpinned.updated_at) > iso(pinned.updated_at)).toBe(true);
  });

  it("a reply bumps the parent's updated_at (with its reply_count); deleting the reply bumps it again", async () => {
    const parent = await send('parent');
    const reply = (await bob.channel('messaging', 'ts').sendMessage({ text: 'reply', parent_id: parent.id }))
      .message;
    const afterReply = await stored(parent.id);
    expect(afterReply.reply_count).toBe(1);
    expect(iso(afterReply.updated_at) > iso(parent.updated_at)).toBe(true);
    await bob.deleteMessage(reply.id);
    expect(iso((await stored(parent.id)).updated_at) > iso(afterReply.updated_at)).toBe(true);
  });

  it('a soft delete sets updated_at to deleted_at', async () => {
    const m = await send();
    const deleted = (await alice.deleteMessage(m.id)).message;
    expect(iso(deleted.updated_at)).toBe(iso(deleted.deleted_at));
    expect(iso(deleted.updated_at) > iso(m.updated_at)).toBe(true);
  });

  it('reading, quoting and channel updates leave a message alone', async () => {
    const m = await send();
    await bob.channel('messaging', 'ts').markRead();
    await bob.channel('messaging', 'ts').sendMessage({ text: 'quoting', quoted_message_id: m.id });
    await h.server.channel('messaging', 'ts').update({ topic: 'new topic' });
    expect(iso((await stored(m.id)).updated_at)).toBe(iso(m.updated_at));
  });
});
