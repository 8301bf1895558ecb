/**
 * @module
 * Request-body parsing for the `/v1` routes: bodies are optional JSON objects on the token routes and required on
 * `/v1/channels`. Anything else is a 400 `bad-request`; size is capped earlier by the body-limit middleware.
 */
import type { Context } from 'hono';
import type { ApiEnv } from '../app-env.js';
import { ApiError } from '../errors.js';

/** Reads the body as a JSON object; an empty body gives `undefined` unless `required`. */
export async function readJsonObject(
  c: Context<ApiEnv>,
  required: boolean,
): Promise<Record<string, unknown> | undefined> {
  const buffered = c.get('bodyText');
  const text = buffered ?? (c.req.header('content-length') === '0' ? '' : await c.req.text());
  if (text.trim() === '') {
    if (required) throw new ApiError('bad-request', 'A JSON body is required.', 'body-missing');
    return undefined;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ApiError('bad-request', 'The body is not valid JSON.', 'body-malformed');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ApiError('bad-request', 'The body must be a JSON object.', 'body-not-object');
  }
  return value as Record<string, unknown>;
}
