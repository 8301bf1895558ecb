/**
 * Drives WebKitGTK's MiniBrowser through Debian's `WebKitWebDriver` over classic W3C WebDriver (the driver speaks no
 * BiDi), with just the commands the tests need. MiniBrowser has no headless mode, so without a display the driver
 * runs under `xvfb-run`. Used by the test-runner launcher and by the Node-side end-to-end tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { findWebKit, findXvfbRun, needsXvfb } from './find-browsers.mjs';

/** WebDriver's code points for the keys tests press by name. */
const KEYS: Record<string, string> = {
  Enter: '\uE007',
  Tab: '\uE004',
  Escape: '\uE00C',
  Backspace: '\uE003',
  ArrowUp: '\uE013',
  ArrowDown: '\uE015',
  ArrowLeft: '\uE012',
  ArrowRight: '\uE014',
  Shift: '\uE008',
  Space: ' ',
};

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
    server.on('error', fail);
  });
}

/**
 * One running `WebKitWebDriver` (under Xvfb when needed). The driver allows one session at a time, so each window,
 * a fresh MiniBrowser, gets its own driver: see `WebKitWindow.open()`.
 */
class WebKitDriver {
  private constructor(
    private readonly process: ChildProcess,
    readonly url: string,
    readonly browserPath: string,
  ) {}

  static async start(): Promise<WebKitDriver> {
    const found = findWebKit();
    if (!found)
      throw new Error('No WebKitWebDriver/MiniBrowser found: run `node demo/dev/ensure-browsers.mjs`.');
    const port = await freePort();
    const driverArgs = [found.driver, `--port=${port}`, '--host=127.0.0.1'];
    const xvfbRun = needsXvfb() ? findXvfbRun() : undefined;
    if (needsXvfb() && !xvfbRun) throw new Error('MiniBrowser needs a display: install xvfb or set DISPLAY.');
    const [command, ...args] = xvfbRun
      ? [xvfbRun, '-a', '-s', '-screen 0 1280x1024x24', ...driverArgs]
      : driverArgs;
    // Xvfb has no GPU, so accelerated compositing runs on Mesa's software GL: about 40% more CPU for the same tests
    // on a 2-core machine, where the engines run side by side. Layout, script, storage and events are unchanged.
    const env = xvfbRun ? { WEBKIT_DISABLE_COMPOSITING_MODE: '1', ...process.env } : process.env;
    // Its own process group, so stop() ends Xvfb, the driver and MiniBrowser together.
    const child = spawn(command!, args, { detached: true, stdio: 'ignore', env });
    const driver = new WebKitDriver(child, `http://127.0.0.1:${port}`, found.browser);
    const stop = () => driver.stop();
    process.once('exit', stop);
    child.once('exit', () => process.off('exit', stop));
    await driver.waitUntilReady();
    return driver;
  }

  private async waitUntilReady(): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (this.process.exitCode !== null)
        throw new Error(`WebKitWebDriver exited (${this.process.exitCode})`);
      try {
        const res = await fetch(`${this.url}/status`);
        if (res.ok && ((await res.json()) as { value?: { ready?: boolean } }).value?.ready) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    this.stop();
    throw new Error('WebKitWebDriver did not start within 30 s');
  }

  stop(): void {
    if (this.process.pid && this.process.exitCode === null) {
      try {
        process.kill(-this.process.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  }
}

/** A MiniBrowser window with its own driver and its own storage: a fresh device. */
export class WebKitWindow {
  private constructor(
    private readonly driver: WebKitDriver,
    private readonly base: string,
  ) {}

  static async open(): Promise<WebKitWindow> {
    const driver = await WebKitDriver.start();
    try {
      const { sessionId } = await command<{ sessionId: string }>(
        `${driver.url}/session`,
        'POST',
        {
          capabilities: {
            alwaysMatch: {
              browserName: 'MiniBrowser',
              'webkitgtk:browserOptions': { binary: driver.browserPath, args: ['--automation'] },
            },
          },
        },
        // Without a display, session creation hangs instead of failing.
        60_000,
      );
      return new WebKitWindow(driver, `${driver.url}/session/${sessionId}`);
    } catch (error) {
      driver.stop();
      throw error;
    }
  }

  navigate(url: string): Promise<unknown> {
    return command(`${this.base}/url`, 'POST', { url });
  }

  currentUrl(): Promise<string> {
    return command<string>(`${this.base}/url`, 'GET');
  }

  refresh(): Promise<unknown> {
    return command(`${this.base}/refresh`, 'POST', {});
  }

  /** Runs `script` (a function body) with `args`; `arguments[arguments.length - 1]` is the async callback. */
  executeAsync<T>(script: string, args: unknown[] = []): Promise<T> {
    return command<T>(`${this.base}/execute/async`, 'POST', { script, args }, 120_000);
  }

  execute<T>(script: string, args: unknown[] = []): Promise<T> {
    return command<T>(`${this.base}/execute/sync`, 'POST', { script, args });
  }

  /** Types into the focused element: key names (`Enter`, `Tab`) or text, one key press per character. */
  async sendKeys(keys: string[]): Promise<void> {
    const chars = keys.flatMap((key) => (KEYS[key] !== undefined ? [KEYS[key]] : [...key]));
    const actions = chars.flatMap((value) => [
      { type: 'keyDown', value },
      { type: 'keyUp', value },
    ]);
    await command(`${this.base}/actions`, 'POST', { actions: [{ type: 'key', id: 'keyboard', actions }] });
    await command(`${this.base}/actions`, 'DELETE');
  }

  async setWindowSize(width: number, height: number): Promise<void> {
    await command(`${this.base}/window/rect`, 'POST', { width, height });
  }

  async close(): Promise<void> {
    await command(this.base, 'DELETE', undefined, 10_000).catch(() => undefined);
    this.driver.stop();
  }
}

async function command<T = unknown>(
  url: string,
  method: string,
  body?: unknown,
  timeout = 30_000,
): Promise<T> {
  const res = await fetch(url, {
    method,
    ...(body === undefined
      ? {}
      : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    signal: AbortSignal.timeout(timeout),
  });
  const json = (await res.json()) as { value: T & { error?: string; message?: string } };
  if (!res.ok)
    throw new Error(`WebDriver ${method} ${url}: ${json.value?.error} ${json.value?.message ?? ''}`);
  return json.value;
}
