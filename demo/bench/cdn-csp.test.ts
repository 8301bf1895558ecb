/**
 * Delivery under a strict CSP from a CDN: the portal page (localhost) serves the strict policy of the demo portal,
 * widened only by the CDN origin; the built widget comes from another origin (127.0.0.1) with CORS, loaded by a
 * script tag with `integrity` + `crossorigin`. Two widgets register, exchange a message and read it, with no
 * violation reports. Needs a build (`npm run build`), like the bundle budget tests.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { widgetDist } from '../../widget/scripts/bundle-size.js';
import { generateDevSecrets } from '../dev/dev-secrets.js';
import { findChromium } from '../dev/find-chromium.mjs';
import { LocalStack } from '../dev/local-stack.js';
import { contentSecurityPolicy } from '../portal/server.js';

const dist = resolve(widgetDist());
const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.html': 'text/html',
  '.wasm': 'application/wasm',
};

function listen(server: Server, host: string): Promise<string> {
  return new Promise((ok) =>
    server.listen(0, host, () => ok(`http://${host}:${(server.address() as { port: number }).port}`)),
  );
}

let stack: LocalStack;
let browser: Browser;
let cdn: Server;
let portal: Server;
let cdnOrigin: string;
let portalOrigin: string;
let dataDir: string;

beforeAll(async () => {
  if (!existsSync(join(dist, 'secure-chat.js.sri'))) throw new Error('run `npm run build` before the tests');
  // The CDN: the built widget with CORS, as a customer's CDN would serve it.
  cdn = createServer((req, res) => {
    const file = join(dist, new URL(req.url ?? '/', 'http://cdn').pathname);
    if (!file.startsWith(dist) || !existsSync(file)) return res.writeHead(404).end();
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'access-control-allow-origin': '*',
    });
    res.end(readFileSync(file));
  });
  cdnOrigin = await listen(cdn, '127.0.0.1');

  let csp = '';
  portal = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://portal');
    if (url.pathname === '/token') {
      const peers = (url.searchParams.get('peers') ?? '').split(',').filter(Boolean);
      void stack
        .mintSessionToken({ sub: url.searchParams.get('sub') ?? '', peers: peers.map((sub) => ({ sub })) })
        .then((token) =>
          res.writeHead(200, { 'content-type': 'text/plain', 'content-security-policy': csp }).end(token),
        );
      return;
    }
    const integrity = readFileSync(join(dist, 'secure-chat.js.sri'), 'utf8').trim();
    const body =
      url.pathname === '/page.js'
        ? readFileSync(join(import.meta.dirname, 'page.js'))
        : `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>portal</title>
<script type="module" src="${cdnOrigin}/secure-chat.js" integrity="${integrity}" crossorigin="anonymous"></script>
<script type="module" src="/page.js"></script></head><body></body></html>`;
    res.writeHead(200, {
      'content-type': url.pathname === '/page.js' ? 'text/javascript' : 'text/html',
      'content-security-policy': csp,
    });
    res.end(body);
  });
  portalOrigin = await listen(portal, 'localhost');
  dataDir = mkdtempSync(join(tmpdir(), 'secure-chat-cdn-'));
  stack = await LocalStack.start({
    dataDir,
    secrets: generateDevSecrets(),
    allowedOrigins: [portalOrigin],
    audit: () => {},
  });
  // The demo portal's policy; the only addition is the CDN origin for the widget's scripts and WASM fetch.
  csp = contentSecurityPolicy({
    apiUrl: stack.apiUrl,
    streamUrl: stack.streamUrl,
    streamCdnUrl: stack.streamCdnUrl,
    virgilUrl: stack.virgilUrl,
  })
    .replace("script-src 'self'", `script-src 'self' ${cdnOrigin}`)
    .replace("connect-src 'self'", `connect-src 'self' ${cdnOrigin}`);
  expect(csp).not.toMatch(/'unsafe-inline'|'unsafe-eval'/);
  browser = await chromium.launch({
    executablePath: findChromium(),
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  cdn?.close();
  portal?.close();
  await stack?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('widget from a CDN origin under the strict CSP', () => {
  it('registers, sends and reads with no CSP violation, every widget file from the CDN', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${portalOrigin}/?api=${encodeURIComponent(stack.apiUrl)}`);
    const alice = `alice-${Math.random().toString(36).slice(2, 8)}`;
    const bob = `bob-${Math.random().toString(36).slice(2, 8)}`;
    await page.evaluate(([a, b]) => window.bench.mount(a!, b!, `k-${a}`), [alice, bob]);
    await page.evaluate(([a, b]) => window.bench.mount(b!, a!, `k-${b}`), [alice, bob]);
    const read = await page.evaluate(
      async ([a, b]) => {
        const id = await window.bench.send(b!, 'hello over the CDN');
        await window.bench.readLatency(a!, id, performance.now());
        return id;
      },
      [alice, bob],
    );
    expect(read).toBeTruthy();

    const fetched = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
    const fromCdn = fetched.filter((u) => u.startsWith(cdnOrigin));
    expect(fromCdn.some((u) => /\/chunks\/e3kit-[\w-]+\.js$/.test(u))).toBe(true);
    expect(fromCdn.some((u) => /\/chunks\/stream-chat-[\w-]+\.js$/.test(u))).toBe(true);
    expect(fromCdn.some((u) => /\/assets\/libfoundation\.browser-[\w-]+\.wasm$/.test(u))).toBe(true);
    expect(await page.evaluate(() => window.bench.violations)).toEqual([]);
    expect(errors).toEqual([]);

    // Control: the policy is really enforced on this page (an inline script is blocked and reported).
    const inlineRan = await page.evaluate(async () => {
      const script = document.createElement('script');
      script.textContent = 'window.inlineRan = true';
      document.body.append(script);
      await new Promise((r) => setTimeout(r, 100));
      return (window as { inlineRan?: boolean }).inlineRan === true;
    });
    expect(inlineRan).toBe(false);
    expect((await page.evaluate(() => window.bench.violations)).some((v) => v.startsWith('script-src'))).toBe(
      true,
    );
  }, 120_000);
});
