import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextEvent, startHarness, type Harness } from './helpers.js';

describe('smoke', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.stop());

  it('connects, creates a channel server-side, watches and sends', async () => {
    const alice = await h.connect('alice');
    const bob = await h.connect('bob');
    await h.server
      .channel('messaging', 'general', { members: ['alice', 'bob'], created_by_id: 'alice' })
      .create();
    const a = alice.channel('messaging', 'general');
    const b = bob.channel('messaging', 'general');
    await a.watch();
    await b.watch();
    const got = nextEvent(bob, 'message.new');
    await a.sendMessage({ text: 'hello' });
    expect((await got).message?.text).toBe('hello');
    expect(b.state.messages.map((m) => m.text)).toEqual(['hello']);
    expect(b.countUnread()).toBe(1);
  });
});
