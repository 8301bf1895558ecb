/**
 * @module
 * The token API's production check of the Stream app: runs the policy's check, keeps the verdict (a safe one for
 * 10 minutes, anything else for 30 seconds, so running `npm run stream:setup` unblocks the API without a
 * restart), shares one check among concurrent requests, and logs one line each time the verdict changes. Problem
 * ids and HTTP statuses only: never a secret, never a token.
 */
import type { Problem } from './policy.js';

export type StreamAppVerdict =
  /** No critical problem; `problems` may still list non-critical ones. */
  | { readonly status: 'safe'; readonly problems: readonly Problem[] }
  /** Clients could change membership, or auth checks are off. */
  | { readonly status: 'unsafe'; readonly problems: readonly Problem[] }
  /** The app could not be read (network, credentials). */
  | { readonly status: 'unchecked'; readonly problems: readonly []; readonly reason: string };

export interface StreamAppGuard {
  /** The current verdict, checking again once the kept one is stale. */
  verdict(): Promise<StreamAppVerdict>;
  /** Checks now (e.g. for `/healthz?deep=1`) and keeps the result. */
  refresh(): Promise<StreamAppVerdict>;
}

export interface StreamAppGuardOptions {
  readonly check: () => Promise<readonly Problem[]>;
  readonly now: () => number;
  readonly log: (line: string) => void;
  readonly keepSafeMs?: number;
  readonly keepOtherMs?: number;
}

/** @example const guard = createStreamAppGuard({ check: () => checkStreamApp(admin), now: Date.now, log: console.error }); */
export function createStreamAppGuard(opts: StreamAppGuardOptions): StreamAppGuard {
  const keepSafeMs = opts.keepSafeMs ?? 10 * 60_000;
  const keepOtherMs = opts.keepOtherMs ?? 30_000;
  let kept: { verdict: StreamAppVerdict; until: number } | undefined;
  let inFlight: Promise<StreamAppVerdict> | undefined;
  let lastLogged = '';

  const run = async (): Promise<StreamAppVerdict> => {
    let verdict: StreamAppVerdict;
    try {
      const problems = await opts.check();
      verdict = problems.some((p) => p.critical)
        ? { status: 'unsafe', problems }
        : { status: 'safe', problems };
    } catch (err) {
      verdict = { status: 'unchecked', problems: [], reason: describe(err) };
    }
    kept = { verdict, until: opts.now() + (verdict.status === 'safe' ? keepSafeMs : keepOtherMs) };
    report(verdict);
    return verdict;
  };

  const report = (verdict: StreamAppVerdict): void => {
    const line = logLine(verdict);
    if (line !== lastLogged) opts.log(line);
    lastLogged = line;
  };

  const refresh = (): Promise<StreamAppVerdict> => {
    inFlight ??= run().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };

  return {
    async verdict() {
      if (kept && opts.now() < kept.until) return kept.verdict;
      return refresh();
    },
    refresh,
  };
}

function logLine(verdict: StreamAppVerdict): string {
  const ids = (problems: readonly Problem[]) => problems.map((p) => p.id).join(', ');
  switch (verdict.status) {
    case 'unsafe':
      return `[token-api] refusing to issue tokens: the Stream app is not configured safely (${ids(verdict.problems.filter((p) => p.critical))}); run npm run stream:setup against it`;
    case 'unchecked':
      return `[token-api] refusing to issue tokens: could not check the Stream app configuration (${verdict.reason})`;
    case 'safe':
      return verdict.problems.length === 0
        ? '[token-api] Stream app configuration checked: safe'
        : `[token-api] Stream app configuration checked: no critical problem; npm run stream:setup fixes ${ids(verdict.problems)}`;
  }
}

/**
 * Our REST adapter's messages name the call and the status; the server client's errors give Stream's error code and
 * HTTP status; network errors their code (`ECONNREFUSED`). Anything else is reduced to its name.
 */
function describe(err: unknown): string {
  if (!(err instanceof Error)) return 'unknown error';
  if (/^Stream [A-Z]+ \/[\w/.-]* answered (HTTP \d+|without \w+)$/.test(err.message)) return err.message;
  const { code, status } = err as { code?: unknown; status?: unknown };
  if (typeof code === 'number' && typeof status === 'number')
    return `Stream error code ${code}, HTTP ${status}`;
  if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return `${err.name} ${code}`;
  return err.name;
}
