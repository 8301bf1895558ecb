import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BUDGETS,
  isBackupOnly,
  isFrameOnly,
  isPasswordEstimator,
  isPythia,
  measureBundle,
  staticClosure,
  widgetDist,
  type BundleReport,
} from './bundle-size.js';

const dist = widgetDist();
let measured: BundleReport | undefined;
const measure = () => {
  if (!measured) throw new Error('no built widget to measure: run `npm run build` first');
  return measured;
};

describe('bundle size budget (npm run build first)', () => {
  // Brotli at quality 11 over ~2.5 MB is slow, the more so beside the browser tests: measured once, with room.
  beforeAll(() => {
    if (existsSync(join(dist, 'secure-chat.js'))) measured = measureBundle(dist);
  }, 180_000);

  it('has a built widget to measure', () => {
    expect(existsSync(join(dist, 'secure-chat.js')), 'run `npm run build` before the tests').toBe(true);
  });

  it('keeps the first-paint entry within its brotli budget', () => {
    const report = measure();
    expect(report.entryClosure).toContain('secure-chat.js');
    expect(report.entry.brotli).toBeLessThanOrEqual(BUDGETS.entryBrotli);
  });

  it('keeps everything but the backup-only chunks (Pythia, the password estimator) within the total budget', () => {
    const report = measure();
    expect(report.totalWithoutBackupOnly.brotli).toBeLessThanOrEqual(BUDGETS.totalBrotliWithoutBackupOnly);
  });

  it('does not load E3Kit or stream-chat for first paint', () => {
    const report = measure();
    const firstPaintCode = report.entryClosure
      .map((file) => readFileSync(join(dist, file), 'utf8'))
      .join('\n');
    // String literals survive minification: E3Kit's agent name and stream-chat's client header.
    expect(firstPaintCode).not.toContain('"e3kit"');
    expect(firstPaintCode).not.toContain('stream-chat-js');
  });

  it('builds the decryption worker as a lazy chunk that shares virgil-crypto and its one WASM', () => {
    const report = measure();
    const files = report.files.map((f) => f.file);
    const workers = files.filter((f) => /(^|\/)crypto-worker-[\w-]+\.js$/.test(f));
    expect(workers).toHaveLength(1);
    const worker = workers[0]!;
    expect(report.entryClosure).not.toContain(worker);
    // The worker loads only the shared virgil-crypto chunk: not E3Kit, stream-chat, Lit or the widget's entry.
    const reachable = staticClosure(dist, worker);
    expect(
      reachable.filter((f) => f !== worker).every((f) => /(^|\/)virgil-crypto-[\w-]+\.js$/.test(f)),
    ).toBe(true);
    const chunkText = (file: string) => readFileSync(join(dist, file), 'utf8');
    for (const file of reachable) expect(chunkText(file)).not.toContain('"e3kit"');
    // One foundation WASM, and virgil-crypto's WASM loader in one chunk only (shared, not copied).
    expect(files.filter((f) => /libfoundation\.browser-[\w-]+\.wasm$/.test(f))).toHaveLength(1);
    const loaders = files.filter(
      (f) => f.endsWith('.js') && chunkText(f).includes('both async and sync fetching of the wasm failed'),
    );
    expect(loaders.filter((f) => !isPythia(f))).toHaveLength(1);
  });

  it('loads Pythia only through a dynamic import, so it can stay out of the total', () => {
    const report = measure();
    const pythiaFiles = report.files.map((f) => f.file).filter(isPythia);
    // Both the WASM and the JS chunk exist: Pythia is split out, not dropped.
    expect(pythiaFiles.some((f) => f.endsWith('.wasm'))).toBe(true);
    expect(pythiaFiles.some((f) => f.endsWith('.js'))).toBe(true);
    for (const chunk of report.files.map((f) => f.file).filter((f) => f.endsWith('.js') && !isPythia(f))) {
      const reachable = staticClosure(dist, chunk);
      expect(reachable.filter(isPythia), `${chunk} imports Pythia statically`).toEqual([]);
    }
  });

  it('loads the password estimator only through a dynamic import, within its own budget', () => {
    const report = measure();
    const estimator = report.files.map((f) => f.file).filter(isPasswordEstimator);
    expect(estimator).toHaveLength(1);
    expect(report.passwordEstimator.brotli).toBeLessThanOrEqual(BUDGETS.passwordEstimatorBrotli);
    for (const chunk of report.files
      .map((f) => f.file)
      .filter((f) => f.endsWith('.js') && !isBackupOnly(f))) {
      const reachable = staticClosure(dist, chunk);
      expect(reachable.filter(isPasswordEstimator), `${chunk} imports the estimator statically`).toEqual([]);
    }
  });

  it('loads the frame host proxy only in frame mode, and keeps frame isolation within its own budget', () => {
    const report = measure();
    const frameOnly = report.files.map((f) => f.file).filter(isFrameOnly);
    expect(frameOnly.sort()).toEqual([
      expect.stringMatching(/^chunks\/frame-host-[\w-]+\.js$/),
      'frame.html',
      'frame.js',
    ]);
    expect(report.entryClosure.filter(isFrameOnly), 'the entry loads the proxy statically').toEqual([]);
    // The proxy is the frame's lazy chunk: the entry names it only in a dynamic import.
    const entryCode = report.entryClosure.map((file) => readFileSync(join(dist, file), 'utf8')).join('\n');
    expect(entryCode).toMatch(/import\("\.\/chunks\/frame-host-[\w-]+\.js"\)/);
    expect(report.frameOnly.brotli).toBeLessThanOrEqual(BUDGETS.frameOnlyBrotli);
  });
});
