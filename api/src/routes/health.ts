/**
 * @module
 * `GET /healthz`: `{ status: "ok" }` without touching anything. `GET /healthz?deep=1` also checks the Stream app
 * against the policy and whether Stream and Virgil answer with our credentials, and answers 503 when any of that
 * fails. Deep results are kept for a few seconds, so the endpoint cannot be used to flood the vendors. It reports
 * problem ids and HTTP statuses, never secrets.
 */
import { Hono } from 'hono';
import type { MiddlewareHandler } from 'hono';
import type { ApiEnv } from '../app-env.js';
import type { StreamAppGuard } from '../stream-app/guard.js';

export interface HealthDeps {
  readonly guard: StreamAppGuard;
  /** Resolves when Stream answers an authenticated call; rejects with a message naming the call and status. */
  readonly probeStream: () => Promise<void>;
  readonly probeVirgil: () => Promise<void>;
  readonly now: () => number;
  /** Applied to deep checks only (they call the vendors). */
  readonly deepLimit: MiddlewareHandler<ApiEnv>;
  readonly keepMs?: number;
}

interface Reachability {
  readonly reachable: boolean;
  readonly ms: number;
  readonly error?: string;
}

interface DeepReport {
  readonly status: 'ok' | 'unavailable';
  readonly streamApp: { readonly status: string; readonly problems: readonly string[] };
  readonly stream: Reachability;
  readonly virgil: Reachability;
}

export function healthRoutes(deps: HealthDeps): Hono<ApiEnv> {
  const routes = new Hono<ApiEnv>();
  const keepMs = deps.keepMs ?? 10_000;
  let kept: { report: Promise<DeepReport>; until: number } | undefined;

  const reach = async (probe: () => Promise<void>): Promise<Reachability> => {
    const started = deps.now();
    try {
      await probe();
      return { reachable: true, ms: deps.now() - started };
    } catch (err) {
      const error =
        err instanceof Error && /^(Stream|Virgil) /.test(err.message) ? err.message : 'unreachable';
      return { reachable: false, ms: deps.now() - started, error };
    }
  };

  const deepReport = async (): Promise<DeepReport> => {
    const [verdict, stream, virgil] = await Promise.all([
      deps.guard.refresh(),
      reach(deps.probeStream),
      reach(deps.probeVirgil),
    ]);
    const ok = verdict.status === 'safe' && stream.reachable && virgil.reachable;
    return {
      status: ok ? 'ok' : 'unavailable',
      streamApp: { status: verdict.status, problems: verdict.problems.map((p) => p.id) },
      stream,
      virgil,
    };
  };

  routes.get('/', async (c, next) => {
    if (c.req.query('deep') === undefined) return c.json({ status: 'ok' });
    return next();
  });
  routes.get('/', deps.deepLimit, async (c) => {
    if (!kept || deps.now() >= kept.until) kept = { report: deepReport(), until: deps.now() + keepMs };
    const report = await kept.report;
    c.header('Cache-Control', 'no-store');
    return c.json(report, report.status === 'ok' ? 200 : 503);
  });
  return routes;
}
