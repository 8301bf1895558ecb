/* global window, document, customElements, requestAnimationFrame, location, MutationObserver, addEventListener */
// Bench page helpers, driven by demo/bench/bench.ts through Playwright (window.bench.*). Installed as an init script
// in the bench page and in every frame it opens, so in frame isolation (`isolation="frame"`) the same helpers run
// inside each widget's frame, where the widget is the document's only <secure-chat>.
const params = new URLSearchParams(location.search);
const apiUrl = params.get('api');
const isolation = params.get('isolation') ?? 'none';

/** `sub`'s widget: the element with that id on the bench page, or the widget of the frame this script runs in. */
const widget = (sub) => document.getElementById(sub) ?? document.querySelector('secure-chat');
/** Absolute time (ms since the epoch, sub-millisecond), comparable between the page and its frames. */
const now = () => performance.timeOrigin + performance.now();

/** Finds an element through nested shadow roots. */
function deepQuery(root, selector) {
  const found = root.querySelector(selector);
  if (found) return found;
  for (const el of root.querySelectorAll('*')) {
    if (el.shadowRoot) {
      const inner = deepQuery(el.shadowRoot, selector);
      if (inner) return inner;
    }
  }
  return null;
}

function deepCount(root, selector) {
  let n = root.querySelectorAll(selector).length;
  for (const el of root.querySelectorAll('*')) if (el.shadowRoot) n += deepCount(el.shadowRoot, selector);
  return n;
}

const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));

async function until(what, check, timeout = 60_000) {
  const start = performance.now();
  for (;;) {
    const value = check();
    if (value) return value;
    if (performance.now() - start > timeout) throw new Error(`bench: timed out waiting for ${what}`);
    await nextFrame();
  }
}

/** First device: skips the backup offer once it shows (or nothing, if the widget is ready). */
async function skipOffer(el) {
  await until('ready or backup offer', () => el.status === 'ready' || buttonByText(el, 'Skip for now'));
  if (el.status === 'ready') return;
  buttonByText(el, 'Skip for now').click();
  await el.updateComplete;
  await until('continue button', () => buttonByText(el, 'Continue without a backup'));
  buttonByText(el, 'Continue without a backup').click();
  await until('ready', () => el.status === 'ready');
}

/** Records when the first decrypted message text shows in this document (page or frame). */
function recordFirstDecrypted() {
  const poll = () => {
    if (deepQuery(document, '[data-id] .text')?.textContent) window.bench.firstDecryptedAt = now();
    else if (performance.now() < 120_000) requestAnimationFrame(poll);
  };
  requestAnimationFrame(poll);
}

function buttonByText(el, text) {
  return [...el.shadowRoot.querySelectorAll('button')].find((b) => b.textContent.trim() === text);
}

const violations = [];
addEventListener('securitypolicyviolation', (e) =>
  violations.push(`${e.effectiveDirective} ${e.blockedURI}`),
);

const longTasks = [];
new PerformanceObserver((list) => longTasks.push(...list.getEntries().map((e) => e.duration))).observe({
  type: 'longtask',
  buffered: true,
});

window.bench = {
  longTasks,
  /** Content-Security-Policy violations reported on this page. */
  violations,
  /** When the first decrypted text showed here (absolute ms, see `now`); undefined until then. */
  firstDecryptedAt: undefined,
  /**
   * Mounts a widget for `sub` talking to `peer`; resolves when it is ready (skipping the backup offer). In frame
   * isolation it resolves once the element is on the page: bench.ts skips the offer inside the frame.
   */
  async mount(sub, peer, storage) {
    await customElements.whenDefined('secure-chat');
    const el = document.createElement('secure-chat');
    if (isolation === 'frame') el.setAttribute('isolation', 'frame');
    el.setAttribute('api-url', apiUrl);
    el.setAttribute('peer', peer);
    el.setAttribute('key-storage-name', storage);
    // Long seeding runs have no user activity: the default 15-minute idle lock would close the session mid-run.
    el.setAttribute('idle-timeout', '86400');
    el.id = sub;
    el.getSessionToken = async () => (await fetch(`/token?sub=${sub}&peers=${peer}`)).text();
    document.body.append(el);
    if (isolation !== 'frame') await skipOffer(el);
    return true;
  },
  /** Inside a widget's frame: skips the backup offer of its first device. */
  async skipOffer() {
    await skipOffer(await until('widget', () => widget()));
    return true;
  },
  /** Waits until `sub`'s element (on the page) reports `ready`. */
  async ready(sub) {
    await until(`${sub} ready`, () => document.getElementById(sub)?.status === 'ready');
    return true;
  },
  /** Leaves the open conversation, so seeding does not make this widget decrypt every message live. */
  leave(sub) {
    sessionOf(widget(sub)).leaveConversation();
  },
  /**
   * `send()` on `sub`'s element on the page (in frame isolation, through the frame's proxy); resolves with the
   * absolute times it started and was acknowledged.
   */
  async timedSend(sub, text) {
    const start = now();
    await document.getElementById(sub).send(text);
    return { start, acked: now() };
  },
  async send(sub, text) {
    return document.getElementById(sub).send(text);
  },
  /** Starts watching for `text` in `sub`'s widget; `watched` is then a promise of the absolute time it shows. */
  watchShown(sub, text) {
    window.bench.watched = shownAt(sub, text);
    return true;
  },
  watched: undefined,
  /** Starts waiting for `sub`'s next new-message event (on the page); `received` then resolves with its time. */
  watchReceived(sub) {
    window.bench.received = nextReceived(sub);
    return true;
  },
  received: undefined,
  /** ms from `start` (performance.now()) until message `id` shows its decrypted text in `sub`'s widget. */
  async readLatency(sub, id, start) {
    const el = widget(sub);
    await until(`message ${id}`, () => deepQuery(el.shadowRoot, `[data-id="${id}"] .text`)?.textContent);
    return performance.now() - start;
  },
  /** ms since navigation start until any decrypted message text is on screen in `sub`'s widget. */
  async firstDecrypted(sub) {
    const el = await until('element', () => widget(sub));
    await until(
      'a decrypted message',
      () => el.shadowRoot && deepQuery(el.shadowRoot, '[data-id] .text')?.textContent,
    );
    return performance.now();
  },
  messageNodes(sub) {
    return deepCount(widget(sub).shadowRoot, '[data-id]');
  },
  seedConversation,
  decryptHistory,
  scrollThrough,
  nextReceived,
  shownAt,
  domNodes() {
    return deepCount(document, '*');
  },
};

