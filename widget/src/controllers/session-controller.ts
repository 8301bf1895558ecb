// Adapts a ChatSession to the element's lifecycle: starts after first paint, stops (dropping plaintext) on disconnect.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { SecureChatError, toSecureChatError } from '../core/errors.js';
import type { ChatSession, MessageTrust, SessionEvent, SessionState, StartOptions } from '../core/session.js';
import {
  SecureChatErrorEvent,
  SecureChatKeyEvent,
  SecureChatMessageEvent,
  SecureChatReadyEvent,
  SecureChatSignedOutEvent,
} from '../events.js';

type Host = ReactiveControllerHost & EventTarget;

/**
 * How long a missing configuration (no `api-url`) is waited for before it is reported. Portals often set `api-url`
 * after the element is on the page (after fetching their own config, as the demo portal does): judging it at once
 * would flash a `config` error screen and fire `secure-chat-error` for a page that is only still loading.
 */
export const CONFIGURATION_GRACE_MS = 3000;

/** Resolves once `check()` holds, polling; rejects with a `config` error after the grace period. */
export async function configured(check: () => boolean, graceMs = CONFIGURATION_GRACE_MS): Promise<void> {
  for (const start = Date.now(); !check(); await new Promise((r) => setTimeout(r, 50)))
    if (Date.now() - start >= graceMs) throw new SecureChatError('config', 'Set the api-url attribute.');
}

/** Resolves after the browser has painted the current frame. */
const afterPaint = () => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

export class SessionController implements ReactiveController {
  state: SessionState = { status: 'idle' };
  session: ChatSession | undefined;
  #abort: AbortController | undefined;

  constructor(
    private readonly host: Host,
    private readonly create: () => Promise<{ session: ChatSession; options: StartOptions }>,
    /** Lets key verification downgrade what a message event reports (a verified contact's key changed). */
    private readonly trustOf: (from: string, trust: MessageTrust) => MessageTrust | 'key-changed' = (
      _from,
      trust,
    ) => trust,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    void this.restart();
  }

  hostDisconnected(): void {
    this.stop();
  }

  /** Stops any current session and starts a new one once the host has painted. */
  async restart(): Promise<void> {
    this.stop();
    const abort = (this.#abort = new AbortController());
    await this.host.updateComplete;
    await afterPaint();
    if (abort.signal.aborted) return;
    let created: { session: ChatSession; options: StartOptions };
    try {
      created = await this.create();
    } catch (error) {
      if (!abort.signal.aborted) this.#setState({ status: 'error', error: toSecureChatError(error) });
      return;
    }
    if (abort.signal.aborted) return;
    const { session, options } = created;
    this.session = session;
    session.onChange = (state) => {
      if (!abort.signal.aborted || state.status === 'signed-out') this.#setState(state);
    };
    session.onEvent = (event) => {
      if (!abort.signal.aborted || event.type === 'signed-out') this.#dispatch(event);
    };
    await session.start(options, abort.signal);
  }

  /** Closes the session: disconnects and drops every decrypted text and key from memory. */
  stop(): void {
    this.#abort?.abort();
    this.#abort = undefined;
    const session = this.session;
    this.session = undefined;
    if (session) void session.close();
    this.state = { status: 'idle' };
    this.host.requestUpdate();
  }

  /** Runs a user action; failures become a `secure-chat-error` event instead of an unhandled rejection. */
  async run(action: (session: ChatSession) => Promise<unknown> | unknown): Promise<void> {
    const session = this.session;
    if (!session) return;
    try {
      await action(session);
    } catch (error) {
      const e = toSecureChatError(error);
      this.host.dispatchEvent(new SecureChatErrorEvent({ code: e.code, recoverable: e.recoverable }));
    }
    this.host.requestUpdate();
  }

  #setState(state: SessionState): void {
    const wasError = this.state.status === 'error';
    this.state = state;
    this.host.requestUpdate();
    if (state.status === 'error' && !wasError) {
      const e = state.error instanceof SecureChatError ? state.error : toSecureChatError(state.error);
      this.host.dispatchEvent(new SecureChatErrorEvent({ code: e.code, recoverable: e.recoverable }));
    }
  }

  #dispatch(event: SessionEvent): void {
    switch (event.type) {
      case 'ready':
        this.host.dispatchEvent(new SecureChatReadyEvent({ cid: event.cid, userId: event.userId }));
        break;
      case 'message':
        this.host.dispatchEvent(
          new SecureChatMessageEvent({
            id: event.id,
            cid: event.cid,
            from: event.from,
            trust: this.trustOf(event.from, event.trust),
            change: event.change,
          }),
        );
        break;
      case 'key':
        this.host.dispatchEvent(new SecureChatKeyEvent({ action: event.action }));
        break;
      case 'signed-out':
        this.host.dispatchEvent(new SecureChatSignedOutEvent({ keyRemoved: event.keyRemoved }));
        break;
    }
  }
}
