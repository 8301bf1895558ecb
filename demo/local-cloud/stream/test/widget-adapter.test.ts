// The widget's own stream-chat adapter (widget/src/adapters/stream-chat.ts), with the real client, against the
// stand-in: paging back through a long history keeps stream-chat's channel state to its newest page.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { StreamChat, type Channel } from 'stream-chat';
import { StreamChatPort } from '../../../../widget/src/adapters/stream-chat.js';
import { userToken } from '../auth.js';
import { API_KEY, API_SECRET, startHarness, type Harness } from './helpers.js';

const HISTORY = 250;

describe("the widget's stream-chat adapter", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(['alice', 'bob']);
    const seed = h.server.channel('messaging', 'long', { members: ['alice', 'bob'], created_by_id: 'bob' });
    await seed.create();
    for (let i = 0; i < HISTORY; i++) await seed.sendMessage({ text: `ciphertext ${i}`, user_id: 'bob' });
  });
  afterAll(() => h.stop());

  it("pages the whole history while stream-chat's own state keeps only the newest page", async () => {
    const channels = vi.spyOn(StreamChat.prototype, 'channel');
    const port = new StreamChatPort();
    await port.connect('alice', { apiKey: API_KEY, baseURL: h.cloud.url }, async () =>
      userToken(API_SECRET, 'alice'),
    );
    const cid = 'messaging:long';
    const opened = await port.watch(
      cid,
      () => undefined,
      () => undefined,
    );
    const channel = channels.mock.results[0]?.value as Channel;
    channels.mockRestore();

    const seen = [...opened.messages];
    for (;;) {
      const page = await port.history(cid, seen[0]!.id, 100);
      if (page.length === 0) break;
      seen.unshift(...page);
      const held = channel.state.messageSets.reduce((sum, set) => sum + set.messages.length, 0);
      expect(held).toBeLessThanOrEqual(100);
    }
    expect(seen.map((m) => m.id)).toHaveLength(HISTORY);
    expect(new Set(seen.map((m) => m.id)).size).toBe(HISTORY);
    // What stream-chat still holds is the newest page, for the conversation list's preview and unread count.
    expect(channel.state.latestMessages.at(-1)?.id).toBe(seen.at(-1)!.id);
    await port.disconnect();
  });
});
