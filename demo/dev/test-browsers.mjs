// Runs the browser suite in every engine ($BROWSERS, default all three), side by side: each engine's files are split
// into shards (see SHARDS_PER_ENGINE) of about equal recorded time, and each shard gets its own @web/test-runner,
// browser, server port and local stack, so a test that restarts a stand-in never disturbs another runner. Much of a
// browser test's time is spent waiting (on the network, timers and the other side of a conversation), so runners
// side by side finish sooner than one after another, until together they keep the cores busy. Lines are prefixed
// with the engine and shard; the exit code is non-zero if any runner failed. BROWSERS_SERIAL=1 runs the runners one
// after another (less memory, slower). RECORD_TIMES=1 writes each file's time to demo/dev/browser-test-times.json,
// which the next split uses.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { browserTestFiles, recordedTimes, shard } from './browser-test-files.mjs';
import { selectedEngines } from './find-browsers.mjs';

const bin = new URL('../../node_modules/@web/test-runner/dist/bin.js', import.meta.url).pathname;
const config = new URL('../../web-test-runner.config.mjs', import.meta.url).pathname;
const timesFile = new URL('browser-test-times.json', import.meta.url);
/**
 * Runners per engine (`BROWSER_SHARDS=n` for n). A runner takes about the sum of its files' times (one file at a
 * time), and six runners already keep two cores busy, so more only slow each other down.
 */
const SHARDS_PER_ENGINE = 2;
const shardCount = Math.max(1, Number(process.env.BROWSER_SHARDS ?? SHARDS_PER_ENGINE) || 1);

/** @returns {Promise<number>} */
function freePort() {
  return new Promise((done, fail) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
    server.on('error', fail);
  });
}

/** @param {number} ms */
const minutes = (ms) =>
  `${Math.floor(ms / 60_000)}m${String(Math.round((ms % 60_000) / 1000)).padStart(2, '0')}s`;

const scratch = mkdtempSync(join(tmpdir(), 'secure-chat-browser-times-'));

/**
 * @param {{ engine: string, name: string, files: string[] }} runner
 * @returns {Promise<{ name: string, engine: string, code: number, ms: number, times: Record<string, number> }>}
 */
async function run({ engine, name, files }) {
  const started = Date.now();
  const times = join(scratch, `${name.replace(/\W+/g, '-')}.json`);
  const child = spawn(process.execPath, [bin, '--config', config, '--static-logging'], {
    env: {
      ...process.env,
      BROWSERS: engine,
      WTR_SHARD_FILES: files.join(','),
      WTR_TIMES_FILE: times,
      WTR_PORT: String(await freePort()),
      NODE_OPTIONS: [process.env.NODE_OPTIONS, '--import=tsx'].filter(Boolean).join(' '),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      if (line.trim()) process.stdout.write(`[${name}] ${line}\n`);
    });
  }
  const code = await new Promise((done) => child.on('close', (exitCode) => done(exitCode ?? 1)));
  let measured = {};
  try {
    measured = JSON.parse(readFileSync(times, 'utf8'));
  } catch {
    // the runner failed before any file finished
  }
  return { name, engine, code, ms: Date.now() - started, times: measured };
}

const recorded = recordedTimes();
const runners = selectedEngines().flatMap((engine) => {
  const shards = shard(browserTestFiles([engine]), shardCount, recorded[engine]);
  return shards.map(({ files }, index) => ({
    engine,
    name: shards.length > 1 ? `${engine} ${index + 1}/${shards.length}` : engine,
    files,
  }));
});

const results = [];
if (process.env.BROWSERS_SERIAL === '1') {
  for (const runner of runners) results.push(await run(runner));
} else {
  results.push(...(await Promise.all(runners.map(run))));
}
rmSync(scratch, { recursive: true, force: true });

for (const { name, code, ms } of results) {
  console.log(`[secure-chat] browser tests in ${name}: ${code === 0 ? 'passed' : 'FAILED'} (${minutes(ms)})`);
}
if (process.env.RECORD_TIMES === '1') {
  for (const { engine, times } of results) {
    recorded[engine] ??= {};
    for (const [file, ms] of Object.entries(times)) recorded[engine][file] = Math.round(ms / 100) / 10;
  }
  const sorted = Object.fromEntries(
    Object.entries(recorded).map(([engine, files]) => [
      engine,
      Object.fromEntries(Object.entries(files).sort(([a], [b]) => a.localeCompare(b))),
    ]),
  );
  writeFileSync(timesFile, `${JSON.stringify(sorted, null, 2)}\n`);
  console.log(`[secure-chat] recorded each file's time in ${timesFile.pathname}`);
}
process.exit(results.every((result) => result.code === 0) ? 0 : 1);
