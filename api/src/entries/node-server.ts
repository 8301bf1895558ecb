/**
 * @module
 * The Node process around the server: its listening settings (`PORT`, `HOST`, `SHUTDOWN_GRACE_S`) and the
 * graceful stop on SIGTERM / SIGINT. A load balancer or orchestrator sends SIGTERM before it takes an instance away;
 * stopping then means: accept no new connection, close idle keep-alive connections, answer the requests in flight,
 * and exit 0 once they are done, or exit 1 when the grace period ran out and the rest were cut.
 */
import type { Server } from 'node:http';
import { ConfigError } from '../config.js';

export type HttpServer = Pick<Server, 'close' | 'closeIdleConnections' | 'closeAllConnections'>;

export interface ServerSettings {
  readonly port: number;
  readonly hostname: string;
  readonly shutdownGraceMs: number;
}

/** @throws ConfigError naming each invalid variable, like `readConfig`. */
export function readServerSettings(env: Record<string, string | undefined>): ServerSettings {
  const problems: string[] = [];
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      problems.push(`${name} must be an integer from ${min} to ${max}`);
      return fallback;
    }
    return Number(raw);
  };
  const settings = {
    port: int('PORT', 8787, 0, 65_535),
    hostname: env.HOST?.trim() || '127.0.0.1',
    shutdownGraceMs: int('SHUTDOWN_GRACE_S', 10, 0, 300) * 1000,
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return settings;
}

/**
 * Stops accepting connections and waits for the open ones to finish, closing each as soon as it is idle (a
 * keep-alive connection becomes idle once its response is sent). After `graceMs` the rest are cut.
 * @returns whether every connection finished within `graceMs`
 */
export async function drainServer(server: HttpServer, graceMs: number): Promise<boolean> {
  const closed = new Promise<true>((done) => server.close(() => done(true)));
  server.closeIdleConnections();
  const sweep = setInterval(() => server.closeIdleConnections(), 50);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<false>((done) => (timer = setTimeout(() => done(false), graceMs)));
  const finished = await Promise.race([closed, expired]);
  clearInterval(sweep);
  clearTimeout(timer);
  if (!finished) {
    server.closeAllConnections();
    await closed;
  }
  return finished;
}

/**
 * On the first SIGTERM or SIGINT, drains `api` and exits: 0 when every request finished, 1 when the grace period
 * cut some. One JSON line on stderr says which. A second signal during the drain is ignored: the grace period
 * already bounds it.
 */
export function stopOnSignals(api: { drain(graceMs: number): Promise<boolean> }, graceMs: number): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    const line = (event: string) =>
      console.error(JSON.stringify({ time: new Date().toISOString(), level: 'info', event, signal }));
    line('shutdown-started');
    api.drain(graceMs).then(
      (finished) => {
        line(finished ? 'shutdown-complete' : 'shutdown-grace-expired');
        process.exit(finished ? 0 : 1);
      },
      () => {
        line('shutdown-failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
