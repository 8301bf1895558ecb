// Browser tests in three engines, against the real clients and the local cloud: Debian's Chromium through
// Playwright, Debian's Firefox ESR over WebDriver BiDi (puppeteer-core) and WebKitGTK's MiniBrowser through
// WebKitWebDriver. `BROWSERS=chromium,firefox` picks engines; `npm run test:browser` (demo/dev/test-browsers.mjs)
// runs each engine's files in shards, one runner per shard, side by side. See docs/browsers.md.
// Loaded with `--import tsx` so that test-stack plugins written in TypeScript can be imported.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter } from '@web/test-runner';
import { chromeLauncher, puppeteerCore } from '@web/test-runner-chrome';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { browserTestFiles } from './demo/dev/browser-test-files.mjs';
import { fileTimesReporter } from './demo/dev/wtr-file-times.mjs';
import { findChromium, findFirefox, findWebKit, selectedEngines } from './demo/dev/find-browsers.mjs';
import { webkitLauncher } from './demo/dev/webkit-launcher.ts';
import { localStackForTests } from './demo/dev/wtr-stack.ts';
import { streamCloudPlugin } from './demo/local-cloud/stream/test/wtr-stream-plugin.ts';
import { virgilCloudPlugin } from './demo/local-cloud/virgil/test/wtr-virgil-plugin.ts';
import { screenshotPlugin } from './widget/test/screenshot-plugin.ts';
import { screenshotComparePlugin } from './widget/test/screenshot-compare-plugin.ts';
import { touchPlugins } from './widget/test/touch-plugin.ts';

const missing = (engine) => new Error(`No ${engine} found: run \`node demo/dev/ensure-browsers.mjs\` first.`);

const launchers = {
  chromium() {
    const executablePath = findChromium();
    if (!executablePath) throw missing('Chromium');
    return playwrightLauncher({
      product: 'chromium',
      // UTC and en-US, so times and dates in screenshots do not depend on the machine's settings. No `hasTouch`:
      // it would make every test a touch screen (`pointer: coarse`); the tests that need one turn it on
      // (widget/test/touch-plugin.ts).
      createBrowserContext: ({ browser }) => browser.newContext({ timezoneId: 'UTC', locale: 'en-US' }),
      launchOptions: {
        executablePath,
        headless: true,
        args: [
          '--no-sandbox',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      },
    });
  },
  firefox() {
    const executablePath = findFirefox();
    if (!executablePath) throw missing('Firefox');
    // Playwright's Firefox needs its own patched build; Debian's is driven over WebDriver BiDi instead.
    return chromeLauncher({
      puppeteer: puppeteerCore,
      launchOptions: { browser: 'firefox', executablePath, headless: true },
    });
  },
  webkit() {
    if (!findWebKit()) throw missing('WebKitWebDriver and MiniBrowser');
    return webkitLauncher();
  },
};

/** Plugins that start stand-ins or helpers for the browser tests; each serves its own `/__…` routes. */
const localStack = localStackForTests();

/** With `WIDGET_DIST=name`, tests that load /dist/widget/… get the build in dist/<name>/ (see rollup.config.ts). */
const widgetDist = process.env.WIDGET_DIST;
function widgetDistRewrite(ctx, next) {
  if (widgetDist && ctx.url.startsWith('/dist/widget/'))
    ctx.url = ctx.url.replace('/dist/widget/', `/dist/${widgetDist}/`);
  return next();
}
const stackPlugins = [
  virgilCloudPlugin(),
  streamCloudPlugin(),
  localStack.plugin,
  screenshotPlugin(),
  screenshotComparePlugin(),
  ...touchPlugins(),
];

// The esbuild plugin (below) reads one tsconfig without following `extends`: tsconfig.base.json holds the options
// that matter (legacy decorators and assigned class fields, which Lit elements imported from widget/src need).
export default {
  // demo/dev/test-browsers.mjs hands each runner its shard of the engine's files (demo/dev/browser-test-files.mjs).
  files: process.env.WTR_SHARD_FILES?.split(',') ?? browserTestFiles(selectedEngines()),
  // demo/dev/test-browsers.mjs gives each runner its own port.
  ...(process.env.WTR_PORT ? { port: Number(process.env.WTR_PORT) } : {}),
  // The whole stack (both stand-ins + token API) under /__stack/*, answered before any file serving.
  middleware: [localStack.middleware, widgetDistRewrite],
  nodeResolve: { browser: true, exportConditions: ['browser', 'import', 'default'] },
  concurrency: 1,
  concurrentBrowsers: 1,
  browserStartTimeout: 60_000,
  testsStartTimeout: 120_000,
  testsFinishTimeout: 600_000,
  testFramework: { config: { timeout: 60_000 } },
  reporters: [defaultReporter(), fileTimesReporter()],
  browsers: selectedEngines().map((engine) => launchers[engine]()),
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: './tsconfig.base.json' }), ...stackPlugins],
};
