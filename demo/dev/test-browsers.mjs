// Runs the browser suite in every engine ($BROWSERS, default all three) side by side: one @web/test-runner per
// engine, each with its own server port and its own local stack, so a test that restarts a stand-in never disturbs
// another engine. Lines are prefixed with the engine; the exit code is non-zero if any engine failed.
// BROWSERS_SERIAL=1 runs the engines one after another (less memory, about twice the time).
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { selectedEngines } from './find-browsers.mjs';

const bin = new URL('../../node_modules/@web/test-runner/dist/bin.js', import.meta.url).pathname;
const config = new URL('../../web-test-runner.config.mjs', import.meta.url).pathname;

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

/**
 * @param {string} engine
 * @returns {Promise<{ engine: string, code: number, ms: number }>}
 */
async function run(engine) {
  const started = Date.now();
  const child = spawn(process.execPath, [bin, '--config', config, '--static-logging'], {
    env: {
      ...process.env,
      BROWSERS: engine,
      WTR_PORT: String(await freePort()),
      NODE_OPTIONS: [process.env.NODE_OPTIONS, '--import=tsx'].filter(Boolean).join(' '),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      if (line.trim()) process.stdout.write(`[${engine}] ${line}\n`);
    });
  }
  const code = await new Promise((done) => child.on('close', (exitCode) => done(exitCode ?? 1)));
  return { engine, code, ms: Date.now() - started };
}

const engines = selectedEngines();
const results = [];
if (process.env.BROWSERS_SERIAL === '1') {
  for (const engine of engines) results.push(await run(engine));
} else {
  results.push(...(await Promise.all(engines.map(run))));
}
for (const { engine, code, ms } of results) {
  console.log(
    `[secure-chat] browser tests in ${engine}: ${code === 0 ? 'passed' : 'FAILED'} (${minutes(ms)})`,
  );
}
process.exit(results.every((result) => result.code === 0) ? 0 : 1);
