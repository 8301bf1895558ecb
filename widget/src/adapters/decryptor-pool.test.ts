import { describe, expect, it } from 'vitest';
import type { DecryptJob, DecryptOutcome } from './crypto-worker-protocol.js';
import { DecryptorPool, poolSize } from './decryptor-pool.js';
import type { WorkerDecryptor } from './worker-decryptor.js';

/** A stand-in for one decryption worker: jobs wait until the test answers them. */
class FakeWorker {
  running = true;
  keys: Uint8Array[] = [];
  jobs: { job: DecryptJob; answer: (outcome: DecryptOutcome) => void; fail: (e: unknown) => void }[] = [];
  closed = false;

  async setPrivateKey(raw: Uint8Array) {
    this.keys.push(raw);
  }
  decrypt(job: DecryptJob): Promise<DecryptOutcome> {
    return new Promise((answer, fail) => this.jobs.push({ job, answer, fail }));
  }
  async decryptFile() {
    return { ok: false as const, kind: 'aborted' as const };
  }
  report() {
    return { running: this.running, keys: this.keys.length, live: this.running ? 1 : 0, privateKey: true };
  }
  async close() {
    this.closed = true;
    this.running = false;
  }
  /** The worker died: what it had in flight fails. */
  die() {
    this.running = false;
    for (const { fail } of this.jobs.splice(0)) fail(new Error('The decryption worker failed.'));
  }
}

async function poolOf(...workers: FakeWorker[]) {
  const queue = [...workers];
  const pool = await DecryptorPool.start(
    workers.length,
    async () => queue.shift() as unknown as WorkerDecryptor,
  );
  if (!pool) throw new Error('no pool');
  return pool;
}

const job = (n: number): DecryptJob => ({ ct: `ct-${n}`, senderKey: 'key' });
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('DecryptorPool', () => {
  it('uses at most two workers, and one on a single core', () => {
    expect([poolSize(1), poolSize(2), poolSize(16)]).toEqual([1, 2, 2]);
  });

  it('gives each job to the worker with the least in flight', async () => {
    const [one, two] = [new FakeWorker(), new FakeWorker()];
    const pool = await poolOf(one, two);
    const results = [0, 1, 2, 3].map((n) => pool.decrypt(job(n)));
    await flush();
    expect(one.jobs.map((j) => j.job.ct)).toEqual(['ct-0', 'ct-2']);
    expect(two.jobs.map((j) => j.job.ct)).toEqual(['ct-1', 'ct-3']);
    for (const { job: j, answer } of [...one.jobs, ...two.jobs]) answer({ ok: true, text: j.ct });
    expect((await Promise.all(results)).map((r) => (r.ok ? r.text : r.kind))).toEqual([
      'ct-0',
      'ct-1',
      'ct-2',
      'ct-3',
    ]);
    // One busy worker: the next job goes to the idle one.
    void pool.decrypt(job(4));
    void pool.decrypt(job(5));
    two.jobs.splice(0).forEach(({ answer }) => answer({ ok: true, text: '' }));
    await flush();
    void pool.decrypt(job(6));
    await flush();
    expect(two.jobs.map((j) => j.job.ct)).toEqual(['ct-6']);
  });

  it('hands every worker its own copy of the key, and the original to the last', async () => {
    const [one, two] = [new FakeWorker(), new FakeWorker()];
    const pool = await poolOf(one, two);
    const raw = new Uint8Array([1, 2, 3]);
    await pool.setPrivateKey(raw);
    expect(one.keys[0]).not.toBe(raw);
    expect([...one.keys[0]!]).toEqual([1, 2, 3]);
    expect(two.keys[0]).toBe(raw);
  });

  it('opens a message again on another worker when its worker dies, and fails once none runs', async () => {
    const [one, two] = [new FakeWorker(), new FakeWorker()];
    const pool = await poolOf(one, two);
    const first = pool.decrypt(job(1));
    await flush();
    one.die();
    await flush();
    expect(two.jobs.map((j) => j.job.ct)).toEqual(['ct-1']);
    two.jobs[0]!.answer({ ok: true, text: 'opened' });
    expect(await first).toEqual({ ok: true, text: 'opened' });
    expect(pool.running).toBe(true);
    const last = pool.decrypt(job(2));
    await flush();
    two.die();
    await expect(last).rejects.toThrow('failed');
    expect(pool.running).toBe(false);
  });

  it('adds up the reports and closes every worker', async () => {
    const [one, two] = [new FakeWorker(), new FakeWorker()];
    const pool = await poolOf(one, two);
    await pool.setPrivateKey(new Uint8Array([9]));
    expect(pool.report()).toEqual({ running: true, privateKey: true, keys: 2, live: 2 });
    await pool.close();
    expect([one.closed, two.closed]).toEqual([true, true]);
    expect(pool.report()).toMatchObject({ running: false, live: 0 });
  });

  it('is the one worker that started, or nothing when none did', async () => {
    const only = new FakeWorker();
    const queue = [only, undefined];
    const single = await DecryptorPool.start(2, async () => queue.shift() as unknown as WorkerDecryptor);
    expect(single).toBe(only);
    expect(await DecryptorPool.start(2, async () => undefined)).toBeUndefined();
  });
});
