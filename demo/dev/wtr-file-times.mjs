// A @web/test-runner reporter that prints how long each test file took (from its page starting to load to its
// results), slowest first, once the run finishes, and writes them to $WTR_TIMES_FILE when set: the numbers
// demo/dev/test-browsers.mjs splits the files by, to hold `npm test` within its time budget.
import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';

/** @param {number} ms */
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

/** @returns {import('@web/test-runner').Reporter} */
export function fileTimesReporter({ top = 12 } = {}) {
  /** @type {Map<string, number>} */
  const started = new Map();
  /** @type {Map<string, number>} */
  const took = new Map();
  return {
    start({ sessions }) {
      sessions.on('session-status-updated', (session) => {
        // The first file may be past INITIALIZING before the reporter starts listening.
        if (session.status !== 'SCHEDULED' && !started.has(session.id)) started.set(session.id, Date.now());
        if (session.status === 'FINISHED' && started.has(session.id))
          took.set(
            relative(process.cwd(), session.testFile),
            Date.now() - (started.get(session.id) ?? Date.now()),
          );
      });
    },
    onTestRunFinished() {
      if (process.env.WTR_TIMES_FILE)
        writeFileSync(process.env.WTR_TIMES_FILE, JSON.stringify(Object.fromEntries(took)));
      const rows = [...took].sort((a, b) => b[1] - a[1]).slice(0, top);
      if (rows.length === 0) return;
      const total = [...took.values()].reduce((sum, ms) => sum + ms, 0);
      console.log(`Slowest test files (all ${took.size} took ${seconds(total)}):`);
      for (const [file, ms] of rows) console.log(`  ${seconds(ms).padStart(8)}  ${file}`);
    },
  };
}
