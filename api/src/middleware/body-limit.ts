/**
 * @module
 * Request-body size limit. A declared `Content-Length` is checked without touching the body (so Node's
 * node-server keeps its fast path and never builds a full `Request`); a body of unknown length (chunked) is read
 * here up to the limit and kept as text for the routes. Over the limit: 413 `payload-too-large`.
 */
import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../errors.js';

export function bodyLimit(maxBytes: number): MiddlewareHandler<{ Variables: { bodyText?: string } }> {
  if (!(maxBytes > 0)) throw new Error('bodyLimit needs a positive size');
  const tooLarge = () =>
    new ApiError('payload-too-large', `The body exceeds ${maxBytes} bytes.`, 'body-too-large');
  return async function bodyLimitMiddleware(c, next) {
    if (c.req.method === 'GET' || c.req.method === 'HEAD' || c.req.method === 'OPTIONS') return next();
    const declared = c.req.header('content-length');
    if (declared !== undefined && c.req.header('transfer-encoding') === undefined) {
      if (!/^\d+$/.test(declared))
        throw new ApiError('bad-request', 'Invalid Content-Length.', 'body-length-invalid');
      if (Number(declared) > maxBytes) throw tooLarge();
      return next();
    }
    const body = c.req.raw.body;
    if (!body) return next();
    const reader = body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge();
      }
      chunks.push(value);
    }
    const bytes = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, offset);
      offset += chunk.byteLength;
    }
    c.set('bodyText', new TextDecoder().decode(bytes));
    await next();
  };
}
