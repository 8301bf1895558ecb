// A @web/test-runner reporter that prints how long each test file took (from its page starting to load to its
// results), slowest first, once the run finishes: the numbers docs/browsers.md keeps to hold `npm test` within
// its time budget.

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
        if (session.status === 'INITIALIZING') started.set(session.id, Date.now());
        if (session.status === 'FINISHED' && started.has(session.id))
          took.set(session.testFile, Date.now() - (started.get(session.id) ?? Date.now()));
      });
    },
    onTestRunFinished() {
      const rows = [...took].sort((a, b) => b[1] - a[1]).slice(0, top);
      if (rows.length === 0) return;
      const total = [...took.values()].reduce((sum, ms) => sum + ms, 0);
      console.log(`Slowest test files (all ${took.size} took ${seconds(total)}):`);
      for (const [file, ms] of rows)
        console.log(`  ${seconds(ms).padStart(8)}  ${file.replace(process.cwd() + '/', '')}`);
    },
  };
}
