// Turns the element's own events into `secure-chat-audit` entries (ids and times only; see core/audit.ts).
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { auditDetail, ReadLog, type AuditEventType, type AuditDetail } from '../core/audit.js';
import { SecureChatAuditEvent } from '../events.js';

type Ids = Partial<Omit<AuditDetail, 'type' | 'at'>>;

const KEY_ACTIONS: Record<string, AuditEventType | undefined> = {
  registered: 'key-registered',
  restored: 'key-restored',
  rotated: 'key-rotated',
};

export class AuditController implements ReactiveController {
  #userId: string | undefined;
  readonly #read = new ReadLog();

  /** @param currentUser the signed-in user's chat id once the token API answered (before any key step). */
  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly currentUser: () => string | undefined = () => undefined,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.host.addEventListener('secure-chat-ready', this.#onReady);
    this.host.addEventListener('secure-chat-key', this.#onKey);
    this.host.addEventListener('secure-chat-message', this.#onMessage);
    this.host.addEventListener('secure-chat-file-downloaded', this.#onFile);
  }

  hostDisconnected(): void {
    this.host.removeEventListener('secure-chat-ready', this.#onReady);
    this.host.removeEventListener('secure-chat-key', this.#onKey);
    this.host.removeEventListener('secure-chat-message', this.#onMessage);
    this.host.removeEventListener('secure-chat-file-downloaded', this.#onFile);
  }

  /** Fires one audit event; the signed-in user's id (or the last one, after a lock) is added when known. */
  record(type: AuditEventType, ids: Ids = {}): void {
    const userId = (this.#userId = this.currentUser() ?? this.#userId);
    this.host.dispatchEvent(
      new SecureChatAuditEvent(auditDetail(type, { ...(userId ? { userId } : {}), ...ids })),
    );
  }

  /** A new session: read receipts start over. */
  reset(): void {
    this.#read.clear();
  }

  readonly #onReady = (event: Event) => {
    const { cid, userId } = (event as CustomEvent<{ cid: string; userId: string }>).detail;
    this.#userId = userId;
    this.record('session-started', { cid });
  };

  readonly #onKey = (event: Event) => {
    const type = KEY_ACTIONS[(event as CustomEvent<{ action: string }>).detail.action];
    if (type) this.record(type);
  };

  readonly #onMessage = (event: Event) => {
    const { id, cid, from, trust } = (
      event as CustomEvent<{ id: string; cid: string; from: string; trust: string }>
    ).detail;
    // "Read" means shown decrypted to this user: their own messages and failures are not reads.
    if (trust !== 'verified' || from === this.#userId || !this.#read.first(id)) return;
    this.record('message-read', { cid, messageId: id, contactId: from });
  };

  /** Fired by the files feature; only its ids are kept. */
  readonly #onFile = (event: Event) => {
    const detail = ((event as CustomEvent).detail ?? {}) as Record<string, unknown>;
    const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
    const messageId = text(detail.messageId) ?? text(detail.id);
    const cid = text(detail.cid);
    this.record('file-downloaded', { ...(cid ? { cid } : {}), ...(messageId ? { messageId } : {}) });
  };
}
