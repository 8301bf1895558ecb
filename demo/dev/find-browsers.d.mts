export { findChromium } from './find-chromium.mjs';

export type Engine = 'chromium' | 'firefox' | 'webkit';
/** The engines, in the order the suite runs them. */
export const ENGINES: readonly Engine[];
/** $FIREFOX_PATH, then Debian's firefox-esr, then a plain firefox. */
export function findFirefox(env?: NodeJS.ProcessEnv): string | undefined;
/** WebKitGTK's WebDriver server and MiniBrowser ($WEBKIT_DRIVER_PATH, $WEBKIT_BROWSER_PATH, then Debian's). */
export function findWebKit(env?: NodeJS.ProcessEnv): { driver: string; browser: string } | undefined;
/** True when there is no display, so MiniBrowser must run under xvfb-run. */
export function needsXvfb(env?: NodeJS.ProcessEnv): boolean;
export function findXvfbRun(): string | undefined;
/** The engines to test: $BROWSERS (comma-separated), else all three. */
export function selectedEngines(env?: NodeJS.ProcessEnv): Engine[];
