import type { FailureReason } from './ports.js';

/**
 * Session-level failure codes (documented in this folder's README and docs/element.md). Per-message and per-file
 * failures are data (`FailureReason`, see `timeline.ts`), never these errors.
 */
export type ErrorCode =
  | 'config' // the page's setup is incomplete (api-url, session token, channel) or a method was called too early
  | 'unauthorized' // the portal session token was refused (401)
  | 'forbidden' // refused by policy: the API (403), the chat service, someone else's message, or an open key change
  | 'rate-limited' // 429
  | 'token-fetch-failed' // the token API could not be reached or answered badly
  | 'network' // a service could not be reached; trying again may work
  | 'identity-conflict' // the key directory is in a state the widget cannot repair by itself
  | 'wrong-password'
  | 'no-backup'
  | 'send-failed'
  | 'aborted'
  | 'internal'; // a bug or an unexpected answer: trying again is unlikely to help

/** The one error type the widget's public methods reject with. Messages never contain plaintext, tokens or keys. */
export class SecureChatError extends Error {
  override readonly name = 'SecureChatError';
  readonly recoverable: boolean;
  /** 'rate-limited' only: how long the service asked to wait, when it said. */
  readonly retryAfterMs: number | undefined;
  constructor(
    readonly code: ErrorCode,
    message: string,
    opts: { cause?: unknown; recoverable?: boolean; retryAfterMs?: number } = {},
  ) {
    super(message, { cause: opts.cause });
    this.recoverable = opts.recoverable ?? false;
    this.retryAfterMs = opts.retryAfterMs;
  }
}

/** Wraps anything thrown into a SecureChatError, keeping the original as `cause`. */
export function toSecureChatError(error: unknown, fallback: ErrorCode = 'internal'): SecureChatError {
  if (error instanceof SecureChatError) return error;
  if (error instanceof DOMException && error.name === 'AbortError') {
    return new SecureChatError('aborted', 'The operation was cancelled.', { cause: error });
  }
  return new SecureChatError(fallback, 'Something went wrong in secure chat.', { cause: error });
}

/**
 * A file (or message) that could not be decrypted or verified: a per-message failure with its `FailureReason`, which
 * the UI shows next to that message. Never a session error.
 */
export class MessageFailure extends Error {
  override readonly name = 'MessageFailure';
  constructor(
    readonly reason: FailureReason,
    opts: { cause?: unknown } = {},
  ) {
    super(`The content could not be opened: ${reason}.`, { cause: opts.cause });
  }
}
