/* global window, document, customElements, requestAnimationFrame, location */
// Bench page helpers, driven by demo/bench/bench.ts through Playwright (window.bench.*).
const params = new URLSearchParams(location.search);
const apiUrl = params.get('api');

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

function buttonByText(el, text) {
  return [...el.shadowRoot.querySelectorAll('button')].find((b) => b.textContent.trim() === text);
}

const violations = [];
document.addEventListener('securitypolicyviolation', (e) =>
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
  /** Mounts a widget for `sub` talking to `peer`; resolves when it is ready (skipping the backup offer). */
  async mount(sub, peer, storage) {
    await customElements.whenDefined('secure-chat');
    const el = document.createElement('secure-chat');
    el.setAttribute('api-url', apiUrl);
    el.setAttribute('peer', peer);
    el.setAttribute('key-storage-name', storage);
    el.id = sub;
    el.getSessionToken = async () => (await fetch(`/token?sub=${sub}&peers=${peer}`)).text();
    document.body.append(el);
    await until('ready or backup offer', () => el.status === 'ready' || buttonByText(el, 'Skip for now'));
    if (el.status !== 'ready') {
      buttonByText(el, 'Skip for now').click();
      await el.updateComplete;
      await until('continue button', () => buttonByText(el, 'Continue without a backup'));
      buttonByText(el, 'Continue without a backup').click();
      await until('ready', () => el.status === 'ready');
    }
    return true;
  },
  async send(sub, text) {
    return document.getElementById(sub).send(text);
  },
  /** ms from `start` (performance.now()) until message `id` shows its decrypted text in `sub`'s widget. */
  async readLatency(sub, id, start) {
    const el = document.getElementById(sub);
    await until(`message ${id}`, () => deepQuery(el.shadowRoot, `[data-id="${id}"] .text`)?.textContent);
    return performance.now() - start;
  },
  /** ms since navigation start until any decrypted message text is on screen in `sub`'s widget. */
  async firstDecrypted(sub) {
    const el = await until('element', () => document.getElementById(sub));
    await until(
      'a decrypted message',
      () => el.shadowRoot && deepQuery(el.shadowRoot, '[data-id] .text')?.textContent,
    );
    return performance.now();
  },
  messageNodes(sub) {
    return deepCount(document.getElementById(sub).shadowRoot, '[data-id]');
  },
  domNodes() {
    return deepCount(document, '*');
  },
};

// `?me=…&peer=…&storage=…` mounts a returning user's widget at load (the cold/warm first-message scenario).
if (params.get('me')) {
  const el = document.createElement('secure-chat');
  el.setAttribute('api-url', apiUrl);
  el.setAttribute('peer', params.get('peer'));
  el.setAttribute('key-storage-name', params.get('storage'));
  el.id = params.get('me');
  el.getSessionToken = async () => (await fetch(`/token?sub=${el.id}&peers=${params.get('peer')}`)).text();
  document.body.append(el);
}
