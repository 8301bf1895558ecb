// The isolation frame's bootstrap (frame.html, served from the widget's own origin). It takes one MessageChannel port
// from its parent, pinned to the parent's origin; checks every embedding origin against the token API's allowed
// origins for the session; and only then loads the widget, which it drives with what the host forwards. Plaintext,
// keys and the encryption instance live here only. Nothing else is ever answered. See docs/isolation.md.
import type { SendDetail } from '../events.js';
import type { SecureChatElement } from '../secure-chat.js';
import {
  CONNECT,
  FORWARDED_PROPERTIES,
  FRAME_EVENTS,
  FRAME_METHODS,
  STYLE_PROPERTIES,
  isRecord,
  type FrameFailure,
  type FrameMessage,
  type FrameMethod,
  type FrameSettings,
  type HostMessage,
} from './protocol.js';

/** Every ancestor's origin, parent first, where the browser tells (Chromium, WebKit); Firefox has no such list. */
const ancestors = [...(location.ancestorOrigins ?? [])];

const refusal = (code: FrameFailure['code'], message: string, recoverable = false): FrameFailure => ({
  code,
  message,
  recoverable,
});

/** The only visible content before the widget loads: why it did not. */
function showFailure(failure: FrameFailure): void {
  const alert = document.createElement('p');
  alert.setAttribute('role', 'alert');
  alert.textContent = failure.message;
  document.body.replaceChildren(alert);
}

/** The channel to the host: requests (tokens) with answers, and the latest settings. */
class HostChannel {
  #nextId = 0;
  #waiting = new Map<number, (reply: { ok: boolean; value?: unknown }) => void>();
  #settingsWaiters: ((s: FrameSettings) => void)[] = [];
  settings: FrameSettings | undefined;
  onSettings: (s: FrameSettings) => void = () => undefined;
  onCall: (id: number, method: FrameMethod, args: unknown[]) => void = () => undefined;

  constructor(readonly port: MessagePort) {
    port.onmessage = (event) => this.#receive(event.data);
  }

  post(message: FrameMessage): void {
    this.port.postMessage(message);
  }

  /** The portal's answer, from `getSessionToken` / `reauthenticate` on the host; rejects when it gave none. */
  async request(what: 'token' | 'reauthenticate'): Promise<string> {
    const { ok, value } = await this.#ask((id) => ({ t: 'request', id, what }));
    if (!ok || typeof value !== 'string' || !value)
      throw new Error(what === 'token' ? 'No portal session token.' : 'Not re-authenticated.');
    return value;
  }

  /** Whether the portal let `secure-chat-send` through on the host element. */
  async confirmSend(detail: SendDetail): Promise<boolean> {
    return (await this.#ask((id) => ({ t: 'confirm-send', id, detail }))).ok;
  }

  #ask(message: (id: number) => FrameMessage): Promise<{ ok: boolean; value?: unknown }> {
    const id = ++this.#nextId;
    return new Promise((resolve) => {
      this.#waiting.set(id, resolve);
      this.post(message(id));
    });
  }

