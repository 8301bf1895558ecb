/**
 * @module
 * The Workers shared rate-limit store. Each rate-limit key (`ip:…`, `user:…`) is one Durable Object, found by
 * name, so every isolate in every location that asks about a key reaches the same single-threaded object: one
 * limit for the whole deployment, and keys spread over many objects rather than queueing behind one. The object
 * runs the same GCRA step as the other stores (`rate-limit.ts`) on its own clock, keeps its one number (the TAT) in
 * memory and in its storage (so an evicted object does not forget), and deletes it with an alarm once it has
 * passed. The binding and class are declared in `api/wrangler.toml`.
 *
 * Only the few runtime members used here are typed (structurally), so the core needs no Workers type package.
 */
import { gcra, RateLimitStoreError } from '../rate-limit.js';
import type { RateLimitDecision, RateLimitRule, RateLimitStore } from '../rate-limit.js';

export interface DurableObjectNamespaceLike {
  idFromName(name: string): unknown;
  get(id: unknown): { fetch(input: string, init?: RequestInit): Promise<Response> };
}

interface DurableObjectStateLike {
  readonly storage: {
    get<T>(key: string): Promise<T | undefined>;
    put(key: string, value: unknown): Promise<void>;
    deleteAll(): Promise<void>;
    getAlarm(): Promise<number | null>;
    setAlarm(epochMs: number): Promise<void>;
  };
  blockConcurrencyWhile<T>(callback: () => Promise<T>): Promise<T>;
}

/** A decision that takes longer than this counts as a store failure. */
const DECISION_TIMEOUT_MS = 1_000;

/** The Durable Object class (`class_name` in wrangler.toml). One instance per rate-limit key. */
export class RateLimitDurableObject {
  #tat: number | undefined;
  #alarmSet = false;

  constructor(private readonly state: DurableObjectStateLike) {
    void state.blockConcurrencyWhile(async () => {
      this.#tat = await state.storage.get<number>('tat');
      this.#alarmSet = (await state.storage.getAlarm()) !== null;
    });
  }

  /** `POST` with a `RateLimitRule` as JSON; answers a `RateLimitDecision`. */
  async fetch(request: Request): Promise<Response> {
    const rule = parseRule(await request.json().catch(() => undefined));
    if (!rule) return new Response('bad rule', { status: 400 });
    const { tat, ...decision } = gcra(this.#tat, rule, Date.now());
    if (decision.allowed) {
      this.#tat = tat;
      await this.state.storage.put('tat', tat);
      // One alarm at a time: when it fires early (the TAT moved on), it sets itself again.
      if (!this.#alarmSet) await this.state.storage.setAlarm(Math.ceil(tat));
      this.#alarmSet = true;
    }
    return Response.json(decision);
  }

  /** Once the TAT has passed, the key is as good as new: forget it; until then, look again at the TAT. */
  async alarm(): Promise<void> {
    if (this.#tat !== undefined && this.#tat > Date.now()) {
      await this.state.storage.setAlarm(Math.ceil(this.#tat));
      return;
    }
    this.#tat = undefined;
    this.#alarmSet = false;
    await this.state.storage.deleteAll();
  }
}

/** The store the Workers entry passes to `createApp` when `RATE_LIMIT_STORE=durable-object`. */
export class DurableObjectRateLimitStore implements RateLimitStore {
  constructor(private readonly namespace: DurableObjectNamespaceLike) {}

  async hit(key: string, rule: RateLimitRule): Promise<RateLimitDecision> {
    let response: Response;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const stub = this.namespace.get(this.namespace.idFromName(key));
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new RateLimitStoreError('TIMEOUT')), DECISION_TIMEOUT_MS);
      });
      response = await Promise.race([
        stub.fetch('https://rate-limit.internal/hit', { method: 'POST', body: JSON.stringify(rule) }),
        timeout,
      ]);
    } catch (err) {
      if (err instanceof RateLimitStoreError) throw err;
      // Workers marks errors thrown inside the object as `remote`; others mean it could not be reached.
      const remote = (err as { remote?: unknown } | null)?.remote === true;
      throw new RateLimitStoreError(remote ? 'FAILED' : 'UNREACHABLE', { cause: err });
    } finally {
      clearTimeout(timer);
    }
    const decision = response.ok ? parseDecision(await response.json().catch(() => undefined)) : undefined;
    if (!decision) {
      await response.body?.cancel();
      throw new RateLimitStoreError('FAILED');
    }
    return decision;
  }
}

/** Whether a binding looks like a Durable Object namespace (a missing or mistyped binding is a configuration error). */
export function isDurableObjectNamespace(value: unknown): value is DurableObjectNamespaceLike {
  const candidate = value as Partial<DurableObjectNamespaceLike> | null;
  return typeof candidate?.idFromName === 'function' && typeof candidate.get === 'function';
}

function parseRule(value: unknown): RateLimitRule | undefined {
  const { limit, windowMs } = (value ?? {}) as Partial<RateLimitRule>;
  const positive = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n) && n > 0;
  return positive(limit) && positive(windowMs) ? { limit, windowMs } : undefined;
}

function parseDecision(value: unknown): RateLimitDecision | undefined {
  const { allowed, retryAfterMs } = (value ?? {}) as Partial<RateLimitDecision>;
  return typeof allowed === 'boolean' && typeof retryAfterMs === 'number'
    ? { allowed, retryAfterMs }
    : undefined;
}
