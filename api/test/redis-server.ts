/**
 * A real, throwaway redis-server for the rate-limit tests: loopback only, a free port, a temp folder, no
 * persistence. `kill()` simulates an outage (SIGKILL, no goodbye); `restart()` brings it back on the same port.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRedisServer } from '../../demo/dev/find-redis.mjs';

export const redisServerPath = findRedisServer();
/** Why the Redis tests cannot run here, or undefined when they can. */
export const redisMissing = redisServerPath
  ? undefined
  : 'redis-server not found: run `node demo/dev/ensure-redis.mjs` (npm test does) or set REDIS_SERVER_PATH';

export interface TestRedis {
  readonly url: string;
  kill(): Promise<void>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startRedis(): Promise<TestRedis> {
  if (!redisServerPath) throw new Error(redisMissing);
  const binary = redisServerPath;
  const dir = mkdtempSync(join(tmpdir(), 'api-redis-'));
  const port = await freePort();
  let child: ChildProcess | undefined;

  // Never outlive the test process, however it ends.
  const reap = () => child?.kill('SIGKILL');
  process.once('exit', reap);

  /** Starts redis-server unless it is already running (so a second restart cannot orphan the first). */
  const launch = async (): Promise<void> => {
    if (child && child.exitCode === null && child.signalCode === null) return;
    const proc = spawn(
      binary,
      ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = proc;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += String(chunk);
        if (output.includes('Ready to accept connections')) resolve();
      };
      proc.stdout?.on('data', onData);
      proc.stderr?.on('data', onData);
      proc.once('exit', (code) => reject(new Error(`redis-server exited ${code}: ${output.slice(-500)}`)));
    });
  };
  const end = async (signal: NodeJS.Signals): Promise<void> => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill(signal);
    await exited;
  };

  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    kill: () => end('SIGKILL'),
    restart: launch,
    stop: async () => {
      await end('SIGKILL');
      process.off('exit', reap);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
