/**
 * Measures the built widget (`dist/widget`): every chunk and asset raw, gzip (level 9) and brotli (quality 11),
 * the first-paint closure of the entry (the entry plus the chunks it imports statically), and the total.
 * `npm run size` prints the table; the size-budget test asserts the budgets, which are deterministic.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, dirname, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export const BUDGETS = {
  /** The script-tag entry and its static imports: what first paint needs. */
  entryBrotli: 30 * 1024,
  /**
   * Everything shipped, without what loads only for a password backup or restore: Pythia (its WASM and JS chunk)
   * and the password estimator. Back at the 380 KiB goal since stream-chat's unused UI SDK helpers are no longer
   * bundled (widget/scripts/stream-chat-core.ts; about 26 KiB, see docs/benchmarks.md). Decryption in a worker adds
   * about 5 KiB: virgil-crypto is a chunk of its own, shared by the E3Kit chunk and the worker (two compression
   * windows instead of one), plus Comlink, the worker and its client.
   */
  totalBrotliWithoutBackupOnly: 380 * 1024,
  /** The password estimator's lazy chunk (zxcvbn-ts and the heads of its word lists). */
  passwordEstimatorBrotli: 100 * 1024,
  /**
   * Frame isolation only (docs/isolation.md): the host proxy's lazy chunk, the frame's bootstrap and page. Loaded
   * only with `isolation="frame"`, on top of what the default mode loads: under a budget of its own, not in the total.
   */
  frameOnlyBrotli: 5 * 1024,
};

/**
 * Pythia's WASM asset and its lazy JS chunk (rollup.config.ts `lazyPythia`): fetched only on key backup or restore.
 * The budget test checks that nothing loads them statically.
 */
export const isPythia = (file: string): boolean =>
  /(^|\/)(libpythia\.browser|pythia)-[\w-]+\.(wasm|js)$/.test(file);

/** The password estimator's lazy chunk (controllers/password-estimator.ts): fetched only on the backup screen. */
export const isPasswordEstimator = (file: string): boolean =>
  /(^|\/)password-estimator-[\w-]+\.js$/.test(file);

/** Loaded only with `isolation="frame"`: the host proxy chunk (on the portal page), the frame's page and bootstrap. */
export const isFrameOnly = (file: string): boolean =>
  /(^|\/)frame-host-[\w-]+\.js$/.test(file) || file === 'frame.js' || file === 'frame.html';

/** Loaded only while a backup password is chosen or a backup restored, never in a normal session. */
export const isBackupOnly = (file: string): boolean => isPythia(file) || isPasswordEstimator(file);

/** The build to measure: dist/widget, or dist/$WIDGET_DIST (parallel builds). */
export const widgetDist = (): string => resolve('dist', process.env.WIDGET_DIST || 'widget');

export interface FileSize {
  file: string;
  raw: number;
  gzip: number;
  brotli: number;
}

export interface BundleReport {
  files: FileSize[];
  entryClosure: string[];
  entry: FileSize;
  total: FileSize;
  totalWithoutBackupOnly: FileSize;
  pythia: FileSize;
  passwordEstimator: FileSize;
  frameOnly: FileSize;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

function measure(dir: string, path: string): FileSize {
  const bytes = readFileSync(path);
  return {
    file: relative(dir, path),
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

const sum = (file: string, sizes: FileSize[]): FileSize => ({
  file,
  raw: sizes.reduce((n, s) => n + s.raw, 0),
  gzip: sizes.reduce((n, s) => n + s.gzip, 0),
  brotli: sizes.reduce((n, s) => n + s.brotli, 0),
});

/** The entry file and every chunk reachable from it through static `import … from` (not `import()`). */
export function staticClosure(dir: string, entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = readFileSync(join(dir, file), 'utf8');
    for (const match of code.matchAll(/(?:^|[;}\s])import\s*(?:[\w*{}\s,$]+from\s*)?["']([^"']+)["']/g)) {
      const spec = match[1]!;
      if (spec.startsWith('.')) visit(relative(dir, resolve(dirname(join(dir, file)), spec)));
    }
  };
  visit(entry);
  return [...seen];
}

export function measureBundle(dir = widgetDist(), entry = 'secure-chat.js'): BundleReport {
  const files = listFiles(dir)
    // Source maps and the SRI files are build metadata, never fetched by the page.
    .filter((path) => !/\.(map|sri)$|\/integrity\.json$/.test(path))
    .map((path) => measure(dir, path))
    .sort((a, b) => b.brotli - a.brotli);
  const entryClosure = staticClosure(dir, entry);
  const inClosure = files.filter((size) => entryClosure.includes(size.file));
  return {
    files,
    entryClosure,
    entry: sum(`${entry} + static imports`, inClosure),
    total: sum('total', files),
    totalWithoutBackupOnly: sum(
      'total without Pythia, the estimator and the frame',
      files.filter((size) => !isBackupOnly(size.file) && !isFrameOnly(size.file)),
    ),
    pythia: sum(
      'Pythia (lazy: backup/restore only)',
      files.filter((size) => isPythia(size.file)),
    ),
    passwordEstimator: sum(
      'password estimator (lazy: backup only)',
      files.filter((size) => isPasswordEstimator(size.file)),
    ),
    frameOnly: sum(
      'frame isolation (lazy: frame mode only)',
      files.filter((size) => isFrameOnly(size.file)),
    ),
  };
}

const kb = (bytes: number) => (bytes / 1024).toFixed(1).padStart(8);

export function formatReport(report: BundleReport): string {
  const row = (s: FileSize) => `${s.file.padEnd(56)}${kb(s.raw)}${kb(s.gzip)}${kb(s.brotli)}`;
  return [
    `${'file'.padEnd(56)}${'raw KiB'.padStart(8)}${'gzip'.padStart(8)}${'brotli'.padStart(8)}`,
    ...report.files.map(row),
    '',
    `${row(report.entry)}   budget ${kb(BUDGETS.entryBrotli).trim()} KiB brotli`,
    `${row(report.totalWithoutBackupOnly)}   budget ${kb(BUDGETS.totalBrotliWithoutBackupOnly).trim()} KiB brotli`,
    row(report.pythia),
    `${row(report.passwordEstimator)}   budget ${kb(BUDGETS.passwordEstimatorBrotli).trim()} KiB brotli`,
    `${row(report.frameOnly)}   budget ${kb(BUDGETS.frameOnlyBrotli).trim()} KiB brotli`,
    row(report.total),
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(formatReport(measureBundle()));
}
