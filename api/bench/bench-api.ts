/**
 * `npm run bench:api`: prints requests/s and p50/p99 latency for the token API and a minimal Express
 * baseline, and their ratio (goal: ≥ 3× the baseline's requests/s at no worse p99).
 * `BENCH_DURATION_S` and `BENCH_CONNECTIONS` override the defaults (10 s, 10 connections).
 */
import { runApiBench } from './run-api-bench.js';
import type { LoadResult } from './run-api-bench.js';

const result = await runApiBench({
  durationS: Number(process.env.BENCH_DURATION_S ?? 10),
  connections: Number(process.env.BENCH_CONNECTIONS ?? 10),
});
const row = (name: string, r: LoadResult) =>
  `| ${name} | ${r.requestsPerSecond.toFixed(0)} | ${r.p50Ms.toFixed(1)} | ${r.p99Ms.toFixed(1)} | ${r.non2xx + r.errors} |`;
console.log('| server | req/s | p50 ms | p99 ms | non-2xx + errors |');
console.log('| --- | ---: | ---: | ---: | ---: |');
console.log(row('token API (Hono, POST /v1/session)', result.api));
console.log(row('baseline (minimal Express 4)', result.baseline));
const p99Ok = result.api.p99Ms <= result.baseline.p99Ms;
console.log(
  `\nratio: ${result.ratio.toFixed(2)}× requests/s; p99 ${p99Ok ? 'no worse' : 'WORSE'} than the baseline; goal ≥ 3× at no worse p99: ${result.ratio >= 3 && p99Ok ? 'met' : 'NOT met'}`,
);
