/**
 * A @web/test-runner launcher for WebKitGTK (MiniBrowser through `WebKitWebDriver`): one window, one test file at a
 * time. It reports type `webdriver` and implements `sendKeys`/`setWindowSize`, so @web/test-runner-commands'
 * `sendKeys` works in it as with the runner's own WebDriver launcher; that launcher needs webdriverio, which this
 * small client replaces.
 */
import type { BrowserLauncher, SessionResult } from '@web/test-runner-core';
import { WebKitWindow } from './webkit-driver.js';

class WebKitLauncher implements BrowserLauncher {
  readonly name = 'WebKit';
  readonly type = 'webdriver';
  readonly concurrency = 1;
  private session: WebKitWindow | undefined;
  private starting: Promise<WebKitWindow> | undefined;
  private readonly urls = new Map<string, string>();

  private async window(): Promise<WebKitWindow> {
    this.starting ??= WebKitWindow.open().then(async (window) => {
      // A desktop-sized window (the runner's setViewport command does not reach WebDriver launchers).
      await window.setWindowSize(1280, 1024);
      return (this.session = window);
    });
    return this.starting;
  }

  async startSession(id: string, url: string): Promise<void> {
    const window = await this.window();
    this.urls.set(id, url);
    // Navigation answers once the page has loaded; the tests report over the runner's own websocket.
    await window.navigate(url);
  }

  isActive(id: string): boolean {
    return this.urls.has(id);
  }

  getBrowserUrl(id: string): string | undefined {
    return this.urls.get(id);
  }

  async stopSession(id: string): Promise<SessionResult> {
    // A blank page stops whatever the finished file left running (timers, sockets, E3Kit workers).
    await this.session?.navigate('about:blank');
    this.urls.delete(id);
    return {};
  }

  async startDebugSession(): Promise<void> {
    throw new Error('Debugging is not supported in WebKit; run the file in Chromium with --manual instead.');
  }

  /** Used by @web/test-runner-commands' sendKeys for `webdriver` launchers. */
  async sendKeys(_id: string, keys: string[]): Promise<void> {
    await (await this.window()).sendKeys(keys);
  }

  async setWindowSize(_id: string, width: number, height: number): Promise<void> {
    await (await this.window()).setWindowSize(width, height);
  }

  async stop(): Promise<void> {
    await this.session?.close();
    this.session = undefined;
    this.starting = undefined;
  }
}

export function webkitLauncher(): BrowserLauncher {
  return new WebKitLauncher();
}
