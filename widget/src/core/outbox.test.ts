import { describe, expect, it } from 'vitest';
import { SecureChatError } from './errors.js';
import { Outbox, rateLimitBackoff } from './outbox.js';

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

  it('keeps a rate-limited send, waits as long as the service asks, and reports the delay', async () => {
    const backoffs: number[] = [];
    const outbox = new Outbox(retryable, 2, 1, (n) => {
      backoffs.push(n);
      return 5;
    });
    let calls = 0;
    const delayed: boolean[] = [];
    const started = Date.now();
    const sent = await outbox.run({
      onDelayed: (d) => delayed.push(d),
      send: async () => {
        calls++;
        // More refusals than maxAttempts: a rate limit never makes the message fail.
        if (calls === 1)
          throw new SecureChatError('rate-limited', 'slow down', { retryAfterMs: 40, recoverable: true });
        if (calls < 5) throw new SecureChatError('rate-limited', 'slow down', { recoverable: true });
        return 'sent';
      },
    });
    expect(sent).toBe('sent');
    expect(calls).toBe(5);
    expect(Date.now() - started).toBeGreaterThanOrEqual(40); // the service's Retry-After
    expect(backoffs).toEqual([1, 2, 3]); // its own back-off when the service did not say
    expect(delayed).toEqual([true, false, true, false, true, false, true, false]);
    expect(outbox.delayed).toBe(false);
  });

  it('gives up waiting out a rate limit only when the session closes', async () => {
    const outbox = new Outbox(retryable, 5, 1, () => 60_000);
    const states: boolean[] = [];
    outbox.onChange = () => states.push(outbox.delayed);
    const pending = outbox.run({
      send: () => Promise.reject(new SecureChatError('rate-limited', 'slow down')),
    });
    await new Promise((r) => setTimeout(r, 10));
    expect(outbox.delayed).toBe(true);
    outbox.close();
    await expect(pending).rejects.toThrow('slow down');
    expect(states).toEqual([true, false]);
  });

  it('backs off exponentially from 1 s to 30 s, with jitter between half and all of it', () => {
    expect([1, 2, 3, 6, 9].map((n) => rateLimitBackoff(n, () => 1))).toEqual([
      1000, 2000, 4000, 30_000, 30_000,
    ]);
    expect(rateLimitBackoff(2, () => 0)).toBe(1000);
  });
});
