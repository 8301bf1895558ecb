import { describe, expect, it } from 'vitest';
import { clampWindow, latestWindow, slideDown, slideUp } from './windowing.js';

describe('list windowing', () => {
  it('opens on the newest items and never exceeds its size', () => {
    expect(latestWindow(10_000, 60)).toEqual({ start: 9940, end: 10_000 });
    expect(latestWindow(12, 60)).toEqual({ start: 0, end: 12 });
  });

  it('slides up and down by a step, keeping the size bound', () => {
    let w = latestWindow(1000, 60);
    w = slideUp(w, 1000, 0, 60, 20);
    expect(w).toEqual({ start: 920, end: 980 });
    w = slideDown(w, 1000, 60, 20);
    expect(w).toEqual({ start: 940, end: 1000 });
    for (let i = 0; i < 100; i++) w = slideUp(w, 1000, 0, 60, 20);
    expect(w).toEqual({ start: 0, end: 60 });
  });

  it('accounts for prepended history', () => {
    // 50 older items arrived in front: the same items are now 50 further on, then the window moves up a step.
    expect(slideUp({ start: 0, end: 60 }, 150, 50, 60, 20)).toEqual({ start: 30, end: 90 });
  });

  it('clamps after the list shrinks', () => {
    expect(clampWindow({ start: 50, end: 110 }, 40, 60)).toEqual({ start: 39, end: 40 });
    expect(clampWindow({ start: 0, end: 60 }, 70, 60)).toEqual({ start: 0, end: 60 });
  });
});
