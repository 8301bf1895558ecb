import { describe, expect, it } from 'vitest';
import { Outbox } from './outbox.js';

const retryable = (e: unknown) => (e as Error).message === 'network';

describe('Outbox', () => {
  it('holds sends while offline and releases them in order when the connection returns', async () => {
    const outbox = new Outbox(retryable);
    outbox.setOnline(false);
    const sent: string[] = [];
    const waiting: string[] = [];
    const a = outbox.run({ send: async () => sent.push('a'), onWaiting: (w) => w && waiting.push('a') });
    const b = outbox.run({ send: async () => sent.push('b'), onWaiting: (w) => w && waiting.push('b') });
    await new Promise((r) => setTimeout(r, 20));
    expect(sent).toEqual([]);
    expect(waiting).toEqual(['a']); // b waits behind a
    outbox.setOnline(true);
    await Promise.all([a, b]);
    expect(sent).toEqual(['a', 'b']);
  });

  it('retries network failures, but not other errors', async () => {
    const outbox = new Outbox(retryable, 3, 1);
    let calls = 0;
    const ok = await outbox.run({
      send: async () => {
        if (++calls < 3) throw new Error('network');
        return 'done';
      },
    });
    expect([ok, calls]).toEqual(['done', 3]);
    await expect(outbox.run({ send: () => Promise.reject(new Error('forbidden')) })).rejects.toThrow(
      'forbidden',
    );
    // A failed send does not block the next one.
    await expect(outbox.run({ send: async () => 'next' })).resolves.toBe('next');
  });

  it('reports changes and releases waiting sends on close', async () => {
    const outbox = new Outbox(retryable);
    const changes: boolean[] = [];
    outbox.onChange = (online) => changes.push(online);
    outbox.setOnline(false);
    outbox.setOnline(false);
    const pending = outbox.run({ send: () => Promise.reject(new Error('closed')) });
    outbox.close();
    await expect(pending).rejects.toThrow('closed');
    expect(changes).toEqual([false]);
  });
});
