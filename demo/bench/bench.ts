/**
 * `npm run bench`: measures the built widget (dist/widget, or dist/$WIDGET_DIST) in headless Chromium against the
 * local stack on loopback and prints one table, each goal beside its measured value, in both isolation modes
 * (`BENCH_ISOLATION=none` or `frame` picks one). The widget is served from its own origin, as a CDN would. Timings
 * are reported, never asserted. Needs `npm run build:widget` first.
 */
import { mkdtempSync, readFileSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir, cpus } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Frame, type Page } from 'playwright-core';
import { runApiBench } from '../../api/bench/run-api-bench.js';
import { findChromium } from '../dev/find-chromium.mjs';
import { generateDevSecrets } from '../dev/dev-secrets.js';
import { LocalStack } from '../dev/local-stack.js';
import { BUDGETS, isPythia, measureBundle, widgetDist } from '../../widget/scripts/bundle-size.js';

const HISTORY = 50;
const LATENCY_MESSAGES = Number(process.env.BENCH_LATENCY ?? 200);
const DECRYPT_HISTORY = Number(process.env.BENCH_DECRYPT ?? 1000);
const SCROLL_HISTORY = Number(process.env.BENCH_SCROLL ?? 10_000);
/** `BENCH_ONLY=decrypt,scroll` runs only those browser sections (while working on one); the default runs all. */
const ONLY = new Set((process.env.BENCH_ONLY ?? '').split(',').filter(Boolean));
const runs = (section: string) => ONLY.size === 0 || ONLY.has(section);
type Isolation = 'none' | 'frame';
const MODES = (process.env.BENCH_ISOLATION ?? 'none,frame')
  .split(',')
  .filter((mode): mode is Isolation => mode === 'none' || mode === 'frame');
const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.html': 'text/html',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
};

