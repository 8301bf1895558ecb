// Browser-side helpers for integration tests against the local stack (/__stack routes of demo/dev/wtr-stack.ts).
import type { SecureChatElement } from '../src/secure-chat.js';
import { skipBecause } from './engine.js';

export interface StackConfig {
  apiUrl: string;
  streamUrl: string;
  virgilUrl: string;
  streamApiKey: string;
  /** The widget CDN: the build on its own origin, as frame isolation needs (demo/dev/wtr-stack.ts). */
  widgetCdnUrl: string;
}

let config: StackConfig | undefined;

export async function stackConfig(): Promise<StackConfig> {
  config ??= (await (await fetch('/__stack/config')).json()) as StackConfig;
  return config;
}

/** A unique portal subject per test, so runs never share identities. */
export function subject(name: string): string {
  return `${name}-${Math.random().toString(36).slice(2, 10)}`;
}

export async function sessionToken(
  sub: string,
  name: string,
  peers: { sub: string; name: string }[],
  ttl = 600,
) {
  const q = new URLSearchParams({
    sub,
    name,
    peers: peers.map((p) => `${p.sub}:${p.name}`).join(','),
    ttl: String(ttl),
  });
  const res = await fetch(`/__stack/session-token?${q}`);
  if (!res.ok) throw new Error(`session-token ${res.status}`);
  return res.text();
}

export async function chatUserId(sub: string): Promise<string> {
  return (await fetch(`/__stack/user-id?sub=${encodeURIComponent(sub)}`)).text();
}

export async function inspectStack(): Promise<string> {
  return JSON.stringify(await (await fetch('/__stack/inspect')).json());
}

export async function streamServer<T = unknown>(method: string, ...args: unknown[]): Promise<T> {
  const res = await fetch('/__stack/stream-server', {
    method: 'POST',
    body: JSON.stringify({ method, args }),
  });
  if (!res.ok) throw new Error(`stream-server ${method}: ${await res.text()}`);
  return (await res.json()) as T;
}

/** Posts a message as any user, the way a compromised server could. */
export async function serverSend(cid: string, message: Record<string, unknown>): Promise<unknown> {
  const res = await fetch('/__stack/stream-server/send', {
    method: 'POST',
    body: JSON.stringify({ cid, message }),
  });
  if (!res.ok) throw new Error(`stream-server/send: ${await res.text()}`);
  return res.json();
}

/** Adds or removes channel members with the server's credentials, the way a compromised server could. */
export async function serverMembers(
  cid: string,
  change: { add?: string[]; remove?: string[] },
): Promise<void> {
  const res = await fetch('/__stack/stream-server/members', {
    method: 'POST',
    body: JSON.stringify({ cid, ...change }),
  });
  if (!res.ok) throw new Error(`stream-server/members: ${await res.text()}`);
}

