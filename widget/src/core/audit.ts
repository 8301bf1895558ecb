/**
 * Audit trail without PHI (HIPAA 164.312(b)): what the widget reports to the portal's audit system.
 * Every event carries the time and opaque ids only (the chat user id is the one the token API logs as `userId`),
 * never message text, file names or display names.
 */
import type { LockReason } from './idle-timer.js';

/** Why the widget locked: the idle timer's reasons, or the portal's `secure-chat-logout` event. */
export type LockCause = LockReason | 'logout';

export type AuditEventType =
  | 'session-started'
  | 'key-registered'
  | 'key-restored'
  | 'key-rotated'
  | 'message-sent'
  | 'message-read'
  | 'file-downloaded'
  | 'locked'
  | 'verification-changed';

export type VerificationState = 'verified' | 'unverified' | 'key-changed' | 'acknowledged';

export interface AuditDetail {
  type: AuditEventType;
  /** ISO 8601 time of the event on the user's device. */
  at: string;
  /** The signed-in user's opaque chat id (absent before the session has one, e.g. a lock during setup). */
  userId?: string;
  cid?: string;
  messageId?: string;
  /** The other party's opaque chat id (message author, verified contact). */
  contactId?: string;
  reason?: LockCause;
  verification?: VerificationState;
}

/** Ids an event may carry: anything else is dropped, so a caller cannot leak content into the trail by mistake. */
const ALLOWED = ['userId', 'cid', 'messageId', 'contactId', 'reason', 'verification'] as const;

export function auditDetail(
  type: AuditEventType,
  ids: Partial<Omit<AuditDetail, 'type' | 'at'>>,
  now: () => number = Date.now,
): AuditDetail {
  const detail: AuditDetail = { type, at: new Date(now()).toISOString() };
  for (const key of ALLOWED) {
    const value = ids[key];
    if (typeof value === 'string' && value) (detail as unknown as Record<string, string>)[key] = value;
  }
  return detail;
}

/**
 * Remembers which messages were already reported as read, so history reloads and edits do not repeat them.
 * Bounded: the oldest ids are forgotten first.
 */
export class ReadLog {
  readonly #seen = new Set<string>();
  constructor(private readonly max = 5000) {}

  /** True the first time an id is seen. */
  first(id: string): boolean {
    if (this.#seen.has(id)) return false;
    this.#seen.add(id);
    if (this.#seen.size > this.max) this.#seen.delete(this.#seen.values().next().value as string);
    return true;
  }

  clear(): void {
    this.#seen.clear();
  }
}
