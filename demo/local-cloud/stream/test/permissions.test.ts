import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreamChat } from 'stream-chat';
import { startHarness, type Harness } from './helpers.js';

/** What a deployment that lets only the server change membership would apply (members keep their own messages). */
const RESTRICTED_GRANTS = {
  channel_member: [
    'read-channel',
    'read-channel-members',
    'create-message',
    'create-reply',
    'create-reaction',
    'create-attachment',
    'upload-attachment',
    'send-custom-event',
  ],
  user: ['update-message-owner', 'delete-message-owner', 'delete-reaction-owner', 'delete-attachment-owner'],
  guest: [],
};

describe('channel-type grants', () => {
  let h: Harness;
  let alice: StreamChat, bob: StreamChat;
  beforeAll(async () => {
    h = await startHarness(['alice', 'bob', 'carol', 'dan', 'erin']);
    [alice, bob] = await Promise.all([h.connect('alice'), h.connect('bob')]);
    await h.server
      .channel('messaging', 'care', { members: ['alice', 'bob'], created_by_id: 'alice' })
      .create();
  });
  afterAll(() => h.stop());

  it('GET /channeltypes/messaging answers the settings and the loose grants of a new app', async () => {
    const type = await h.server.getChannelType('messaging');
    expect(type).toMatchObject({ name: 'messaging', typing_events: true, uploads: true, permissions: [] });
    expect(type.grants.channel_member).toEqual(expect.arrayContaining(['read-channel', 'create-message']));
    expect(type.grants.user).toEqual(
      expect.arrayContaining(['create-channel', 'update-channel-members-owner', 'delete-channel-owner']),
    );
    await expect(alice.getChannelType('messaging')).rejects.toMatchObject({ code: 17, status: 403 });
  });

  it('default grants: the channel owner adds members, updates and may delete; other members may not', async () => {
    const owner = await alice.channel('messaging', 'care').watch();
    expect(owner.channel.own_capabilities).toEqual(
      expect.arrayContaining(['update-channel-members', 'update-channel', 'delete-channel', 'send-message']),
    );
    const member = await bob.channel('messaging', 'care').watch();
    expect(member.channel.own_capabilities).not.toContain('update-channel-members');
    expect(member.channel.own_capabilities).toEqual(expect.arrayContaining(['send-message', 'upload-file']));

    const added = await alice.channel('messaging', 'care').addMembers(['carol']);
    expect(added.members.map((m) => m.user_id)).toContain('carol');
    await expect(bob.channel('messaging', 'care').addMembers(['dan'])).rejects.toMatchObject({
      code: 17,
      status: 403,
    });
    // A user may also create a channel that includes other people.
    const created = await bob.channel('messaging', 'bobs-room', { members: ['bob', 'dan'] }).create();
    expect(created.members.map((m) => m.user_id).sort()).toEqual(['bob', 'dan']);
  });

  it('members edit and delete only their own messages', async () => {
    const { message } = await alice.channel('messaging', 'care').sendMessage({ text: 'mine' });
    await expect(bob.updateMessage({ id: message.id, text: 'hijacked' })).rejects.toMatchObject({ code: 17 });
    await expect(bob.deleteMessage(message.id)).rejects.toMatchObject({ code: 17 });
    expect((await alice.updateMessage({ id: message.id, text: 'edited' })).message.text).toBe('edited');
  });

  it('refuses unknown permission ids and unmodelled channel types with clear errors', async () => {
    await expect(
      h.server.updateChannelType('messaging', { grants: { user: ['become-admin'] } }),
    ).rejects.toMatchObject({ code: 4, status: 400 });
    await expect(h.server.getChannelType('livestream')).rejects.toMatchObject({ status: 501 });
  });
  it('after a PUT restricting the grants the same calls answer 403 code 17, and the change survives a restart', async () => {
    const updated = await h.server.updateChannelType('messaging', { grants: RESTRICTED_GRANTS });
    expect(updated.grants.user).toEqual(RESTRICTED_GRANTS.user);
    expect(updated.grants.admin).toContain('update-channel-members');

    await expect(alice.channel('messaging', 'care').addMembers(['erin'])).rejects.toMatchObject({
      code: 17,
      status: 403,
    });
    await expect(alice.channel('messaging', 'care').update({ topic: 'renamed' })).rejects.toMatchObject({
      code: 17,
    });
    await expect(
      alice.channel('messaging', 'new-room', { members: ['alice', 'erin'] }).create(),
    ).rejects.toMatchObject({ code: 17 });
    const state = await alice.channel('messaging', 'care').watch();
    expect(state.channel.own_capabilities).not.toContain('update-channel-members');
    expect(state.channel.own_capabilities).not.toContain('delete-channel');
    // Members still send, react and edit their own messages; the server still manages membership.
    const { message } = await bob.channel('messaging', 'care').sendMessage({ text: 'still here' });
    await bob.channel('messaging', 'care').sendReaction(message.id, { type: 'like' });
    await bob.updateMessage({ id: message.id, text: 'edited' });
    await h.server.channel('messaging', 'care').addMembers(['erin']);

    await h.restart();
    const stored = h.cloud.inspect().channelTypes.find((t) => t.name === 'messaging');
    expect(stored?.grants.channel_member).toEqual(RESTRICTED_GRANTS.channel_member);
  });
});