interface Row {
  goal: string;
  target: string;
  measured: string;
  met: boolean | undefined;
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const ms = (n: number) => `${n.toFixed(0)} ms`;
const signed = (n: number) => `${n >= 0 ? '+' : ''}${ms(n)}`;
const id = (name: string) => `${name}-${Math.random().toString(36).slice(2, 8)}`;

/**
 * Serves the bench page, its script, the built widget under /widget/, and portal session tokens under /token. Started
 * twice: once as the portal, once as the widget's CDN (another origin: frame isolation loads its frame from there).
 */
function startStatic(dist: string, stack: () => LocalStack): Promise<Server> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/token') {
      const peers = (url.searchParams.get('peers') ?? '').split(',').filter(Boolean);
      void stack()
        .mintSessionToken({ sub: url.searchParams.get('sub') ?? '', peers: peers.map((sub) => ({ sub })) })
        .then((token) => res.writeHead(200, { 'content-type': 'text/plain' }).end(token));
      return;
    }
    const file = url.pathname.startsWith('/widget/')
      ? join(dist, url.pathname.slice('/widget/'.length))
      : join(import.meta.dirname, url.pathname === '/' ? 'index.html' : url.pathname.slice(1));
    if (!file.startsWith(dist) && !file.startsWith(import.meta.dirname)) return res.writeHead(403).end();
    if (!existsSync(file)) return res.writeHead(404).end();
    // Hashed chunks are immutable; the entry and page revalidate (a realistic CDN setup for the warm run).
    const immutable = /\/(chunks|assets)\//.test(file);
    res.writeHead(200, {
      'access-control-allow-origin': '*',
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    res.end(readFileSync(file));
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

async function main() {
  const dist = widgetDist();
  if (!existsSync(join(dist, 'secure-chat.js')))
    throw new Error(`no build in ${dist}: run npm run build:widget`);
  const bundle = measureBundle(dist);
  const rows: Row[] = [
    {
      goal: 'First paint: entry + static imports (brotli)',
      target: '≤ 30 KB',
      measured: `${(bundle.entry.brotli / 1024).toFixed(1)} KB (total w/o Pythia and the estimator ${(bundle.totalWithoutBackupOnly.brotli / 1024).toFixed(1)} KB, budget ${BUDGETS.totalBrotliWithoutBackupOnly / 1024})`,
      met: bundle.entry.brotli <= 30 * 1024,
    },
    {
      goal: 'Frame isolation: what frame mode loads besides (brotli)',
      target: '≤ 5 KB',
      measured: `${(bundle.frameOnly.brotli / 1024).toFixed(1)} KB (host proxy, frame.js, frame.html)`,
      met: bundle.frameOnly.brotli <= 5 * 1024,
    },
  ];
  /** First decrypted message per mode (cold, warm), for the frame's cost. */
  const firstDecrypted: Partial<Record<Isolation, { cold: number; warm: number }>> = {};

  const dataDir = mkdtempSync(join(tmpdir(), 'secure-chat-bench-'));
  const live: { stack?: LocalStack } = {};
  const server = await startStatic(resolve(dist), () => live.stack!);
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const cdnServer = await startStatic(resolve(dist), () => live.stack!);
  const cdn = `http://127.0.0.1:${(cdnServer.address() as { port: number }).port}`;
  const stack2 = (live.stack = await LocalStack.start({
    dataDir,
    secrets: generateDevSecrets(),
    allowedOrigins: [base],
    frameOrigins: [cdn],
    audit: () => {},
    // Seeding pushes thousands of messages through one user in minutes; Stream's defaults (60 a minute per user and
    // endpoint, 1,000 a minute per app for sending) would turn it into hours (a real deployment imports server-side).
    stream: { rateLimits: { '*': { limit: 1_000_000, userLimit: 1_000_000 } } },
  }));

  const browser = await chromium.launch({
    executablePath: findChromium(),
    args: [
      '--no-sandbox',
      '--enable-precise-memory-info',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const context = await browser.newContext();
    // The bench helpers in the page and in every frame it opens (each widget's frame in frame isolation).
    await context.addInitScript({ path: join(import.meta.dirname, 'page.js') });
    for (const mode of MODES) rows.push(...(await measure(context, mode)));
    const { none, frame } = firstDecrypted;
    if (none && frame) {
      const cold = frame.cold - none.cold;
      const warm = frame.warm - none.warm;
      rows.push({
        goal: 'Frame isolation: added to the first decrypted message',
        target: '≤ 300 ms',
        measured: `cold ${signed(cold)}, warm ${signed(warm)} (frame against none, ${HISTORY} messages each)`,
        met: cold <= 300 && warm <= 300,
      });
    }

    const api = await runApiBench({ durationS: 5 });
    rows.push({
      goal: 'Token API vs Express baseline',
      target: 'ratio > 1',
      measured: `${api.ratio.toFixed(2)}x (${api.api.requestsPerSecond.toFixed(0)} vs ${api.baseline.requestsPerSecond.toFixed(0)} req/s)`,
      met: api.ratio > 1,
    });
  } finally {
    await browser.close();
    server.close();
    cdnServer.close();
    await stack2.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const w = [60, 32, 60];
  console.log(
    `secure-chat bench — ${cpus().length} cores, ${cpus()[0]?.model ?? ''}, Node ${process.version}`,
  );
  console.log(['goal'.padEnd(w[0]!), 'target'.padEnd(w[1]!), 'measured'.padEnd(w[2]!), 'met'].join(' | '));
  for (const r of rows) {
    const met = r.met === undefined ? '—' : r.met ? 'yes' : 'NO';
    console.log([r.goal.padEnd(w[0]!), r.target.padEnd(w[1]!), r.measured.padEnd(w[2]!), met].join(' | '));
  }

  /** Every browser section in one isolation mode; each row's goal names the mode. */
  async function measure(context: BrowserContext, mode: Isolation): Promise<Row[]> {
    const out: Row[] = [];
    const pageUrl = `${base}/?api=${encodeURIComponent(stack2.apiUrl)}&cdn=${encodeURIComponent(cdn)}&isolation=${mode}`;
    const label = (goal: string) => `${goal} [${mode}]`;

    /** Where `sub`'s widget renders: the page, or in frame isolation its frame, once the widget runs there. */
    const widgetIn = async (page: Page, sub: string): Promise<Page | Frame> => {
      if (mode === 'none') return page;
      const iframe = await page.waitForFunction(
        (s) => document.getElementById(s)?.shadowRoot?.querySelector('iframe'),
        sub,
        { timeout: 60_000 },
      );
      const frame = await iframe.asElement()?.contentFrame();
      if (!frame) throw new Error(`bench: no frame for ${sub}`);
      await frame.waitForFunction(() => window.bench && document.querySelector('secure-chat'), undefined, {
        timeout: 60_000,
      });
      return frame;
    };

    /** A fresh page with two registered widgets, `a` talking to `b` and back. */
    const pair = async (a: string, b: string) => {
      const page = await context.newPage();
      await page.goto(pageUrl);
      for (const [x, y] of [
        [a, b],
        [b, a],
      ] as const) {
        await page.evaluate(([me, peer]) => window.bench.mount(me, peer, `keys-${me}`), [x, y] as const);
        if (mode === 'frame') {
          await (await widgetIn(page, x)).evaluate(() => window.bench.skipOffer());
          await page.evaluate((me) => window.bench.ready(me), x);
        }
      }
      return page;
    };

    /** `me`'s returning widget on a fresh page (keys already in IndexedDB), opened on the conversation with `peer`. */
    const reopen = async (me: string, peer: string, page?: Page) => {
      page ??= await context.newPage();
      await page.goto(`${pageUrl}&me=${me}&peer=${peer}&storage=keys-${me}`);
      const target = await widgetIn(page, me);
      await target.waitForFunction(() => window.bench.firstDecryptedAt, undefined, { timeout: 60_000 });
      // From the page's navigation to the first decrypted text on screen (in the frame, in frame isolation).
      const firstMs =
        (await target.evaluate(() => window.bench.firstDecryptedAt!)) -
        (await page.evaluate(() => performance.timeOrigin));
      return { page, target, firstMs };
    };

    /** Registers `a` and `b`, then `b`'s widget seeds `count` real encrypted messages to `a`; resolves with the ms. */
    const seedHistory = async (a: string, b: string, count: number, concurrency: number) => {
      const seed = await pair(a, b);
      await (await widgetIn(seed, a)).evaluate((x) => window.bench.leave(x), a);
      const elapsed = await (
        await widgetIn(seed, b)
      ).evaluate(([y, n, c]) => window.bench.seedConversation(y, n, c, []), [b, count, concurrency] as const);
      await seed.close();
      return elapsed;
    };

    /** BENCH_PROFILE=dir records a CPU profile of a section into dir/<section>-<mode>.cpuprofile (for DevTools). */
    const profile = async (page: Page, section: string) => {
      if (!process.env.BENCH_PROFILE) return async () => {};
      const cdp = await context.newCDPSession(page);
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.start');
      return async () => {
        const { profile: data } = await cdp.send('Profiler.stop');
        writeFileSync(
          join(process.env.BENCH_PROFILE!, `${section}-${mode}.cpuprofile`),
          JSON.stringify(data),
        );
      };
    };

    if (runs('first')) {
      const alice = id('alice');
      const bob = id('bob');
      // Seed: both register; bob writes a 50-message history to alice through the widget's send().
      const seed = await pair(alice, bob);
      for (let i = 0; i < HISTORY; i++)
        await seed.evaluate(([b, n]) => window.bench.send(b, `history ${n}`), [bob, i] as const);
      // Pythia: fetched at all in a full normal session (register, send, read), by the page or a frame?
      const fetched: string[] = [];
      for (const frame of seed.frames())
        fetched.push(
          ...(await frame.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name))),
        );
      const pythiaFetched = fetched.filter((u) => isPythia(new URL(u).pathname));
      await seed.close();

      // Cold (HTTP cache cleared) and warm (cached) first decrypted message for the returning user.
      const returning = await context.newPage();
      const cdp = await context.newCDPSession(returning);
      await cdp.send('Network.clearBrowserCache');
      const cold = (await reopen(alice, bob, returning)).firstMs;
      const warm = (await reopen(alice, bob, returning)).firstMs;
      await returning.close();
      firstDecrypted[mode] = { cold, warm };
      out.push(
        {
          goal: label('Pythia only when needed'),
          target: 'not fetched in a normal session',
          measured: pythiaFetched.length
            ? `fetched: ${pythiaFetched.join(', ')}`
            : `not fetched (${(bundle.pythia.brotli / 1024).toFixed(1)} KB saved)`,
          met: pythiaFetched.length === 0,
        },
        {
          goal: label(`First decrypted message, ${HISTORY}-message history`),
          target: 'cold ≤ 1500 ms, warm ≤ 600 ms',
          measured: `cold ${ms(cold)}, warm ${ms(warm)}`,
          met: cold <= 1500 && warm <= 600,
        },
      );
    }

    if (runs('decrypt')) {
      // bob's widget encrypts DECRYPT_HISTORY real envelopes; alice reopens and decrypts the whole history.
      const alice = id('alice');
      const bob = id('bob');
      const seedMs = await seedHistory(alice, bob, DECRYPT_HISTORY, 16);
      const { page, target } = await reopen(alice, bob);
      const stopProfile = await profile(page, 'decrypt');
      const r = await target.evaluate(([a]) => window.bench.decryptHistory(a), [alice]);
      await stopProfile();
      await page.close();
      const rate = (r.decrypted / r.elapsed) * 1000;
      const verified = r.trust.verified ?? 0;
      console.error(`decrypt [${mode}]: seeded ${DECRYPT_HISTORY} in ${ms(seedMs)}; ${JSON.stringify(r)}`);
      out.push({
        goal: label(`History decrypt (${DECRYPT_HISTORY.toLocaleString('en')} msgs) / longest long task`),
        target: '≥ 3000 msg/s, no task > 50 ms',
        measured:
          `${rate.toFixed(0)} msg/s (${r.decrypted} in ${ms(r.elapsed)}, ${verified} verified), ` +
          `longest task ${ms(r.longest)} (${r.longTasks} > 50 ms)`,
        met: rate >= 3000 && r.longest <= 50 && verified === r.decrypted,
      });
    }

    if (runs('latency')) {
      // Send-to-read latency: bob's element sends (through the frame's proxy in frame isolation), alice's widget
      // shows the decrypted text, and alice's element reports the message (the event the portal sees).
      const alice = id('alice');
      const bob = id('bob');
      const page = await pair(alice, bob);
      const reader = await widgetIn(page, alice);
      const stopProfile = await profile(page, 'latency');
      const total: number[] = [];
      const acked: number[] = [];
      const decrypted: number[] = [];
      for (let i = 0; i < LATENCY_MESSAGES; i++) {
        const text = `latency ${i}`;
        await reader.evaluate(([a, t]) => window.bench.watchShown(a, t), [alice, text] as const);
        await page.evaluate((a) => window.bench.watchReceived(a), alice);
        const sent = await page.evaluate(([b, t]) => window.bench.timedSend(b, t), [bob, text] as const);
        const shown = await reader.evaluate(() => window.bench.watched!);
        const received = await page.evaluate(() => window.bench.received!);
        total.push(shown - sent.start);
        acked.push(sent.acked - sent.start);
        decrypted.push(received.at - sent.start);
      }
      await stopProfile();
      for (const list of [total, acked, decrypted]) list.sort((x, y) => x - y);
      await page.close();
      console.error(
        `latency [${mode}]: send acknowledged p50 ${ms(pct(acked, 50))} p95 ${ms(pct(acked, 95))}; ` +
          `reported to the page (event) p50 ${ms(pct(decrypted, 50))} p95 ${ms(pct(decrypted, 95))}`,
      );
      out.push({
        goal: label(`Send-to-read latency, ${LATENCY_MESSAGES} messages`),
        target: 'p95 ≤ 60 ms',
        measured: `p50 ${ms(pct(total, 50))}, p95 ${ms(pct(total, 95))} (event p95 ${ms(pct(decrypted, 95))})`,
        met: pct(total, 95) <= 60,
      });
    }

    if (runs('scroll')) {
      // SCROLL_HISTORY messages; alice scrolls from the newest to the first and back, paging history.
      const alice = id('alice');
      const bob = id('bob');
      const seedMs = await seedHistory(alice, bob, SCROLL_HISTORY, 24);
      const { page, target } = await reopen(alice, bob);
      const r = await target.evaluate(([a]) => window.bench.scrollThrough(a), [alice]);
      const cdp = await context.newCDPSession(page);
      await cdp.send('HeapProfiler.collectGarbage');
      const { usedSize } = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
      await page.close();
      const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
      console.error(`scroll [${mode}]: seeded ${SCROLL_HISTORY} in ${ms(seedMs)}; ${JSON.stringify(r)}`);
      out.push({
        goal: label(`Scroll ${SCROLL_HISTORY.toLocaleString('en')} messages: DOM / heap`),
        target: '≤ 150 message nodes, ≤ 60 MB',
        measured:
          `max ${r.maxNodes} message nodes (${r.loaded} loaded), heap max ${mb(r.maxHeap)}, ` +
          `${mb(usedSize)} after GC (seeded in ${(seedMs / 1000).toFixed(0)} s)`,
        met: r.loaded >= SCROLL_HISTORY && r.maxNodes <= 150 && r.maxHeap <= 60 * 1024 * 1024,
      });
    }
    return out;
  }
}

declare global {
  interface Window {
    bench: {
      mount(sub: string, peer: string, storage: string): Promise<boolean>;
      send(sub: string, text: string): Promise<string>;
      readLatency(sub: string, id: string, start: number): Promise<number>;
      firstDecrypted(sub: string): Promise<number>;
      seedConversation(sub: string, count: number, concurrency?: number, quiet?: string[]): Promise<number>;
      decryptHistory(sub: string): Promise<{
        total: number;
        decrypted: number;
        elapsed: number;
        trust: Record<string, number>;
        longest: number;
        longTasks: number;
      }>;
      scrollThrough(sub: string): Promise<{
        loaded: number;
        steps: number;
        maxNodes: number;
        maxHeap: number;
        elapsed: number;
        trust: Record<string, number>;
      }>;
      nextReceived(sub: string): Promise<{ id: string; at: number }>;
      skipOffer(): Promise<boolean>;
      ready(sub: string): Promise<boolean>;
      leave(sub: string): void;
      timedSend(sub: string, text: string): Promise<{ start: number; acked: number }>;
      watchShown(sub: string, text: string): boolean;
      watched: Promise<number> | undefined;
      watchReceived(sub: string): boolean;
      received: Promise<{ id: string; at: number }> | undefined;
      firstDecryptedAt: number | undefined;
      shownAt(sub: string, text: string): Promise<number>;
      longTasks: number[];
      violations: string[];
    };
  }
}

await main();
