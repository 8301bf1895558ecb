import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IdleTimer, type LockReason } from './idle-timer.js';

describe('IdleTimer', () => {
  let warnings: number[];
  let locks: LockReason[];
  const make = (absoluteMs = 0) =>
    new IdleTimer({
      idleMs: 60_000,
      warningMs: 15_000,
      absoluteMs,
      onWarn: (seconds) => warnings.push(seconds),
      onLock: (reason) => locks.push(reason),
    });

  beforeEach(() => {
    vi.useFakeTimers();
    warnings = [];
    locks = [];
  });
  afterEach(() => vi.useRealTimers());

  it('warns before locking when idle', () => {
    const timer = make();
    timer.start();
    vi.advanceTimersByTime(44_999);
    expect(warnings).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(warnings).toEqual([15]);
    expect(timer.warning).toBe(true);
    vi.advanceTimersByTime(15_000);
    expect(locks).toEqual(['idle']);
    expect(timer.running).toBe(false);
  });

  it('activity postpones the lock and clears the warning', () => {
    const timer = make();
    timer.start();
    vi.advanceTimersByTime(50_000);
    expect(timer.warning).toBe(true);
    timer.activity();
    expect(timer.warning).toBe(false);
    vi.advanceTimersByTime(59_000);
    expect(locks).toEqual([]);
    vi.advanceTimersByTime(1_000);
    expect(locks).toEqual(['idle']);
  });

  it('enforces the absolute session limit despite activity', () => {
    const timer = make(90_000);
    timer.start();
    for (let t = 0; t < 89; t++) {
      vi.advanceTimersByTime(1_000);
      timer.activity();
    }
    expect(locks).toEqual([]);
    vi.advanceTimersByTime(1_000);
    expect(locks).toEqual(['session-limit']);
    vi.advanceTimersByTime(120_000);
    expect(locks).toEqual(['session-limit']);
  });

  it('locks at once on demand, and only once', () => {
    const timer = make();
    timer.start();
    timer.lockNow();
    timer.lockNow();
    vi.advanceTimersByTime(120_000);
    expect(locks).toEqual(['manual']);
  });
});
