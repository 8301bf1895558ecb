import { describe, expect, it } from 'vitest';
import { Batcher } from './batcher.js';

/** A schedule the test releases by hand, so batch boundaries are deterministic. */
function manualSchedule() {
  const waiting: (() => void)[] = [];
  return {
    schedule: () => new Promise<void>((resolve) => waiting.push(resolve)),
    release: () => waiting.splice(0).forEach((resolve) => resolve()),
  };
}

describe('Batcher', () => {
  it('sends the jobs submitted before the scheduled turn as one batch, results in order', async () => {
    const batches: number[][] = [];
    const turn = manualSchedule();
    const batcher = new Batcher<number, string>({
      run: async (jobs) => {
        batches.push(jobs);
        return jobs.map((n) => `#${n}`);
      },
      schedule: turn.schedule,
    });
    const results = Promise.all([1, 2, 3].map((n) => batcher.submit(n)));
    expect(batches).toEqual([]);
    turn.release();
    expect(await results).toEqual(['#1', '#2', '#3']);
    expect(batches).toEqual([[1, 2, 3]]);
    expect(batcher.stats).toEqual({ batches: 1, jobs: 3 });
  });

  it('sends a full batch at once and the rest on the next turn', async () => {
    const batches: number[][] = [];
    const turn = manualSchedule();
    const batcher = new Batcher<number, number>({
      run: async (jobs) => (batches.push(jobs), jobs.map((n) => n * 10)),
      maxBatch: 2,
      schedule: turn.schedule,
    });
    const results = Promise.all([1, 2, 3].map((n) => batcher.submit(n)));
    expect(batches).toEqual([[1, 2]]);
    turn.release();
    expect(await results).toEqual([10, 20, 30]);
    expect(batches).toEqual([[1, 2], [3]]);
  });

  it('hands results out `deliver` at a time, one turn apart', async () => {
    const turn = manualSchedule();
    const batcher = new Batcher<number, number>({
      run: async (jobs) => jobs,
      schedule: turn.schedule,
      deliver: 2,
    });
    const settled: number[] = [];
    const all = Promise.all([1, 2, 3, 4, 5].map((n) => batcher.submit(n).then((r) => settled.push(r))));
    turn.release(); // the batch leaves
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(settled).toEqual([1, 2]);
    turn.release();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(settled).toEqual([1, 2, 3, 4]);
    turn.release();
    await all;
    expect(settled).toEqual([1, 2, 3, 4, 5]);
  });

  it('rejects every job of a failed batch with its error, and later batches still run', async () => {
    const turn = manualSchedule();
    let fail = true;
    const batcher = new Batcher<number, number>({
      run: async (jobs) => {
        if (fail) throw new Error('worker gone');
        return jobs;
      },
      schedule: turn.schedule,
    });
    const failed = [batcher.submit(1), batcher.submit(2)].map((p) => p.catch((e: Error) => e.message));
    turn.release();
    expect(await Promise.all(failed)).toEqual(['worker gone', 'worker gone']);
    fail = false;
    const next = batcher.submit(3);
    turn.release();
    expect(await next).toBe(3);
  });

  it('refuses an answer with the wrong number of results', async () => {
    const turn = manualSchedule();
    const batcher = new Batcher<number, number>({ run: async () => [1], schedule: turn.schedule });
    const results = [batcher.submit(1), batcher.submit(2)].map((p) => p.catch((e: Error) => e.message));
    turn.release();
    expect(await Promise.all(results)).toEqual([
      'A batch answered with the wrong number of results.',
      'A batch answered with the wrong number of results.',
    ]);
  });

  it('close() rejects queued jobs, drops the results of a batch in flight, and refuses new ones', async () => {
    const turn = manualSchedule();
    let answer: (results: number[]) => void = () => {};
    const batcher = new Batcher<number, number>({
      run: (jobs) => new Promise((resolve) => (answer = () => resolve(jobs))),
      maxBatch: 1,
      schedule: turn.schedule,
    });
    const inFlight = batcher.submit(1).catch((e: unknown) => e);
    const closed = new Error('locked');
    batcher.close(closed);
    answer([1]);
    expect(await inFlight).toBe(closed);
    await expect(batcher.submit(2)).rejects.toBe(closed);
  });
});
