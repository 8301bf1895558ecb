/**
 * The token API benchmark: this API's `POST /v1/session` (portal JWT verified, both tokens issued, audit line
 * written) against a minimal Express baseline issuing the same two tokens. Each server runs in its own
 * process on loopback; autocannon drives them one after the other from this process with the same settings.
 * `runApiBench()` is reused by the combined benchmark table.
 */
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { SignJWT } from 'jose';

export interface LoadResult {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly non2xx: number;
  readonly errors: number;
}

export interface ApiBenchResult {
  readonly api: LoadResult;
  readonly baseline: LoadResult;
  /** api / baseline requests per second. */
  readonly ratio: number;
}

export interface ApiBenchOptions {
  /** Seconds per run (default 10). */
  readonly durationS?: number;
  /** Concurrent connections (default 10). */
  readonly connections?: number;
}

const ORIGIN = 'https://portal.bench';

/**
 * Runs both servers under the same load and reports requests/s and latency percentiles.
 * @example const { api, baseline, ratio } = await runApiBench({ durationS: 5 });
 */
export async function runApiBench(opts: ApiBenchOptions = {}): Promise<ApiBenchResult> {
  const env = benchEnv();
  const now = Math.floor(Date.now() / 1000);
  const portal = await new SignJWT({ sub: 'bench-patient', name: 'Bench Patient' })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(env.PORTAL_JWT_ISSUER)
    .setAudience(env.PORTAL_JWT_AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .sign(new TextEncoder().encode(env.PORTAL_JWT_SECRET));

  const api = await measure('api', env, {
    path: '/v1/session',
    // What a browser sends for `fetch(url, { method: 'POST', headers: { authorization } })`.
    headers: { origin: ORIGIN, authorization: `Bearer ${portal}`, 'content-length': '0' },
    opts,
  });
  const baseline = await measure('baseline', env, {
    path: '/session',
    headers: { origin: ORIGIN, 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'bench-patient' }),
    opts,
  });
  return { api, baseline, ratio: api.requestsPerSecond / baseline.requestsPerSecond };
}

function benchEnv() {
  const hex = (n: number) => randomBytes(n).toString('hex');
  const { privateKey } = generateKeyPairSync('ed25519');
  return {
    ALLOWED_ORIGINS: ORIGIN,
    PORTAL_JWT_SECRET: hex(32),
    PORTAL_JWT_ISSUER: 'https://portal.bench/auth',
    PORTAL_JWT_AUDIENCE: 'secure-chat',
    USER_ID_SECRET: hex(32),
    STREAM_API_KEY: `bench${hex(4)}`,
    STREAM_API_SECRET: hex(32),
    VIRGIL_APP_ID: hex(16),
    VIRGIL_APP_KEY_ID: hex(16),
    VIRGIL_APP_KEY: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
    // Limits far above the load, so the benchmark measures issuance, not refusals.
    RATE_LIMIT_WINDOW_S: '1',
    RATE_LIMIT_PER_USER: '100000',
    RATE_LIMIT_PER_IP: '1000000',
  } satisfies Record<string, string>;
}

async function measure(
  kind: 'api' | 'baseline',
  env: Record<string, string>,
  target: { path: string; headers: Record<string, string>; body?: string; opts: ApiBenchOptions },
): Promise<LoadResult> {
  const { child, url } = await startServer(kind, env);
  try {
    const run = (duration: number) =>
      autocannon({
        url: `${url}${target.path}`,
        method: 'POST',
        headers: target.headers,
        ...(target.body !== undefined ? { body: target.body } : {}),
        connections: target.opts.connections ?? 10,
        duration,
      });
    await run(1); // warm-up: JIT, key imports, WASM init
    const result = await run(target.opts.durationS ?? 10);
    return {
      requestsPerSecond: result.requests.average,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      non2xx: result.non2xx,
      errors: result.errors + result.timeouts,
    };
  } finally {
    child.kill('SIGTERM');
  }
}

function startServer(
  kind: string,
  env: Record<string, string>,
): Promise<{ child: ChildProcess; url: string }> {
  const script = fileURLToPath(new URL('./servers.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script, kind], {
    env: { ...process.env, BENCH_ENV: JSON.stringify(env), NODE_ENV: 'benchmark' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const ready = /READY (\S+)/.exec(stderr);
      if (ready?.[1]) resolve({ child, url: ready[1] });
    });
    child.once('exit', (code) =>
      reject(new Error(`${kind} server exited (${code}) before it was ready: ${stderr.slice(0, 500)}`)),
    );
  });
}