  /** The first settings that name the token API (the portal may set `api-url` after adding the element). */
  firstSettings(): Promise<FrameSettings> {
    if (this.settings?.props.apiUrl) return Promise.resolve(this.settings);
    return new Promise((resolve) => this.#settingsWaiters.push(resolve));
  }

  #receive(data: unknown): void {
    if (!isRecord(data)) return;
    const message = data as HostMessage;
    if (message.t === 'reply' && typeof message.id === 'number') {
      const resolve = this.#waiting.get(message.id);
      this.#waiting.delete(message.id);
      resolve?.({ ok: message.ok === true, value: message.value });
    } else if (message.t === 'settings' && isRecord(message.props) && isRecord(message.styles)) {
      this.settings = message;
      this.onSettings(message);
      if (message.props.apiUrl) for (const resolve of this.#settingsWaiters.splice(0)) resolve(message);
    } else if (
      message.t === 'call' &&
      typeof message.id === 'number' &&
      (FRAME_METHODS as readonly string[]).includes(message.method) &&
      Array.isArray(message.args)
    ) {
      this.onCall(message.id, message.method, message.args);
    }
  }
}

/** The token API's embedding origins for this portal session (`allowedOrigins` in `POST /v1/session`). */
async function allowedOrigins(apiUrl: string, token: string): Promise<string[] | FrameFailure> {
  let response: Response;
  try {
    response = await fetch(`${apiUrl.replace(/\/+$/, '')}/v1/session`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{}',
    });
  } catch {
    return refusal('network', 'Secure chat could not reach its service.', true);
  }
  if (response.status === 401) return refusal('unauthorized', 'Your portal session has ended.');
  if (!response.ok) return refusal('token-fetch-failed', 'Secure chat could not start.', true);
  const body = (await response.json().catch(() => undefined)) as { allowedOrigins?: unknown } | undefined;
  const list = body?.allowedOrigins;
  if (!Array.isArray(list))
    return refusal('config', 'The secure chat service does not list the sites allowed to embed it.');
  return list.filter((item): item is string => typeof item === 'string');
}

const isFiles = (value: unknown): value is File[] =>
  Array.isArray(value) && value.every((file) => file instanceof File);
const optionalString = (value: unknown) => (typeof value === 'string' ? value : undefined);

/** Calls one public method with arguments checked for their type; undefined for anything else. */
function invoke(chat: SecureChatElement, method: FrameMethod, args: unknown[]): Promise<unknown> | undefined {
  const [first, second] = args;
  const options = isRecord(second) ? second : {};
  const opts = isRecord(first) ? first : {};
  switch (method) {
    case 'send': {
      if (typeof first !== 'string') break;
      const parentId = optionalString(options.parentId);
      const quoteId = optionalString(options.quoteId);
      return chat.send(first, {
        ...(parentId ? { parentId } : {}),
        ...(quoteId ? { quoteId } : {}),
        ...(isFiles(options.files) ? { files: options.files } : {}),
      });
    }
    case 'edit':
      if (typeof first === 'string' && typeof second === 'string') return chat.edit(first, second);
      break;
    case 'startConversation':
      if (Array.isArray(first) && first.every((peer) => typeof peer === 'string'))
        return chat.startConversation(first);
      break;
    case 'signOut':
      return chat.signOut({ forgetKey: opts.forgetKey === true });
    case 'reconnect':
      return chat.reconnect();
    case 'lock':
      // The portal's sign-out (`secure-chat-logout` on the host) locks with its own cause.
      if (first === 'logout') chat.dispatchEvent(new Event('secure-chat-logout'));
      else chat.lock();
      return Promise.resolve();
  }
  return undefined;
}

function applySettings(chat: SecureChatElement, settings: FrameSettings): void {
  const target = chat as unknown as Record<string, unknown>;
  for (const name of FORWARDED_PROPERTIES) {
    const value = settings.props[name];
    if (typeof value === 'string' || typeof value === 'number') target[name] = value;
  }
  for (const name of STYLE_PROPERTIES) {
    const value = settings.styles[name];
    if (typeof value === 'string' && value) chat.style.setProperty(name, value);
    else chat.style.removeProperty(name);
  }
  if (typeof settings.lang === 'string' && settings.lang) {
    chat.setAttribute('lang', settings.lang);
    document.documentElement.lang = settings.lang;
  }
  if (settings.dir === 'ltr' || settings.dir === 'rtl') chat.setAttribute('dir', settings.dir);
  else chat.removeAttribute('dir');
}

/** Reports the widget's height so the host element sizes the iframe to it. */
function reportHeight(chat: HTMLElement, channel: HostChannel): void {
  let last = -1;
  new ResizeObserver(() => {
    const px = Math.ceil(chat.getBoundingClientRect().height);
    if (px !== last) channel.post({ t: 'height', px: (last = px) });
  }).observe(chat);
}

