// The portal page's side of frame isolation (`<secure-chat isolation="frame">`): a lazy chunk, loaded only in that
// mode. The element shows an iframe from the widget's own origin, where the whole widget runs (frame.ts), and proxies
// its public API over a MessageChannel: settings and styles go in; ids, states and error codes come out. The
// portal's `getSessionToken` and `reauthenticate` run here and only their results cross. See docs/isolation.md.
import type { SecureChatError as ErrorClass } from '../core/errors.js';
import type * as Events from '../events.js';
import type { SecureChatElement } from '../secure-chat.js';
import {
  CONNECT,
  FORWARDED_PROPERTIES,
  STYLE_PROPERTIES,
  isRecord,
  type FrameEventName,
  type FrameFailure,
  type FrameMessage,
  type FrameMethod,
  type FrameSettings,
  type HostMessage,
} from './protocol.js';

/**
 * The entry's own classes, handed over rather than imported: a static import from the entry would make the bundler
 * pull these modules into this lazy chunk. Events are the same classes as in `none` mode (`instanceof` holds).
 */
export interface EntryClasses {
  SecureChatError: typeof ErrorClass;
  events: typeof Events;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each class takes its own detail type
type EventClass = new (detail: any) => Event;

function eventClasses(events: typeof Events): Record<FrameEventName, EventClass> {
  return {
    'secure-chat-ready': events.SecureChatReadyEvent,
    'secure-chat-error': events.SecureChatErrorEvent,
    'secure-chat-message': events.SecureChatMessageEvent,
    'secure-chat-key': events.SecureChatKeyEvent,
    'secure-chat-signed-out': events.SecureChatSignedOutEvent,
    'secure-chat-unread': events.SecureChatUnreadEvent,
    'secure-chat-locked': events.SecureChatLockedEvent,
    'secure-chat-audit': events.SecureChatAuditEvent,
    'secure-chat-file-downloaded': events.SecureChatFileDownloadedEvent,
  };
}

/** No answer from the frame this long after it loaded: it is missing, blocked, or not the widget's. */
const HANDSHAKE_TIMEOUT_MS = 20_000;

const STYLES = `
:host { display: block; visibility: visible !important; }
:host([hidden]) { display: none !important; }
iframe {
  display: block;
  box-sizing: border-box;
  width: 100%;
  border: 0;
  color-scheme: normal;
  height: var(--secure-chat-frame-height, var(--content-height, 12rem));
}`;

export interface FrameHost {
  call(method: FrameMethod, args: unknown[]): Promise<unknown>;
  /** Sends the current settings and styles (batched: many changes in one task cost one message). */
  sync(): void;
  focus(options?: FocusOptions): void;
}

type State = 'loading' | 'running' | 'failed';

/** Settles when the frame runs the widget (or failed); method calls wait for it. */
function deferred() {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined); // only calls observe it
  return { promise, resolve, reject };
}

