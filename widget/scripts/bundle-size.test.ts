import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUDGETS, measureBundle } from './bundle-size.js';

const dist = resolve('dist/widget');

describe('bundle size budget (npm run build first)', () => {
  it('has a built widget to measure', () => {
    expect(existsSync(resolve(dist, 'secure-chat.js')), 'run `npm run build` before the tests').toBe(true);
  });

  it('keeps the first-paint entry within its brotli budget', () => {
    const report = measureBundle(dist);
    expect(report.entryClosure).toContain('secure-chat.js');
    expect(report.entry.brotli).toBeLessThanOrEqual(BUDGETS.entryBrotli);
  });

  it('keeps everything but the Pythia WASM within the total budget', () => {
    const report = measureBundle(dist);
    expect(report.totalWithoutPythia.brotli).toBeLessThanOrEqual(BUDGETS.totalBrotliWithoutPythia);
  });

  it('does not load E3Kit or stream-chat for first paint', () => {
    const report = measureBundle(dist);
    const firstPaintCode = report.entryClosure
      .map((file) => readFileSync(resolve(dist, file), 'utf8'))
      .join('\n');
    // String literals survive minification: E3Kit's agent name and stream-chat's client header.
    expect(firstPaintCode).not.toContain('"e3kit"');
    expect(firstPaintCode).not.toContain('stream-chat-js');
  });
});