/** Focus that arrives on the frame itself (`focus()` on the host element) goes to the widget's first control. */
function forwardFocus(chat: HTMLElement): void {
  const first = (root: ParentNode): HTMLElement | undefined => {
    for (const node of root.querySelectorAll<HTMLElement>('*')) {
      if (
        node.matches('button, input, textarea, select, a[href], [tabindex="0"]') &&
        !node.matches(':disabled')
      )
        return node;
      const inner = node.shadowRoot && first(node.shadowRoot);
      if (inner) return inner;
    }
    return undefined;
  };
  addEventListener('focus', () => {
    setTimeout(() => {
      if (document.activeElement === document.body) first(chat.shadowRoot ?? chat)?.focus();
    });
  });
}

async function run(parentOrigin: string, channel: HostChannel): Promise<void> {
  const settings = await channel.firstSettings();
  const token = await channel.request('token').catch(() => undefined);
  const allowed = token
    ? await allowedOrigins(String(settings.props.apiUrl), token)
    : refusal('config', 'The page did not provide a session token.', true);
  const embedders = new Set([parentOrigin, ...ancestors]);
  const failure = Array.isArray(allowed)
    ? [...embedders].every((origin) => allowed.includes(origin))
      ? undefined
      : refusal('forbidden', 'Secure chat is not allowed on this site.')
    : allowed;
  if (failure) {
    showFailure(failure);
    channel.post({ t: 'failed', ...failure });
    return;
  }

  await import('../define.js');
  const chat = document.createElement('secure-chat');
  applySettings(chat, channel.settings ?? settings);
  // The portal's hooks run on the host; the widget sees them only while the portal has them set.
  const hooks = (next: FrameSettings) => {
    if (next.reauthenticate) chat.reauthenticate = () => channel.request('reauthenticate');
    else Object.assign(chat, { reauthenticate: undefined });
  };
  hooks(channel.settings ?? settings);
  channel.onSettings = (next) => {
    applySettings(chat, next);
    hooks(next);
  };
  chat.getSessionToken = () => channel.request('token');
  chat.services = { confirmSend: (detail) => channel.confirmSend(detail) };
  for (const name of FRAME_EVENTS)
    chat.addEventListener(name, (event) =>
      channel.post({ t: 'event', name, detail: (event as CustomEvent).detail }),
    );
  new MutationObserver(() => channel.post({ t: 'status', status: chat.status })).observe(chat, {
    attributes: true,
    attributeFilter: ['status'],
  });
  channel.onCall = (id, method, args) => {
    const called =
      invoke(chat, method, args) ??
      Promise.reject(
        refusal('config', `Secure chat's ${method}() was called with arguments it does not take.`),
      );
    called.then(
      (value) => channel.post({ t: 'result', id, ok: true, ...(typeof value === 'string' ? { value } : {}) }),
      (error: { code?: unknown; message?: unknown; recoverable?: unknown }) =>
        channel.post({
          t: 'result',
          id,
          ok: false,
          // SecureChatError messages never hold plaintext; anything else is reported by its kind only.
          ...(typeof error?.code === 'string'
            ? refusal(error.code as FrameFailure['code'], String(error.message), error.recoverable === true)
            : refusal('internal', 'Secure chat failed.')),
        }),
    );
  };
  document.body.replaceChildren(chat);
  reportHeight(chat, channel);
  forwardFocus(chat);
  await chat.updateComplete;
  document.title = chat.i18n.t('frame.title');
  channel.post({ t: 'running', title: document.title });
}

function onConnect(event: MessageEvent): void {
  // Only the parent window, from the parent's own origin where the browser names it, and only once per load.
  if (window.parent === window || event.source !== window.parent) return;
  if (ancestors.length > 0 && event.origin !== ancestors[0]) return;
  if (!isRecord(event.data) || event.data.t !== CONNECT || event.ports.length !== 1) return;
  removeEventListener('message', onConnect);
  void run(event.origin, new HostChannel(event.ports[0]!));
}

document.body.style.margin = '0'; // the reported height is the widget's own
if (window.parent === window) showFailure(refusal('config', 'This page only runs inside secure chat.'));
else addEventListener('message', onConnect);