/** Shows the frame at `frameUrl` (frame.html next to the widget's entry) in `root`, and proxies `shell` to it. */
export function connectFrame(
  shell: HTMLElement,
  root: ShadowRoot,
  frameUrl: URL,
  { SecureChatError, events }: EntryClasses,
): FrameHost {
  const element = shell as SecureChatElement;
  const EVENTS = eventClasses(events);
  const frameOrigin = frameUrl.origin;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(STYLES);
  root.adoptedStyleSheets = [sheet];
  const iframe = document.createElement('iframe');
  iframe.title = 'Secure chat';
  iframe.src = frameUrl.href;
  // The frame needs nothing from the page: no top navigation, popups or downloads beyond its own.
  iframe.setAttribute(
    'sandbox',
    'allow-scripts allow-same-origin allow-forms allow-downloads allow-popups allow-popups-to-escape-sandbox',
  );
  iframe.allow = 'publickey-credentials-get; publickey-credentials-create';
  root.replaceChildren(iframe);

  let port: MessagePort | undefined;
  let state: State = 'loading';
  let failure: FrameFailure | undefined;
  let nextId = 0;
  let syncQueued = false;
  let timeout: ReturnType<typeof setTimeout> | undefined;
  const calls = new Map<number, { resolve(value: unknown): void; reject(error: unknown): void }>();
  let running = deferred();

  const post = (message: HostMessage, transfer: Transferable[] = []) => port?.postMessage(message, transfer);
  const setStatus = (status: string) => element.setAttribute('status', status);

  const fail = (f: FrameFailure) => {
    clearTimeout(timeout);
    state = 'failed';
    failure = f;
    running.reject(new SecureChatError(f.code, f.message, { recoverable: f.recoverable }));
    setStatus('error');
    element.dispatchEvent(new events.SecureChatErrorEvent({ code: f.code, recoverable: f.recoverable }));
  };

  const settings = (): FrameSettings => {
    const computed = getComputedStyle(element);
    const styles: Record<string, string> = {};
    for (const name of STYLE_PROPERTIES) {
      const value = computed.getPropertyValue(name).trim();
      if (value) styles[name] = value;
    }
    const props: FrameSettings['props'] = {};
    for (const name of FORWARDED_PROPERTIES) props[name] = element[name];
    const dir = element.getAttribute('dir');
    return {
      props,
      styles,
      lang:
        element.closest('[lang]')?.getAttribute('lang') ||
        document.documentElement.lang ||
        navigator.language,
      dir: dir === 'ltr' || dir === 'rtl' ? dir : '',
      reauthenticate: typeof element.reauthenticate === 'function',
    };
  };

  async function answer(id: number, what: 'token' | 'reauthenticate'): Promise<void> {
    try {
      const value =
        what === 'token'
          ? await (element.getSessionToken?.() ?? element.sessionToken)
          : await element.reauthenticate?.();
      post(
        typeof value === 'string' && value
          ? { t: 'reply', id, ok: true, value }
          : { t: 'reply', id, ok: false },
      );
    } catch {
      post({ t: 'reply', id, ok: false });
    }
  }

  function receive(data: unknown): void {
    if (!isRecord(data)) return;
    const message = data as FrameMessage;
    switch (message.t) {
      case 'running':
        clearTimeout(timeout);
        state = 'running';
        if (typeof message.title === 'string') iframe.title = message.title;
        running.resolve();
        break;
      case 'failed':
        fail(message);
        break;
      case 'request':
        void answer(message.id, message.what);
        break;
      case 'confirm-send': {
        // Dispatched here, before the frame sends: the portal's preventDefault() stops it as in none mode.
        const detail: Partial<Events.SendDetail> = isRecord(message.detail) ? message.detail : {};
        const allowed = element.dispatchEvent(
          new events.SecureChatSendEvent({ cid: String(detail.cid ?? ''), kind: detail.kind ?? 'message' }),
        );
        post({ t: 'reply', id: message.id, ok: allowed });
        break;
      }
      case 'event': {
        const EventClass = EVENTS[message.name];
        if (EventClass) element.dispatchEvent(new EventClass(message.detail));
        break;
      }
      case 'status':
        setStatus(String(message.status));
        break;
      case 'height':
        if (Number.isFinite(message.px)) iframe.style.setProperty('--content-height', `${message.px}px`);
        break;
      case 'result': {
        const call = calls.get(message.id);
        calls.delete(message.id);
        if (message.ok) call?.resolve(message.value);
        else
          call?.reject(
            new SecureChatError(message.code, message.message, { recoverable: message.recoverable }),
          );
        break;
      }
    }
  }

  // Each load of the frame (first connection, or again after the element was moved) is a new handshake.
  iframe.addEventListener('load', () => {
    port?.close();
    for (const call of calls.values()) call.reject(new SecureChatError('aborted', 'Secure chat restarted.'));
    calls.clear();
    if (state !== 'loading') running = deferred();
    state = 'loading';
    failure = undefined;
    setStatus('connecting');
    const channel = new MessageChannel();
    port = channel.port1;
    port.onmessage = (event) => receive(event.data);
    // The frame's exact origin: if anything else was loaded in its place, it gets nothing.
    iframe.contentWindow?.postMessage({ t: CONNECT }, frameOrigin, [channel.port2]);
    post({ t: 'settings', ...settings() });
    clearTimeout(timeout);
    timeout = setTimeout(
      () =>
        fail({
          code: 'network',
          message: 'Secure chat could not load its frame.',
          recoverable: true,
        }),
      HANDSHAKE_TIMEOUT_MS,
    );
  });

  // The page switching between light and dark may change the custom properties it sets; the language, direction
  // and custom properties also change through attributes that are not the element's properties.
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => host.sync());
  const attributes = new MutationObserver(() => host.sync());
  const attributeFilter = ['lang', 'dir', 'style', 'class'];
  attributes.observe(element, { attributes: true, attributeFilter });
  attributes.observe(document.documentElement, { attributes: true, attributeFilter });

  const host: FrameHost = {
    async call(method, args) {
      if (method === 'reconnect' && state === 'failed') {
        // A refused or failed frame starts again from a fresh load (the check runs again).
        iframe.src = frameUrl.href;
        return undefined;
      }
      if (state === 'failed' && failure)
        throw new SecureChatError(failure.code, failure.message, { recoverable: failure.recoverable });
      await running.promise;
      const id = ++nextId;
      return new Promise((resolve, reject) => {
        calls.set(id, { resolve, reject });
        post({ t: 'call', id, method, args });
      });
    },
    focus(options) {
      iframe.focus(options);
    },
    sync() {
      if (syncQueued) return;
      syncQueued = true;
      queueMicrotask(() => {
        syncQueued = false;
        post({ t: 'settings', ...settings() });
      });
    },
  };
  return host;
}
