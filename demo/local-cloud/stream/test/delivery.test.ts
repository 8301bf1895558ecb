import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreamChat } from 'stream-chat';
import { nextEvent, startHarness, waitFor, type Harness } from './helpers.js';

describe('delivery receipts (delivery_events on, as on a new app)', () => {
  let h: Harness;
  let alice: StreamChat, bob: StreamChat, carol: StreamChat;
  beforeAll(async () => {
    h = await startHarness(['alice', 'bob', 'carol']);
    await h.server.channel('messaging', 'dl', { members: ['alice', 'bob'], created_by_id: 'alice' }).create();
    [alice, bob, carol] = await Promise.all([h.connect('alice'), h.connect('bob'), h.connect('carol')]);
  });
  afterAll(() => h.stop());

  it('the real client reports delivery by itself; the sender gets message.delivered and the read state shows it', async () => {
    const state = await alice.channel('messaging', 'dl').watch();
    expect(state.channel.config?.delivery_events).toBe(true);
    expect(state.channel.own_capabilities).toContain('delivery-events');
    await bob.channel('messaging', 'dl').watch();
    const delivered = nextEvent(alice, 'message.delivered', (e) => e.user?.id === 'bob', 6000);
    const { message } = await alice.channel('messaging', 'dl').sendMessage({ text: 'hello' });
    const event = await delivered;
    expect(event).toMatchObject({ cid: 'messaging:dl', last_delivered_message_id: message.id });
    expect(event.last_delivered_at).toBeTruthy();
    await waitFor(
      () => alice.channel('messaging', 'dl').state.read.bob?.last_delivered_message_id === message.id,
    );
    const read = (await alice.channel('messaging', 'dl').query({})).read?.find((r) => r.user.id === 'bob');
    expect(read?.last_delivered_message_id).toBe(message.id);
    const requests = h.cloud.inspect().requests.filter((r) => r.path.startsWith('/channels/delivered'));
    expect(requests.length).toBeGreaterThan(0);
  });

  it('checks the entries: readers only, messages of that channel', async () => {
    const { message } = await alice.channel('messaging', 'dl').sendMessage({ text: 'x' });
    await expect(
      carol.markChannelsDelivered({ latest_delivered_messages: [{ cid: 'messaging:dl', id: message.id }] }),
    ).rejects.toMatchObject({ code: 17, status: 403 });
    await expect(
      bob.markChannelsDelivered({ latest_delivered_messages: [{ cid: 'messaging:dl', id: 'nope' }] }),
    ).rejects.toMatchObject({ code: 16, status: 404 });
    await expect(
      h.server.markChannelsDelivered({
        user_id: 'bob',
        latest_delivered_messages: [{ cid: 'messaging:dl', id: message.id }],
      }),
    ).resolves.toBeTruthy();
  });
});