// Where the widgets render: on the page in `none` mode, in each frame in frame mode (the frame has no query).
if (isolation !== 'frame') recordFirstDecrypted();

// `?me=…&peer=…&storage=…` mounts a returning user's widget at load (the cold/warm first-message scenario).
if (params.get('me') && window.parent === window) addEventListener('DOMContentLoaded', mountReturning);

function mountReturning() {
  const el = document.createElement('secure-chat');
  if (isolation === 'frame') el.setAttribute('isolation', 'frame');
  el.setAttribute('api-url', apiUrl);
  el.setAttribute('peer', params.get('peer'));
  el.setAttribute('key-storage-name', params.get('storage'));
  el.setAttribute('idle-timeout', '86400');
  el.id = params.get('me');
  el.getSessionToken = async () => (await fetch(`/token?sub=${el.id}&peers=${params.get('peer')}`)).text();
  document.body.append(el);
}

/**
 * The element's ChatSession, reached through its Lit controllers (bench-only introspection: the element has no
 * public handle on it, on purpose).
 */
function sessionOf(el) {
  for (const key of Object.getOwnPropertyNames(el)) {
    const value = el[key];
    if (!(value instanceof Set) && !Array.isArray(value)) continue;
    for (const c of value) if (c && typeof c === 'object' && c.session?.ports) return c.session;
  }
  throw new Error('bench: no session on the element');
}

/** The open conversation of `el`'s session (members, timeline, paging, the decrypt pipeline). */
function conversationOf(el) {
  const conversation = sessionOf(el).conversation;
  if (!conversation) throw new Error('bench: no open conversation');
  return conversation;
}

/**
 * Seeds `count` real encrypted messages from `sub` (a mounted, ready widget) into its open conversation, `concurrency`
 * at a time: the widget's own E3Kit port signs and encrypts each envelope (the same envelope as core/envelope.ts) to
 * every member, and its stream-chat port sends it. The widget first leaves the conversation, so it does not decrypt
 * its own echoes (and so do the `quiet` widgets). Resolves with the elapsed ms.
 */
async function seedConversation(sub, count, concurrency = 16, quiet = []) {
  // The other widgets on the page leave the conversation too: they would decrypt every seeded message live.
  for (const other of quiet) sessionOf(widget(other)).leaveConversation();
  const session = sessionOf(widget(sub));
  const { chat, crypto: cryptoPort } = session.ports;
  const conversation = conversationOf(widget(sub));
  const cid = conversation.cid;
  const me = session.user.id;
  const recipients = await cryptoPort.lookup([...new Set([...conversation.members, me])]);
  session.leaveConversation();
  const start = performance.now();
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) {
      const mid = crypto.randomUUID();
      const envelope = { v: 1, cid, mid, from: me, ts: Date.now(), content: { text: `history ${i}` } };
      const ct = await cryptoPort.encrypt(JSON.stringify(envelope), recipients);
      await chat.send(cid, { id: mid, secure: { v: 1, ct } });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return performance.now() - start;
}

/** Counts `secure-chat-message` events by trust, so a bench never reports undecryptable messages as decrypted. */
function countTrust(el) {
  const counts = {};
  el.addEventListener('secure-chat-message', (e) => {
    counts[e.detail.trust] = (counts[e.detail.trust] ?? 0) + 1;
  });
  return counts;
}

