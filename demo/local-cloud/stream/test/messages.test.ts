import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel, OwnUserResponse, StreamChat } from 'stream-chat';
import { nextEvent, startHarness, waitFor, type Harness } from './helpers.js';

/** Two watching members (alice, bob) and a third member (carol) who is connected but not watching. */
describe('messages, reactions, typing and read state', () => {
  let h: Harness;
  let alice: StreamChat, bob: StreamChat, carol: StreamChat;
  let a: Channel, b: Channel;
  beforeAll(async () => {
    h = await startHarness(['alice', 'bob', 'carol', 'dave']);
    await h.server
      .channel('messaging', 'room', { members: ['alice', 'bob', 'carol'], created_by_id: 'alice' })
      .create();
    [alice, bob, carol] = await Promise.all([h.connect('alice'), h.connect('bob'), h.connect('carol')]);
    a = alice.channel('messaging', 'room');
    b = bob.channel('messaging', 'room');
    await a.watch();
    await b.watch();
  });
  afterAll(() => h.stop());

  it('keeps the client-generated id and custom fields, refuses a duplicate id', async () => {
    const got = nextEvent(bob, 'message.new', (e) => e.message?.id === 'm-custom-1');
    const res = await a.sendMessage({ id: 'm-custom-1', text: '[encrypted]', sealed: { v: 1, ct: 'AAAA' } });
    expect(res.message.id).toBe('m-custom-1');
    expect((await got).message).toMatchObject({ text: '[encrypted]', sealed: { v: 1, ct: 'AAAA' } });
    await expect(a.sendMessage({ id: 'm-custom-1', text: 'again' })).rejects.toMatchObject({
      code: 4,
      status: 400,
    });
    expect((await a.getMessagesById(['m-custom-1'])).messages[0]).toMatchObject({
      sealed: { v: 1, ct: 'AAAA' },
    });
  });

  it('routes message.new to watchers and notification.message_new to members not watching, nothing to others', async () => {
    const dave = await h.connect('dave');
    const seen = { carol: [] as string[], dave: [] as string[] };
    carol.on((e) => void seen.carol.push(e.type));
    dave.on((e) => void seen.dave.push(e.type));
    const note = nextEvent(carol, 'notification.message_new');
    await b.sendMessage({ text: 'to the room' });
    const event = await note;
    expect(event.channel?.config?.max_message_length).toBe(5000);
    expect(event.total_unread_count).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 100));
    expect(seen.carol).not.toContain('message.new');
    expect(seen.dave.filter((t) => t !== 'health.check')).toEqual([]);
  });

  it('enforces the real size limits: 5,000 characters of text, 5 KB of custom data', async () => {
    await expect(a.sendMessage({ text: 'x'.repeat(5001) })).rejects.toMatchObject({ code: 20, status: 400 });
    await expect(a.sendMessage({ text: 'ok', blob: 'y'.repeat(6000) })).rejects.toMatchObject({
      code: 22,
      status: 413,
    });
    await expect(a.sendMessage({ text: 'x'.repeat(5000) })).resolves.toBeTruthy();
  });

  it('updates and partially updates messages with message.updated for watchers', async () => {
    const { message } = await a.sendMessage({ text: 'v1', sealed: 'c1' });
    let updated = nextEvent(bob, 'message.updated', (e) => e.message?.id === message.id);
    await alice.updateMessage({ id: message.id, text: 'v2', sealed: 'c2' });
    expect((await updated).message).toMatchObject({ text: 'v2', sealed: 'c2' });
    updated = nextEvent(bob, 'message.updated', (e) => e.message?.id === message.id);
    await alice.partialUpdateMessage(message.id, { set: { sealed: 'c3' } });
    expect((await updated).message).toMatchObject({ text: 'v2', sealed: 'c3' });
    expect((await alice.getMessage(message.id)).message).toMatchObject({
      text: 'v2',
      sealed: 'c3',
      cid: 'messaging:room',
    });
    await expect(bob.updateMessage({ id: message.id, text: 'not yours' })).rejects.toMatchObject({
      code: 17,
      status: 403,
    });
  });

  it('soft and hard deletes', async () => {
    const soft = (await a.sendMessage({ text: 'soft' })).message;
    const hard = (await a.sendMessage({ text: 'hard' })).message;
    let deleted = nextEvent(bob, 'message.deleted', (e) => e.message?.id === soft.id);
    const res = await alice.deleteMessage(soft.id);
    expect(res.message).toMatchObject({ type: 'deleted' });
    expect((await deleted).hard_delete).toBe(false);
    deleted = nextEvent(bob, 'message.deleted', (e) => e.message?.id === hard.id);
    await alice.deleteMessage(hard.id, true);
    expect((await deleted).hard_delete).toBe(true);
    expect((await alice.getMessage(soft.id)).message.type).toBe('deleted');
    await expect(alice.getMessage(hard.id)).rejects.toMatchObject({ code: 16, status: 404 });
  });

  it('threads: reply_count, parent message.updated, getReplies; quoted replies', async () => {
    const parent = (await a.sendMessage({ text: 'parent' })).message;
    const parentUpdated = nextEvent(bob, 'message.updated', (e) => e.message?.id === parent.id);
    await b.sendMessage({ text: 'reply 1', parent_id: parent.id });
    expect((await parentUpdated).message?.reply_count).toBe(1);
    await a.sendMessage({ text: 'reply 2', parent_id: parent.id });
    const replies = await a.getReplies(parent.id, { limit: 10 });
    expect(replies.messages.map((m) => m.text)).toEqual(['reply 1', 'reply 2']);
    const quote = await b.sendMessage({ text: 'quoting', quoted_message_id: parent.id });
    expect(quote.message.quoted_message?.text).toBe('parent');
  });

  it('paginates with id_lt, id_gt, created_at_around and limit', async () => {
    await h.server.channel('messaging', 'pages', { members: ['alice'], created_by_id: 'alice' }).create();
    const ch = alice.channel('messaging', 'pages');
    await ch.watch();
    const sent = [];
    for (let i = 0; i < 10; i++) sent.push((await ch.sendMessage({ text: `p${i}` })).message);
    const texts = (r: { messages: Array<{ text?: string }> }) => r.messages.map((m) => m.text);
    expect(texts(await ch.query({ messages: { limit: 3 } }))).toEqual(['p7', 'p8', 'p9']);
    expect(texts(await ch.query({ messages: { limit: 3, id_lt: sent[5]!.id } }))).toEqual(['p2', 'p3', 'p4']);
    expect(texts(await ch.query({ messages: { limit: 3, id_gt: sent[5]!.id } }))).toEqual(['p6', 'p7', 'p8']);
    const around = texts(await ch.query({ messages: { limit: 4, created_at_around: sent[5]!.created_at } }));
    expect(around).toEqual(['p3', 'p4', 'p5', 'p6']);
  });

  it('reactions: add, replace with enforce_unique, remove, with events', async () => {
    const m = (await a.sendMessage({ text: 'react to me' })).message;
    let event = nextEvent(alice, 'reaction.new', (e) => e.message?.id === m.id);
    await b.sendReaction(m.id, { type: 'like' });
    expect((await event).message?.reaction_counts).toEqual({ like: 1 });
    await waitFor(() => a.state.messages.find((x) => x.id === m.id)?.reaction_groups?.like?.count === 1);
    event = nextEvent(alice, 'reaction.updated', (e) => e.message?.id === m.id);
    await b.sendReaction(m.id, { type: 'love' }, { enforce_unique: true });
    expect((await event).message?.reaction_counts).toEqual({ love: 1 });
    event = nextEvent(alice, 'reaction.deleted', (e) => e.message?.id === m.id);
    await b.deleteReaction(m.id, 'love');
    expect((await event).message?.reaction_counts).toEqual({});
  });

  it('typing.start and typing.stop reach the other watcher', async () => {
    const start = nextEvent(bob, 'typing.start');
    await a.keystroke();
    expect((await start).user?.id).toBe('alice');
    await waitFor(() => Object.keys(b.state.typing).includes('alice'));
    const stop = nextEvent(bob, 'typing.stop');
    await a.stopTyping();
    expect((await stop).user?.id).toBe('alice');
  });

  it('read state: unread counts, markRead, markUnread and their events', async () => {
    await a.markRead();
    await b.sendMessage({ text: 'unread 1' });
    const second = (await b.sendMessage({ text: 'unread 2' })).message;
    await waitFor(() => a.countUnread() === 2, 3000, 'alice unread 2');
    const query = await a.query({ messages: { limit: 1 } });
    expect(query.read?.find((r) => r.user.id === 'alice')?.unread_messages).toBe(2);
    const read = nextEvent(bob, 'message.read', (e) => e.user?.id === 'alice');
    const note = nextEvent(alice, 'notification.mark_read');
    await a.markRead();
    expect((await read).last_read_message_id).toBe(second.id);
    expect(await note).toMatchObject({ cid: 'messaging:room' });
    const unread = nextEvent(alice, 'notification.mark_unread');
    await a.markUnread({ message_id: second.id });
    expect(await unread).toMatchObject({ unread_messages: 1, first_unread_message_id: second.id });
    const totals = (await alice.getUnreadCount()) as { total_unread_count: number };
    expect(totals.total_unread_count).toBeGreaterThanOrEqual(1);
  });

  it('reports total_unread_count and unread_channels on me at connect', async () => {
    await b.sendMessage({ text: 'for carol' });
    const fresh = await h.connect('carol');
    const me = fresh.user as OwnUserResponse;
    expect(me.total_unread_count).toBeGreaterThan(0);
    expect(me.unread_channels).toBeGreaterThanOrEqual(1);
  });

  it('searches stored text (ciphertext for the widget) within member channels', async () => {
    await a.sendMessage({ text: 'needle-ct-4f2a' });
    const res = await alice.search({ members: { $in: ['alice'] } }, 'needle-ct-4f2a');
    expect(res.results.map((r) => r.message.text)).toEqual(['needle-ct-4f2a']);
    const dave = await h.connect('dave');
    const none = await dave.search({ members: { $in: ['dave'] } }, 'needle-ct-4f2a');
    expect(none.results).toEqual([]);
  });

  it('lets the server act as any member: send as another user, tamper with text', async () => {
    const sent = await h.server.channel('messaging', 'room').sendMessage({ text: 'forged', user_id: 'bob' });
    expect(sent.message.user?.id).toBe('bob');
    const tampered = nextEvent(alice, 'message.updated', (e) => e.message?.id === sent.message.id);
    await h.server.partialUpdateMessage(sent.message.id, { set: { text: 'tampered' } }, 'bob');
    expect((await tampered).message?.text).toBe('tampered');
    await h.server.updateMessage({ id: sent.message.id, text: 'rewritten' }, 'bob');
    expect((await alice.getMessage(sent.message.id)).message.text).toBe('rewritten');
  });
});
