/**
 * @module
 * The API's error model. Handlers and middleware throw `ApiError`; `toErrorResponse` turns any error into
 * `{ "error": { "code", "message" } }` with the right status. Unknown errors become a bare 500 `internal`, so
 * stack traces, tokens and secrets never reach a client.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export type ApiErrorCode =
  | 'unauthorized'
  | 'forbidden-origin'
  | 'forbidden'
  | 'rate-limited'
  | 'bad-request'
  | 'payload-too-large'
  | 'not-found'
  | 'upstream-failed'
  | 'unavailable'
  | 'internal';

const STATUS: Record<ApiErrorCode, ContentfulStatusCode> = {
  unauthorized: 401,
  'forbidden-origin': 403,
  forbidden: 403,
  'rate-limited': 429,
  'bad-request': 400,
  'payload-too-large': 413,
  'not-found': 404,
  'upstream-failed': 502,
  unavailable: 503,
  internal: 500,
};

export class ApiError extends HTTPException {
  override readonly name = 'ApiError';
  /**
   * @param code the public error code
   * @param message a short public message: never a token, secret or claim value
   * @param reason the audit-log reason (defaults to `code`)
   */
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly reason: string = code,
    readonly headers: Record<string, string> = {},
  ) {
    super(STATUS[code], { message });
  }
}

/** Maps any thrown value to the JSON error response; unknown errors are reported through `onUnexpected`. */
export function toErrorResponse(err: unknown, c: Context, onUnexpected?: (err: unknown) => void): Response {
  if (err instanceof ApiError) {
    for (const [name, value] of Object.entries(err.headers)) c.header(name, value);
    return c.json({ error: { code: err.code, message: err.message } }, err.status);
  }
  if (err instanceof HTTPException && err.status < 500) {
    return c.json({ error: { code: 'bad-request', message: 'Bad request.' } }, 400);
  }
  onUnexpected?.(err);
  return c.json({ error: { code: 'internal', message: 'Internal error.' } }, 500);
}
