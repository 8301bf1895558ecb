/**
 * The rate-limit Durable Object's bookkeeping, with an in-memory stand-in for its storage: what it keeps, when it
 * sets its alarm, and that the alarm forgets a key only once its time has passed. (In workerd, with real storage and
 * the real namespace: workers-rate-limit.test.ts.)
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  DurableObjectRateLimitStore,
  RateLimitDurableObject,
} from '../src/entries/durable-object-rate-limit.js';

function fakeState() {
  const data = new Map<string, unknown>();
  let alarm: number | null = null;
  const alarmsSet: number[] = [];
  const state = {
    storage: {
      get: async <T>(key: string) => data.get(key) as T | undefined,
      put: async (key: string, value: unknown) => void data.set(key, value),
      deleteAll: async () => data.clear(),
      getAlarm: async () => alarm,
      setAlarm: async (at: number) => void alarmsSet.push((alarm = at)),
    },
    blockConcurrencyWhile: <T>(callback: () => Promise<T>) => callback(),
  };
  return { state, data, alarmsSet, fire: () => (alarm = null) };
}

const rule = { limit: 2, windowMs: 1_000 };
const hit = async (object: RateLimitDurableObject) =>
  (await object.fetch(new Request('https://do/hit', { method: 'POST', body: JSON.stringify(rule) }))).json();

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(1_000_000);
});
afterEach(() => vi.useRealTimers());

describe('RateLimitDurableObject', () => {
  it('keeps the TAT in storage, sets one alarm, and refuses past the burst without writing', async () => {
    const { state, data, alarmsSet } = fakeState();
    const object = new RateLimitDurableObject(state);
    expect(await hit(object)).toEqual({ allowed: true, retryAfterMs: 0 });
    expect(await hit(object)).toEqual({ allowed: true, retryAfterMs: 0 });
    expect(data.get('tat')).toBe(1_001_000);
    expect(await hit(object)).toEqual({ allowed: false, retryAfterMs: 500 });
    expect(data.get('tat')).toBe(1_001_000);
    expect(alarmsSet).toEqual([1_000_500]);
  });

  it('an alarm before the TAT sets itself again; one after it forgets the key', async () => {
    const { state, data, alarmsSet, fire } = fakeState();
    const object = new RateLimitDurableObject(state);
    await hit(object);
    await hit(object);
    vi.setSystemTime(1_000_500);
    fire();
    await object.alarm();
    expect(alarmsSet.at(-1)).toBe(1_001_000);
    expect(data.get('tat')).toBe(1_001_000);
    vi.setSystemTime(1_001_000);
    fire();
    await object.alarm();
    expect(data.size).toBe(0);
    expect(await hit(object)).toEqual({ allowed: true, retryAfterMs: 0 });
  });

  it('a new object (after eviction) resumes from storage', async () => {
    const { state } = fakeState();
    await hit(new RateLimitDurableObject(state));
    await hit(new RateLimitDurableObject(state));
    expect(await hit(new RateLimitDurableObject(state))).toEqual({ allowed: false, retryAfterMs: 500 });
  });

  it('answers 400 to a malformed rule', async () => {
    const object = new RateLimitDurableObject(fakeState().state);
    const res = await object.fetch(new Request('https://do/hit', { method: 'POST', body: '{"limit":0}' }));
    expect(res.status).toBe(400);
  });
});

describe('DurableObjectRateLimitStore', () => {
  it('finds one object per key by name, and reports a bad answer as a store failure', async () => {
    const names: string[] = [];
    const objects = new Map<string, RateLimitDurableObject>();
    const store = new DurableObjectRateLimitStore({
      idFromName: (name) => (names.push(name), name),
      get: (id) => {
        const name = id as string;
        if (!objects.has(name)) objects.set(name, new RateLimitDurableObject(fakeState().state));
        return { fetch: (input, init) => objects.get(name)!.fetch(new Request(input, init)) };
      },
    });
    expect(await store.hit('ip:a', rule)).toEqual({ allowed: true, retryAfterMs: 0 });
    await store.hit('ip:a', rule);
    expect((await store.hit('ip:a', rule)).allowed).toBe(false);
    expect((await store.hit('ip:b', rule)).allowed).toBe(true);
    expect(names).toEqual(['ip:a', 'ip:a', 'ip:a', 'ip:b']);

    const broken = new DurableObjectRateLimitStore({
      idFromName: (name) => name,
      get: () => ({ fetch: async () => new Response('nope', { status: 500 }) }),
    });
    await expect(broken.hit('ip:a', rule)).rejects.toMatchObject({
      name: 'RateLimitStoreError',
      code: 'FAILED',
    });
  });
});
