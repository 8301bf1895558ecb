import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { passwordLists } from './widget/scripts/password-lists.js';

// Node-side tests. Files named *.browser.test.ts run in Chromium under @web/test-runner instead.
export default defineConfig({
  // The password estimator's word lists are a build-time module (see the plugin).
  plugins: [passwordLists()],
  test: {
    include: ['{widget,api,demo}/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'dist/**', '**/*.browser.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's default, one worker fewer than the cores, runs the files one at a time on two cores; most of them wait
    // (on the browsers and servers they start, on npm), so two side by side take about two thirds of the time.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
