import { describe, expect, it } from 'vitest';
import { TimeSlicer, forEachSliced, yieldToEventLoop } from './yielding.js';

/** A clock the test moves by hand. */
function manualClock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('TimeSlicer', () => {
  it('does not yield while the slice is within its budget, and yields once it is used up', async () => {
    const clock = manualClock();
    let yielded = 0;
    const slicer = new TimeSlicer({ budgetMs: 8, now: clock.now, yieldFn: async () => void yielded++ });
    clock.advance(5);
    await slicer.checkpoint();
    expect(yielded).toBe(0);
    clock.advance(4); // 9 ms in this slice
    await slicer.checkpoint();
    expect(yielded).toBe(1);
    clock.advance(3); // a new slice started after the yield
    await slicer.checkpoint();
    expect(yielded).toBe(1);
    expect(slicer.yields).toBe(1);
  });
});

describe('forEachSliced', () => {
  it('processes every item in order, yielding between slices of the budget', async () => {
    const clock = manualClock();
    const seen: number[] = [];
    let yielded = 0;
    await forEachSliced(
      Array.from({ length: 10 }, (_, i) => i),
      (i) => {
        seen.push(i);
        clock.advance(3); // 3 ms per item: a slice ends after the 4th item (12 ms >= 10 ms)
      },
      { budgetMs: 10, now: clock.now, yieldFn: async () => void yielded++ },
    );
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(yielded).toBe(2); // after items 3 and 7; the last slice (items 8, 9) is still within budget
  });

  it('stops when aborted', async () => {
    const abort = new AbortController();
    const seen: number[] = [];
    await forEachSliced(
      [1, 2, 3, 4],
      (i) => {
        seen.push(i);
        if (i === 2) abort.abort();
      },
      { signal: abort.signal },
    );
    expect(seen).toEqual([1, 2]);
  });

  it('yieldToEventLoop lets a pending timer run first', async () => {
    const order: string[] = [];
    setTimeout(() => order.push('timer'), 0);
    await new Promise((r) => setTimeout(r, 1)); // let the timer be due
    await yieldToEventLoop();
    order.push('after yield');
    expect(order).toEqual(['timer', 'after yield']);
  });
});
