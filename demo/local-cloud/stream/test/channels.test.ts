import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreamChat } from 'stream-chat';
import { nextEvent, startHarness, waitFor, type Harness } from './helpers.js';

describe('channels, membership, permissions, presence', () => {
  let h: Harness;
  let alice: StreamChat, bob: StreamChat, carol: StreamChat;
  beforeAll(async () => {
    h = await startHarness(['alice', 'bob', 'carol']);
    [alice, bob, carol] = await Promise.all([h.connect('alice'), h.connect('bob'), h.connect('carol')]);
  });
  afterAll(() => h.stop());

  it('server get-or-create by id and by distinct members returns the same channel again', async () => {
    const first = await h.server
      .channel('messaging', { members: ['alice', 'bob'], created_by_id: 'alice' })
      .create();
    const again = await h.server
      .channel('messaging', { members: ['bob', 'alice'], created_by_id: 'bob' })
      .create();
    expect(again.channel.cid).toBe(first.channel.cid);
    expect(first.channel.id).toMatch(/^!members-/);
    expect(first.members.map((m) => m.user_id).sort()).toEqual(['alice', 'bob']);
    const byId = await h.server
      .channel('messaging', 'by-id', { members: ['alice', 'bob', 'carol'], created_by_id: 'alice' })
      .create();
    expect(byId.channel.member_count).toBe(3);
    const channels = await h.server.queryChannels(
      { cid: { $in: [first.channel.cid, byId.channel.cid] } },
      {},
      { user_id: 'alice' },
    );
    expect(channels).toHaveLength(2);
  });

  it('non-members may neither read nor write a channel (default grants)', async () => {
    await h.server.channel('messaging', 'ab', { members: ['alice', 'bob'], created_by_id: 'alice' }).create();
    await expect(carol.channel('messaging', 'ab').watch()).rejects.toMatchObject({ code: 17, status: 403 });
    await expect(carol.channel('messaging', 'ab').sendMessage({ text: 'intruder' })).rejects.toMatchObject({
      code: 17,
    });
    expect((await carol.queryChannels({ cid: 'messaging:ab' })).length).toBe(0);
  });

  it('returns config and own_capabilities that enable typing, read events and uploads', async () => {
    const state = await alice.channel('messaging', 'ab').watch();
    expect(state.channel.config).toMatchObject({
      typing_events: true,
      read_events: true,
      max_message_length: 5000,
      delivery_events: true,
    });
    expect(state.channel.own_capabilities).toEqual(
      expect.arrayContaining(['read-events', 'upload-file', 'send-message', 'send-typing-events']),
    );
    expect(state.membership?.user?.id).toBe('alice');
  });

  it('server adds and removes members with member.* and notification.* events', async () => {
    const ch = alice.channel('messaging', 'ab');
    await ch.watch();
    const added = nextEvent(alice, 'member.added');
    const invited = nextEvent(carol, 'notification.added_to_channel');
    await h.server.channel('messaging', 'ab').addMembers(['carol']);
    expect((await added).member?.user?.id).toBe('carol');
    expect((await invited).channel?.id).toBe('ab');
    await waitFor(() => Object.keys(ch.state.members).includes('carol'));
    const removed = nextEvent(alice, 'member.removed');
    const gone = nextEvent(carol, 'notification.removed_from_channel');
    await h.server.channel('messaging', 'ab').removeMembers(['carol']);
    expect((await removed).user?.id).toBe('carol');
    expect((await gone).cid).toBe('messaging:ab');
  });

  it('server updates channel data with channel.updated', async () => {
    await alice.channel('messaging', 'ab').watch();
    const updated = nextEvent(alice, 'channel.updated');
    await h.server.channel('messaging', 'ab').update({ topic: 'opaque-1' });
    expect((await updated).channel).toMatchObject({ topic: 'opaque-1' });
    // bob is a member but not the creator: update-channel is granted only to the owner by default.
    await bob.channel('messaging', 'ab').watch();
    await expect(bob.channel('messaging', 'ab').update({ topic: 'x' })).rejects.toMatchObject({ code: 17 });
  });

  it('queryChannels: filter, sort, limit and offset', async () => {
    for (const id of ['q1', 'q2', 'q3']) {
      await h.server
        .channel('messaging', id, { members: ['bob', 'carol'], created_by_id: 'bob', kind: 'q' })
        .create();
    }
    const query = (sort: Record<string, 1 | -1>, limit: number, offset: number) =>
      bob.queryChannels({ kind: 'q', members: { $in: ['bob'] } }, sort, { limit, offset, watch: false });
    expect((await query({ created_at: 1 }, 2, 0)).map((c) => c.id)).toEqual(['q1', 'q2']);
    expect((await query({ created_at: 1 }, 2, 2)).map((c) => c.id)).toEqual(['q3']);
    expect((await query({ created_at: -1 }, 1, 0)).map((c) => c.id)).toEqual(['q3']);
    expect((await alice.queryChannels({ kind: 'q' })).length).toBe(0);
  });

  it('hide and show: hidden channels leave queryChannels until shown or a new message arrives', async () => {
    const ch = bob.channel('messaging', 'q1');
    await ch.watch();
    const hidden = nextEvent(bob, 'channel.hidden');
    await ch.hide();
    await hidden;
    expect((await bob.queryChannels({ kind: 'q' })).map((c) => c.id)).not.toContain('q1');
    const visible = nextEvent(bob, 'channel.visible');
    await ch.show();
    await visible;
    expect((await bob.queryChannels({ kind: 'q' })).map((c) => c.id)).toContain('q1');
    await ch.hide();
    await carol.channel('messaging', 'q1').sendMessage({ text: 'wake up' });
    expect((await bob.queryChannels({ kind: 'q' })).map((c) => c.id)).toContain('q1');
  });

  it('stop-watching turns message.new into notification.message_new', async () => {
    const ch = bob.channel('messaging', 'q2');
    await ch.watch();
    const stopped = nextEvent(carol, 'user.watching.stop', (e) => e.user?.id === 'bob');
    await carol.channel('messaging', 'q2').watch();
    await ch.stopWatching();
    await stopped;
    const note = nextEvent(bob, 'notification.message_new');
    await carol.channel('messaging', 'q2').sendMessage({ text: 'while away' });
    expect((await note).cid).toBe('messaging:q2');
  });

  it('presence: user.presence.changed when a member comes online and goes offline', async () => {
    await h.server.upsertUsers([{ id: 'dan', role: 'user' }]);
    await h.server
      .channel('messaging', 'pres', { members: ['alice', 'dan'], created_by_id: 'alice' })
      .create();
    await alice.channel('messaging', 'pres').watch({ presence: true });
    const online = nextEvent(
      alice,
      'user.presence.changed',
      (e) => e.user?.id === 'dan' && e.user.online === true,
    );
    const dan = await h.connect('dan');
    await online;
    const offline = nextEvent(
      alice,
      'user.presence.changed',
      (e) => e.user?.id === 'dan' && e.user.online === false,
    );
    await dan.disconnectUser();
    expect((await offline).user?.last_active).toBeTruthy();
  });

  it('users: server upsert keeps custom data, queryUsers filters', async () => {
    await h.server.upsertUsers([{ id: 'erin', role: 'user', org: 'o1' }]);
    const { users } = await alice.queryUsers({ id: { $in: ['erin', 'bob'] } }, { id: 1 });
    expect(users.map((u) => u.id)).toEqual(['bob', 'erin']);
    expect(users[1]).toMatchObject({ org: 'o1', role: 'user' });
    await expect(alice.upsertUser({ id: 'bob', role: 'admin' })).rejects.toMatchObject({ code: 17 });
  });
});
