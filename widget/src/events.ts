// The element's events: `secure-chat-*`, bubbling and composed. No detail ever holds plaintext or names.
import type { AuditDetail, LockCause } from './core/audit.js';
import type { ErrorCode } from './core/errors.js';
import type { MessageTrust, SessionEvent } from './core/session.js';
import type { SecureChatElement } from './secure-chat.js';

const init = { bubbles: true, composed: true } as const;

/** The conversation is open and decrypted history is being shown. */
export class SecureChatReadyEvent extends Event {
  static readonly eventName = 'secure-chat-ready';
  constructor(readonly detail: { cid: string; userId: string }) {
    super(SecureChatReadyEvent.eventName, init);
  }
}

/** A session-level failure. `recoverable` errors may succeed on `reconnect()`. */
export class SecureChatErrorEvent extends Event {
  static readonly eventName = 'secure-chat-error';
  constructor(readonly detail: { code: ErrorCode; recoverable: boolean }) {
    super(SecureChatErrorEvent.eventName, init);
  }
}

/** A message arrived, changed or was loaded: ids and trust state only. */
export class SecureChatMessageEvent extends Event {
  static readonly eventName = 'secure-chat-message';
  constructor(
    readonly detail: {
      id: string;
      cid: string;
      from: string;
      /** `key-changed`: verified before, but the sender's key has changed since; not to be trusted. */
      trust: MessageTrust | 'key-changed';
      change: 'new' | 'updated' | 'deleted' | 'history';
    },
  ) {
    super(SecureChatMessageEvent.eventName, init);
  }
}

/** A key lifecycle step completed on this device. */
export class SecureChatKeyEvent extends Event {
  static readonly eventName = 'secure-chat-key';
  constructor(readonly detail: { action: Extract<SessionEvent, { type: 'key' }>['action'] }) {
    super(SecureChatKeyEvent.eventName, init);
  }
}

/** The user signed out of secure chat; `keyRemoved` says whether the private key was deleted from this device. */
export class SecureChatSignedOutEvent extends Event {
  static readonly eventName = 'secure-chat-signed-out';
  constructor(readonly detail: { keyRemoved: boolean }) {
    super(SecureChatSignedOutEvent.eventName, init);
  }
}

/** The user downloaded an attached file (for audit trails): ids only, never the file's name or content. */
export class SecureChatFileDownloadedEvent extends Event {
  static readonly eventName = 'secure-chat-file-downloaded';
  constructor(readonly detail: { cid: string; messageId: string; index: number }) {
    super(SecureChatFileDownloadedEvent.eventName, init);
  }
}

export interface SendDetail {
  cid: string;
  kind: 'message' | 'reply' | 'quote' | 'edit';
}

/** Fired before a message is encrypted and sent; cancel it (`preventDefault()`) to stop the send. */
export class SecureChatSendEvent extends Event {
  static readonly eventName = 'secure-chat-send';
  constructor(readonly detail: SendDetail) {
    super(SecureChatSendEvent.eventName, { ...init, cancelable: true });
  }
}

/** The widget locked itself (idle, session limit, `lock()` or `secure-chat-logout`); unlocking re-authenticates. */
export class SecureChatLockedEvent extends Event {
  static readonly eventName = 'secure-chat-locked';
  constructor(readonly detail: { reason: LockCause }) {
    super(SecureChatLockedEvent.eventName, init);
  }
}

/** One audit trail entry for the portal's audit system: time and opaque ids only (see docs/security-model.md). */
export class SecureChatAuditEvent extends Event {
  static readonly eventName = 'secure-chat-audit';
  constructor(readonly detail: AuditDetail) {
    super(SecureChatAuditEvent.eventName, init);
  }
}

/** Unread totals changed (conversation list only): counts only, never ids of people or text. */
export class SecureChatUnreadEvent extends Event {
  static readonly eventName = 'secure-chat-unread';
  constructor(readonly detail: { total: number; conversations: number }) {
    super(SecureChatUnreadEvent.eventName, init);
  }
}

// HTMLElementEventMap (and Document's and Window's maps) extend GlobalEventHandlersEventMap: the events bubble and
// are composed, so listeners are typed wherever they can hear them. The tag map types `querySelector('secure-chat')`
// on pages that keep the default tag (`define()` may register another).
declare global {
  interface HTMLElementTagNameMap {
    'secure-chat': SecureChatElement;
  }
  interface GlobalEventHandlersEventMap {
    'secure-chat-ready': SecureChatReadyEvent;
    'secure-chat-error': SecureChatErrorEvent;
    'secure-chat-message': SecureChatMessageEvent;
    'secure-chat-key': SecureChatKeyEvent;
    'secure-chat-signed-out': SecureChatSignedOutEvent;
    'secure-chat-send': SecureChatSendEvent;
    'secure-chat-file-downloaded': SecureChatFileDownloadedEvent;
    'secure-chat-unread': SecureChatUnreadEvent;
    'secure-chat-locked': SecureChatLockedEvent;
    'secure-chat-audit': SecureChatAuditEvent;
  }
}