/**
 * Pages in the whole history of `sub`'s open conversation (placeholders, still encrypted), then decrypts every
 * message through the session's own decrypt pipeline (the one the list calls for what it shows), timing it and
 * collecting the long tasks meanwhile.
 */
async function decryptHistory(sub) {
  const el = widget(sub);
  const conversation = conversationOf(el);
  while (conversation.hasOlder) await conversation.loadOlder(100);
  await new Promise((resolve) => setTimeout(resolve, 500)); // let the list's own first decrypts settle
  const ids = conversation.timeline
    .main()
    .filter((e) => e.kind === 'decrypting')
    .map((e) => e.id);
  const trust = countTrust(el);
  longTasks.length = 0;
  const start = performance.now();
  await conversation.decrypt(ids);
  const elapsed = performance.now() - start;
  await new Promise((resolve) => setTimeout(resolve, 100)); // let the long-task observer report
  // Which engine opened the messages (the E3Kit adapter's inspection; absent in builds before the worker).
  const engines = sessionOf(el).ports.crypto.decryptionStats?.();
  return {
    total: conversation.timeline.main().length,
    decrypted: ids.length,
    ...(engines ? { engines } : {}),
    elapsed,
    trust,
    longest: Math.max(0, ...longTasks),
    longTasks: longTasks.length,
  };
}

const heap = () => performance.memory?.usedJSHeapSize ?? 0;

/**
 * Scrolls `sub`'s message list from the newest message to the first one (paging history from Stream as the reader
 * would), then back to the newest, sampling the message nodes in the DOM and the JS heap after every step.
 */
async function scrollThrough(sub, timeoutMs = 600_000) {
  const el = widget(sub);
  const conversation = conversationOf(el);
  const list = await until('message list', () => deepQuery(el.shadowRoot, '[part~="messages"]'));
  const trust = countTrust(el);
  const start = performance.now();
  let maxNodes = 0;
  let maxHeap = 0;
  let steps = 0;
  const sample = () => {
    maxNodes = Math.max(maxNodes, deepCount(el.shadowRoot, '[part~="messages"] [data-id]'));
    maxHeap = Math.max(maxHeap, heap());
    steps++;
  };
  const settle = async () => {
    await nextFrame();
    await nextFrame();
  };
  const atTop = () => !conversation.hasOlder && !list.querySelector('[part~="history-status"] button');
  const firstId = () => conversation.timeline.main()[0]?.id;
  // Up: the list slides its window or pages in history whenever the top edge is near.
  for (;;) {
    if (performance.now() - start > timeoutMs) throw new Error('bench: scrolling up timed out');
    list.scrollTop = 0;
    list.dispatchEvent(new Event('scroll'));
    await settle();
    sample();
    if (atTop() && firstId() && list.querySelector(`[data-id="${firstId()}"]`)) break;
  }
  const loaded = conversation.timeline.main().length;
  // Down to the newest again.
  for (;;) {
    if (performance.now() - start > timeoutMs) throw new Error('bench: scrolling down timed out');
    list.scrollTop = list.scrollHeight;
    list.dispatchEvent(new Event('scroll'));
    await settle();
    sample();
    const lastId = conversation.timeline.main().at(-1)?.id;
    if (
      lastId &&
      list.querySelector(`[data-id="${lastId}"]`) &&
      !deepQuery(el.shadowRoot, '[part~="jump-to-latest"]')
    )
      break;
  }
  return { loaded, steps, maxNodes, maxHeap, elapsed: performance.now() - start, trust };
}

/** Resolves with the absolute time (`now`) when `sub`'s widget next reports a new message as decrypted (session event). */
function nextReceived(sub) {
  const el = widget(sub);
  return new Promise((resolve) => {
    const on = (e) => {
      if (e.detail.change !== 'new') return;
      el.removeEventListener('secure-chat-message', on);
      resolve({ id: e.detail.id, at: now() });
    };
    el.addEventListener('secure-chat-message', on);
  });
}

/**
 * Resolves with the absolute time (`now`) once `sub`'s widget shows a message with exactly `text` (checked on every DOM
 * change of its shadow root and on every frame, whichever sees it first).
 */
function shownAt(sub, text) {
  const el = widget(sub);
  const shown = () =>
    [...el.shadowRoot.querySelectorAll('[data-id] .text')].some((node) => node.textContent === text);
  return new Promise((resolve) => {
    let done = false;
    const finish = () => {
      done = true;
      observer.disconnect();
      resolve(now());
    };
    const observer = new MutationObserver(() => !done && shown() && finish());
    observer.observe(el.shadowRoot, { subtree: true, childList: true, characterData: true });
    const poll = () => !done && (shown() ? finish() : requestAnimationFrame(poll));
    poll();
  });
}
