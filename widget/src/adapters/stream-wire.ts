// How secure-chat's messages look on Stream's wire: the mapping between Stream messages and core's view of them,
// where uploads may be fetched from, and how Stream's errors (rate limits included) become SecureChatErrors.
import type { MessageResponse } from 'stream-chat';
import { PLACEHOLDER_TEXT } from '../core/envelope.js';
import { SecureChatError } from '../core/errors.js';
import type { OutgoingWire, SecurePayload, WireMessage } from '../core/ports.js';

/** Name of the custom message field that carries the ciphertext. */
export const SECURE_FIELD = 'e2ee';

export function securePayload(raw: unknown): SecurePayload | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const p = raw as Record<string, unknown>;
  if (p.v !== 1) return undefined;
  const out: SecurePayload = { v: 1 };
  if (typeof p.ct === 'string') out.ct = p.ct;
  if (Number.isSafeInteger(p.att) && (p.att as number) >= 0 && typeof p.sha256 === 'string') {
    out.att = p.att as number;
    out.sha256 = p.sha256;
  }
  if (typeof p.file === 'string') out.file = p.file;
  return out;
}

export function parseUrl(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** Stream's production CDN, which serves (and signs) upload links. */
const STREAM_CDN = /^https:\/\/([\w-]+\.)*stream-io-cdn\.com$/;

/**
 * Where the widget downloads encrypted uploads from: Stream's CDN, the host of the Stream API it connected to (any
 * port: a self-hosted or local stand-in serves its CDN there), and origins this session's uploads came back on.
 * A link anywhere else, which a member or a tampered server could put in a message, is never fetched.
 */
export class UploadOrigins {
  readonly #origins = new Set<string>();
  #apiHost = '';

  setApi(baseURL: string): void {
    this.#apiHost = parseUrl(baseURL)?.hostname ?? '';
  }

  add(url: string): void {
    const origin = parseUrl(url)?.origin;
    if (origin) this.#origins.add(origin);
  }

  allows(url: string): boolean {
    const parsed = parseUrl(url);
    if (!parsed || !/^https?:$/.test(parsed.protocol)) return false;
    return (
      STREAM_CDN.test(parsed.origin) || parsed.hostname === this.#apiHost || this.#origins.has(parsed.origin)
    );
  }
}

/** An attachment as the widget writes it: the link and nothing that describes the content. */
export function attachment(url: string) {
  return { type: 'file', asset_url: url, mime_type: 'application/octet-stream' };
}

/** Converts a Stream message to core's view of it. Names and images on `user` are ignored on purpose. */
export function toWire(message: MessageResponse, fallbackCid: string): WireMessage {
  const createdAt = new Date(message.created_at ?? Date.now());
  const updated = message.updated_at ? new Date(message.updated_at) : undefined;
  const wire: WireMessage = {
    id: message.id,
    cid: message.cid ?? fallbackCid,
    senderId: message.user?.id ?? (message as { user_id?: string }).user_id ?? '',
    createdAt,
    deleted: message.type === 'deleted' || Boolean(message.deleted_at),
  };
  if (updated && updated.getTime() > createdAt.getTime()) wire.updatedAt = updated;
  if (message.parent_id) wire.parentId = message.parent_id;
  if (message.quoted_message_id) wire.quotedId = message.quoted_message_id;
  if (typeof message.reply_count === 'number') wire.replyCount = message.reply_count;
  const secure = securePayload((message as unknown as Record<string, unknown>)[SECURE_FIELD]);
  if (secure) wire.secure = secure;
  // Every attachment keeps its index; the envelope refers to them by position. Links are re-signed on each read.
  if (message.attachments?.length)
    wire.attachments = message.attachments.map((a) => (typeof a.asset_url === 'string' ? a.asset_url : ''));
  if (message.reaction_counts && Object.keys(message.reaction_counts).length) {
    wire.reactions = { ...message.reaction_counts };
    wire.ownReactions = (message.own_reactions ?? []).map((r) => r.type);
  }
  return wire;
}

export function outgoing(message: OutgoingWire): Record<string, unknown> {
  return {
    id: message.id,
    text: PLACEHOLDER_TEXT,
    [SECURE_FIELD]: message.secure,
    // Always set, so an edit also drops attachments the new revision no longer uses.
    attachments: (message.attachments ?? []).map(attachment),
    ...(message.parentId ? { parent_id: message.parentId } : {}),
    ...(message.quotedId ? { quoted_message_id: message.quotedId } : {}),
  };
}

export function splitCid(cid: string): [string, string] {
  const i = cid.indexOf(':');
  if (i <= 0 || i === cid.length - 1)
    throw new SecureChatError('config', 'The channel must look like "type:id".');
  return [cid.slice(0, i), cid.slice(i + 1)];
}

/** Longest wait taken from a rate-limit answer; Stream's windows are one minute. */
const MAX_RATE_LIMIT_WAIT_MS = 60_000;

/**
 * How long a 429 asks to wait: `Retry-After` (seconds), else `X-RateLimit-Reset` (Unix seconds, the server's
 * clock, so only trusted when it lands within a minute of the browser's). Undefined: the caller backs off. In a
 * browser these headers are readable only when the service's CORS exposes them.
 */
export function rateLimitWait(
  headers: { get?: (name: string) => unknown } | Record<string, unknown> | undefined,
  now = Date.now(),
): number | undefined {
  const get = (name: string): unknown =>
    typeof headers?.get === 'function'
      ? (headers.get as (n: string) => unknown)(name)
      : (headers as Record<string, unknown> | undefined)?.[name];
  // Stream may join the values of several limits with commas: wait for the latest.
  const latest = (value: unknown) =>
    Math.max(
      ...String(value ?? '')
        .split(',')
        .map(Number),
    );
  const retryAfter = latest(get('retry-after'));
  const reset = latest(get('x-ratelimit-reset'));
  const wait = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : reset * 1000 - now;
  return Number.isFinite(wait) && wait > 0 && wait <= MAX_RATE_LIMIT_WAIT_MS ? wait : undefined;
}

export function wrap(error: unknown, what: string): SecureChatError {
  if (error instanceof SecureChatError) return error;
  const code = (error as { code?: number })?.code;
  const response = (error as { status?: number; response?: { headers?: Record<string, unknown> } }) ?? {};
  if (code === 9 || response.status === 429) {
    const retryAfterMs = rateLimitWait(response.response?.headers);
    return new SecureChatError('rate-limited', `Too many requests: could not ${what} yet.`, {
      cause: error,
      recoverable: true,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    });
  }
  if (code === 17 || code === 16)
    return new SecureChatError('forbidden', `You cannot ${what} here.`, { cause: error });
  return new SecureChatError('network', `Could not ${what}. Check the connection and try again.`, {
    cause: error,
    recoverable: true,
  });
}
