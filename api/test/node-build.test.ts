/**
 * The compiled Node entry, as a deployment runs it: `npm run build:api` output started with plain `node` (no tsx,
 * no loader), then stopped with SIGTERM while a request is in flight.
 */
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { connect } from 'node:net';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testSecrets } from './helpers.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const entry = `${root}dist/api/node.js`;

/** Stands in for Stream and Virgil: answers every request with a 500 after `delayMs`, and counts arrivals. */
function slowUpstream(delayMs: number): Promise<{ url: string; arrivals: () => number; server: Server }> {
  let arrivals = 0;
  const server = createServer((req, res) => {
    arrivals += 1;
    req.resume();
    setTimeout(() => res.writeHead(500, { 'content-type': 'application/json' }).end('{}'), delayMs);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({ url: `http://127.0.0.1:${port}`, arrivals: () => arrivals, server });
    }),
  );
}

interface Started {
  readonly child: ChildProcess;
  readonly url: string;
  readonly exited: Promise<number | null>;
  stderr(): string;
}

/** Starts the built entry with plain `node` and only the variables given (no NODE_OPTIONS, no loader). */
async function startBuilt(env: Record<string, string>): Promise<Started> {
  const child = spawn(process.execPath, [entry], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += String(chunk)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      stdout += String(chunk);
      const match = /listening on (http:\/\/\S+)/.exec(stdout);
      if (match) resolve(match[1]!);
    });
    void exited.then((code) => reject(new Error(`exited ${code} before listening: ${stderr}`)));
  });
  return { child, url, exited, stderr: () => stderr };
}

function refusesConnections(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => (socket.destroy(), resolve(false)));
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED'));
  });
}

let upstream: Awaited<ReturnType<typeof slowUpstream>>;
beforeAll(async () => {
  execFileSync(process.execPath, [`${root}api/scripts/build-node.mjs`], { cwd: root, stdio: 'pipe' });
  upstream = await slowUpstream(2_000);
}, 60_000);
afterAll(() => {
  upstream?.server.closeAllConnections();
  upstream?.server.close();
});

describe('the compiled Node entry (dist/api/node.js)', () => {
  it('imports nothing but Node built-ins and the runtime dependencies', () => {
    const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const code = readFileSync(entry, 'utf8');
    const specifiers = new Set(
      [...code.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)["']([^"']+)["']/g)].map((match) => match[1]!),
    );
    expect(specifiers.size).toBeGreaterThan(0);
    const packageOf = (spec: string) =>
      spec
        .split('/')
        .slice(0, spec.startsWith('@') ? 2 : 1)
        .join('/');
    const outside = [...specifiers].filter(
      (spec) =>
        !spec.startsWith('node:') && !builtinModules.includes(spec) && !(packageOf(spec) in pkg.dependencies),
    );
    expect(outside).toEqual([]);
  });

  it('on SIGTERM: refuses new connections, finishes the request in flight, exits 0', async () => {
    const { env } = testSecrets({
      STREAM_BASE_URL: upstream.url,
      VIRGIL_API_URL: `${upstream.url}/virgil`,
      AUDIT_LOG: 'off',
      PORT: '0',
      SHUTDOWN_GRACE_S: '10',
    });
    const api = await startBuilt(env);
    // An idle keep-alive connection must not hold the stop up.
    expect((await fetch(`${api.url}/healthz`)).status).toBe(200);
    const before = upstream.arrivals();
    // The deep check waits on the (slow) Stream and Virgil stand-in: a request in flight.
    let settled = false;
    const inFlight = fetch(`${api.url}/healthz?deep=1`).finally(() => (settled = true));
    await expect.poll(() => upstream.arrivals() > before, { timeout: 5_000 }).toBe(true);

    api.child.kill('SIGTERM');
    await expect.poll(() => refusesConnections(api.url), { timeout: 5_000, interval: 20 }).toBe(true);
    // Refused while the request was still waiting on the upstream.
    expect(settled).toBe(false);
    const answered = await inFlight;
    expect(answered.status).toBe(503);
    expect(await answered.json()).toMatchObject({
      stream: { reachable: false },
      virgil: { reachable: false },
    });
    expect(await api.exited).toBe(0);
    expect(api.stderr()).toContain('"event":"shutdown-complete"');
  });

  it('stops the same way on SIGINT (Ctrl-C)', async () => {
    const { env } = testSecrets({ AUDIT_LOG: 'off', PORT: '0' });
    const api = await startBuilt(env);
    expect((await fetch(`${api.url}/healthz`)).status).toBe(200);
    api.child.kill('SIGINT');
    expect(await api.exited).toBe(0);
    expect(api.stderr()).toMatch(/"event":"shutdown-complete","signal":"SIGINT"/);
  });

  it('cuts what is still in flight when SHUTDOWN_GRACE_S runs out, and exits 1', async () => {
    const slower = await slowUpstream(5_000);
    try {
      const { env } = testSecrets({
        STREAM_BASE_URL: slower.url,
        VIRGIL_API_URL: `${slower.url}/virgil`,
        AUDIT_LOG: 'off',
        PORT: '0',
        SHUTDOWN_GRACE_S: '1',
      });
      const api = await startBuilt(env);
      const inFlight = fetch(`${api.url}/healthz?deep=1`).then(
        () => 'answered',
        () => 'cut',
      );
      await expect.poll(() => slower.arrivals() > 0, { timeout: 5_000 }).toBe(true);
      const signalled = Date.now();
      api.child.kill('SIGTERM');
      expect(await api.exited).toBe(1);
      expect(Date.now() - signalled).toBeLessThan(4_000);
      expect(await inFlight).toBe('cut');
      expect(api.stderr()).toContain('"event":"shutdown-grace-expired"');
    } finally {
      slower.server.closeAllConnections();
      slower.server.close();
    }
  });

  it('refuses to start on an invalid SHUTDOWN_GRACE_S, naming it', async () => {
    const { env } = testSecrets({ PORT: '0', SHUTDOWN_GRACE_S: 'soon' });
    await expect(startBuilt(env)).rejects.toThrow(/SHUTDOWN_GRACE_S must be an integer from 0 to 300/);
  });
});
