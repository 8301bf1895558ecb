/** The first usable Chromium or Chrome: $CHROMIUM_PATH, then the usual install paths. */
export function findChromium(env?: NodeJS.ProcessEnv): string | undefined;
