/** Session-level failure codes. Per-message failures are data (see `timeline.ts`), never these errors. */
export type ErrorCode =
  | 'config' // the element is missing api-url, a session token, or a channel/peer
  | 'unauthorized' // the portal session token was refused (401)
  | 'forbidden' // the API refused this origin or the request by policy (403)
  | 'rate-limited' // 429
  | 'token-fetch-failed' // the token API could not be reached or answered badly
  | 'network'
  | 'identity-conflict' // the key directory is in a state the widget cannot repair by itself
  | 'wrong-password'
  | 'no-backup'
  | 'send-failed'
  | 'aborted'
  | 'internal';

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
