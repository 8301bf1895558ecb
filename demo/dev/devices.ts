/**
 * Browser windows for Node-side end-to-end tests, the same in every engine: Chromium through Playwright, Firefox ESR
 * over WebDriver BiDi (puppeteer-core), WebKitGTK through WebKitWebDriver. Each device has its own storage (a new
 * browser context, or a new MiniBrowser), and tests act in the page with `evaluate`, so one flow runs everywhere.
 */
import { chromium, type Browser as PlaywrightBrowser } from 'playwright-core';
import puppeteer, { type Browser as PuppeteerBrowser } from 'puppeteer-core';
import { findChromium, findFirefox, type Engine } from './find-browsers.mjs';
import { WebKitWindow } from './webkit-driver.js';

export interface Device {
  goto(url: string): Promise<void>;
  /** Evaluates a JavaScript expression in the page; a promise is awaited. The result must be JSON. */
  evaluate<T>(expression: string): Promise<T>;
  reload(): Promise<void>;
  url(): Promise<string>;
  close(): Promise<void>;
}

export interface Devices {
  readonly engine: Engine;
  /** A new device: empty storage, no cookies. */
  open(): Promise<Device>;
  close(): Promise<void>;
}

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update'];

export async function launchDevices(engine: Engine): Promise<Devices> {
  if (engine === 'chromium')
    return playwrightDevices(await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS }));
  if (engine === 'firefox') {
    const browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: findFirefox(),
      headless: true,
    });
    return puppeteerDevices(browser);
  }
  return webkitDevices();
}

function playwrightDevices(browser: PlaywrightBrowser): Devices {
  return {
    engine: 'chromium',
    async open() {
      const context = await browser.newContext();
      const page = await context.newPage();
      return {
        goto: async (url) => void (await page.goto(url)),
        evaluate: (expression) => page.evaluate(expression),
        reload: async () => void (await page.reload()),
        url: async () => page.url(),
        close: () => context.close(),
      };
    },
    close: () => browser.close(),
  };
}

function puppeteerDevices(browser: PuppeteerBrowser): Devices {
  return {
    engine: 'firefox',
    async open() {
      const context = await browser.createBrowserContext();
      const page = await context.newPage();
      return {
        goto: async (url) => void (await page.goto(url)),
        evaluate: async <T>(expression: string) => (await page.evaluate(expression)) as T,
        reload: async () => void (await page.reload()),
        url: async () => page.url(),
        close: () => context.close(),
      };
    },
    close: () => browser.close(),
  };
}

function webkitDevices(): Devices {
  const windows = new Set<WebKitWindow>();
  return {
    engine: 'webkit',
    async open() {
      // WebKitWebDriver runs one session at a time: every device is its own driver and MiniBrowser.
      const window = await WebKitWindow.open();
      windows.add(window);
      return {
        goto: async (url) => void (await window.navigate(url)),
        evaluate: async <T>(expression: string) => {
          const result = await window.executeAsync<{ value?: T; error?: string }>(
            `const done = arguments[arguments.length - 1];
             Promise.resolve().then(() => (${expression})).then(
               (value) => done({ value }),
               (error) => done({ error: String(error && error.stack || error) }));`,
          );
          if (result.error !== undefined) throw new Error(result.error);
          return result.value as T;
        },
        reload: async () => void (await window.refresh()),
        url: () => window.currentUrl(),
        close: async () => {
          windows.delete(window);
          await window.close();
        },
      };
    },
    async close() {
      await Promise.all([...windows].map((window) => window.close()));
    },
  };
}