export async function waitFor<T>(
  what: string,
  check: () => T | undefined | false | null,
  timeout = 30_000,
): Promise<T> {
  const start = performance.now();
  for (;;) {
    const value = check();
    if (value) return value;
    if (performance.now() - start > timeout) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface Person {
  sub: string;
  name: string;
}

export interface MountOptions {
  peer?: string;
  channel?: string;
  peers: Person[];
  storage?: string;
  apiUrl?: string;
  ttl?: number;
  container?: HTMLElement;
}

/** The built widget, as a portal loads it (the test runner maps it to dist/$WIDGET_DIST when that is set). */
export const WIDGET_ENTRY = '/dist/widget/secure-chat.js';

/**
 * Mounts widgets for one test file and removes them after each test: the shared fixture of the integration tests.
 * With `setup: 'skip'` (the default) a first device skips the backup offer, so the conversation opens.
 */
export function widgetMounter() {
  const mounted: SecureChatElement[] = [];
  afterEach(() => {
    for (const el of mounted.splice(0)) el.remove();
  });
  return async (
    me: Person,
    opts: MountOptions,
    setup: 'skip' | 'none' = 'skip',
  ): Promise<SecureChatElement> => {
    const el = await mount(me, opts);
    mounted.push(el);
    if (setup === 'skip') await skipBackup(el);
    return el;
  };
}

let isolation: 'none' | 'frame' = 'none';

/**
 * Runs every widget this file mounts with `isolation="frame"` (widget/test/frame-mode/): the same suite through the
 * frame's proxy. The frame comes from this page's origin (the build under /dist/widget/), so the test can still look
 * inside it, as the user's eyes and clicks would; the cross-origin boundary itself is frame-isolation's test.
 */
export function mountInFrames(): void {
  isolation = 'frame';
}

/** Skips the running test in frame mode, with the reason (what the host page cannot see of the frame). */
export function skipInFrames(ctx: Mocha.Context, reason: string): void {
  if (isolation === 'frame') skipBecause(ctx, `in frame mode: ${reason}`);
}

/** The widget inside the isolation frame of `el`, once it runs there. */
function framedWidget(el: Element): SecureChatElement | undefined {
  if (el.getAttribute('isolation') !== 'frame') return undefined;
  const frame = el.shadowRoot?.querySelector('iframe');
  return frame?.contentDocument?.querySelector<SecureChatElement>('secure-chat') ?? undefined;
}

/** Mounts <secure-chat> the way a portal does: attributes plus a getSessionToken function. */
export async function mount(me: Person, opts: MountOptions): Promise<SecureChatElement> {
  const { apiUrl } = await stackConfig();
  const el = document.createElement('secure-chat') as SecureChatElement;
  if (isolation === 'frame') {
    el.setAttribute('isolation', 'frame');
    // Waiting for a render means the frame's widget's render (the host element has none of its own).
    Object.defineProperty(el, 'updateComplete', {
      get: () => framedWidget(el)?.updateComplete ?? Promise.resolve(true),
    });
  }
  el.setAttribute('api-url', opts.apiUrl ?? apiUrl);
  if (opts.peer) el.setAttribute('peer', opts.peer);
  if (opts.channel) el.setAttribute('channel', opts.channel);
  if (opts.storage) el.setAttribute('key-storage-name', opts.storage);
  el.getSessionToken = () => sessionToken(me.sub, me.name, opts.peers, opts.ttl);
  (opts.container ?? document.body).append(el);
  return el;
}

/** The widget's shadow root; in frame mode the one of the widget in the frame (the frame's own until it runs). */
export const shadow = (el: Element) => (framedWidget(el)?.shadowRoot ?? el.shadowRoot) as ShadowRoot;

export function $(el: Element, selector: string): HTMLElement {
  const found = shadow(el).querySelector<HTMLElement>(selector);
  if (!found) throw new Error(`no ${selector}`);
  return found;
}

export function buttonByText(el: Element, text: string): HTMLButtonElement {
  const button = [...shadow(el).querySelectorAll('button')].find((b) => b.textContent?.trim() === text);
  if (!button) throw new Error(`no button "${text}"`);
  return button;
}

/** Accepts a contact's changed key from the notice, once it shows (it follows the message's state). */
export async function acceptNewKey(el: SecureChatElement): Promise<void> {
  await waitFor('key change notice', () =>
    shadow(el).querySelector('[part~="key-change-warning"] button.secondary'),
  );
  buttonByText(el, 'Accept the new key').click();
}

export async function waitForStatus(el: SecureChatElement, ...statuses: string[]): Promise<void> {
  await waitFor(
    `status ${statuses.join('|')} (now ${el.status})`,
    () => statuses.includes(el.status),
    60_000,
  );
  await el.updateComplete;
}

/** Waits for a key screen with the given heading, or for the conversation. */
export async function waitForScreen(el: SecureChatElement, heading: RegExp): Promise<void> {
  await waitFor(
    `screen ${heading}`,
    () => heading.test(shadow(el).querySelector('h2')?.textContent ?? ''),
    60_000,
  );
}

export async function fillAndSubmit(el: SecureChatElement, values: Record<string, string>, submit: string) {
  for (const [name, value] of Object.entries(values)) {
    const input = $(el, `input[name="${name}"]`) as HTMLInputElement;
    input.value = value;
  }
  buttonByText(el, submit).click();
  await el.updateComplete;
}

/** On the "Create a new key" warning: confirms, saves a backup under `password`, and waits for the chat. */
export async function confirmNewKeyWithBackup(el: SecureChatElement, password: string): Promise<void> {
  buttonByText(el, 'Create a new key').click();
  await waitForScreen(el, /new key is ready/);
  await fillAndSubmit(el, { password, confirm: password }, 'Save backup');
  await waitForStatus(el, 'ready');
}

/** First device: skip the backup after reading the warning. */
export async function skipBackup(el: SecureChatElement): Promise<void> {
  await waitForScreen(el, /key is ready/);
  buttonByText(el, 'Skip for now').click();
  await el.updateComplete;
  buttonByText(el, 'Continue without a backup').click();
  await waitForStatus(el, 'ready');
}

export function messageNode(el: Element, id: string): HTMLElement | null {
  return shadow(el).querySelector<HTMLElement>(`[data-id="${id}"]`);
}

/** Waits until a message is shown in the given trust state; returns its node. */
export async function waitForMessage(
  el: Element,
  id: string,
  trust: string | RegExp = 'verified',
  timeout = 30_000,
) {
  let seen = 'absent';
  try {
    return await waitFor(
      `message ${id} as ${trust}`,
      () => {
        const node = messageNode(el, id);
        const t = node?.dataset.trust ?? '';
        seen = node ? t : 'absent';
        return node && (typeof trust === 'string' ? t === trust : trust.test(t)) ? node : undefined;
      },
      timeout,
    );
  } catch {
    throw new Error(`message ${id}: expected ${trust}, found ${seen}`);
  }
}

/**
 * Types into `sender`'s main composer, one keystroke every 400 ms, until `shown()` holds on the other side. The
 * chat client sends typing.stop a second after the last keystroke, so a single keystroke shows the indicator for
 * about a second; on a busy machine the receiver may not render inside that window. A person keeps typing.
 */
export async function typeUntil(
  sender: SecureChatElement,
  what: string,
  shown: () => boolean,
): Promise<void> {
  const input = shadow(sender).querySelector('#compose-main') as HTMLTextAreaElement;
  let typed = '';
  const timer = setInterval(() => {
    input.value = typed += 'a';
    input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
  }, 400);
  try {
    await waitFor(what, shown, 15_000);
  } finally {
    clearInterval(timer);
  }
}

export const textOf = (node: HTMLElement) => node.querySelector('.text')?.textContent ?? '';

/** Saves a PNG of one element to dist/screenshots/<name>.png (see screenshot-plugin.ts). */
export async function screenshot(el: HTMLElement, name: string): Promise<void> {
  const { executeServerCommand } = await import('@web/test-runner-commands');
  el.dataset.shot = name;
  try {
    await executeServerCommand('secure-chat-screenshot', { name, selector: `[data-shot="${name}"]` });
  } finally {
    delete el.dataset.shot;
  }
}
