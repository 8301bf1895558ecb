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
  },
});
