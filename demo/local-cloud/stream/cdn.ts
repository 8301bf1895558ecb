/**
 * The stand-in's CDN: uploads are served from their own origin (as Stream serves them from `*.stream-io-cdn.com`)
 * through expiring, signed links shaped like Stream's CloudFront links:
 * `/{app}/{images|attachments}/{uploadId}.{name}?Key-Pair-Id=…&Policy=…&Signature=…`, where Policy is CloudFront's
 * policy JSON (`Resource` with a trailing `*`, `DateLessThan.AWS:EpochTime`) in CloudFront's URL-safe base64.
 * Links are bearer links: anyone holding an unexpired one may GET the file, from any origin, without credentials.
 * Expired, tampered or unsigned links answer 403 with CloudFront's XML error body.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import type { StreamStore, UploadRecord } from './store.js';

/** Stream's default link lifetime: 14 days (`cdn_expiration_seconds` of a new app). */
export const DEFAULT_URL_TTL_SECONDS = 14 * 24 * 60 * 60;
const APP_SEGMENT = 'local';
/** Identifies the stand-in's signing key, as CloudFront's key pair id does; only links carrying it are re-signed. */
export const KEY_PAIR_ID = 'LOCALSTANDINKEY';

const PATH = /^\/local\/(images|attachments)\/([0-9a-f-]{36})\.[^/]+$/;
/** Links issued before the CDN origin existed: `/uploads/{id}/{name}?sig=…` on the API origin. */
const LEGACY_PATH = /^\/uploads\/([0-9a-f-]{36})\/[^/]+$/;

/** CloudFront's URL-safe base64: `+` → `-`, `=` → `_`, `/` → `~`. */
const cloudFrontBase64 = (b: Buffer) =>
  b.toString('base64').replace(/\+/g, '-').replace(/=/g, '_').replace(/\//g, '~');
const fromCloudFrontBase64 = (s: string) =>
  Buffer.from(s.replace(/-/g, '+').replace(/_/g, '=').replace(/~/g, '/'), 'base64');

export interface CdnOptions {
  secret: string;
  /** Link lifetime in seconds; read for every link, so it can change while running. */
  ttlSeconds: () => number;
}

export class CdnSigner {
  /** Set once the CDN server listens: `http://host:port`. */
  origin = '';
  constructor(private readonly opts: CdnOptions) {}

  /** A fresh signed link for an upload, valid for the configured lifetime from now. */
  linkFor(upload: Pick<UploadRecord, 'id' | 'kind' | 'name'>): string {
    const folder = upload.kind === 'image' ? 'images' : 'attachments';
    const resource = `${this.origin}/${APP_SEGMENT}/${folder}/${upload.id}.${encodeURIComponent(upload.name)}`;
    const expires = Math.floor(Date.now() / 1000) + this.opts.ttlSeconds();
    const policy = JSON.stringify({
      Statement: [{ Resource: `${resource}*`, Condition: { DateLessThan: { 'AWS:EpochTime': expires } } }],
    });
    const params = new URLSearchParams({
      'Key-Pair-Id': KEY_PAIR_ID,
      Policy: cloudFrontBase64(Buffer.from(policy)),
      Signature: cloudFrontBase64(this.#sign(policy)),
    });
    return `${resource}?${params}`;
  }

  /** The upload id a stand-in link (current or legacy form) points at, or undefined for any other URL. */
  uploadIdOf(url: string): string | undefined {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return undefined;
    }
    const current = PATH.exec(parsed.pathname);
    if (current && parsed.searchParams.get('Key-Pair-Id') === KEY_PAIR_ID) return current[2];
    const legacy = LEGACY_PATH.exec(parsed.pathname);
    if (legacy && parsed.searchParams.has('sig')) return legacy[1];
    return undefined;
  }

  /** Checks a request against its policy: signature, resource and expiry. */
  check(url: URL): { verdict: 'ok'; expires: number } | { verdict: 'missing' | 'denied' } {
    const policyParam = url.searchParams.get('Policy');
    const signature = url.searchParams.get('Signature');
    if (!policyParam || !signature || url.searchParams.get('Key-Pair-Id') !== KEY_PAIR_ID)
      return { verdict: 'missing' };
    const policy = fromCloudFrontBase64(policyParam).toString('utf8');
    const expected = this.#sign(policy);
    const given = fromCloudFrontBase64(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { verdict: 'denied' };
    try {
      const statement = (
        JSON.parse(policy) as {
          Statement: Array<{ Resource: string; Condition: { DateLessThan: { 'AWS:EpochTime': number } } }>;
        }
      ).Statement[0]!;
      const requested = `${this.origin}${url.pathname}`;
      const expires = statement.Condition.DateLessThan['AWS:EpochTime'];
      if (!requested.startsWith(statement.Resource.replace(/\*$/, ''))) return { verdict: 'denied' };
      if (Date.now() / 1000 >= expires) return { verdict: 'denied' };
      return { verdict: 'ok', expires };
    } catch {
      return { verdict: 'denied' };
    }
  }

  #sign(policy: string): Buffer {
    // CloudFront signs with RSA-SHA1 and a key pair; an HMAC with the app secret keeps the same property here:
    // nobody without the secret can make or extend a link.
    return createHmac('sha256', this.opts.secret).update(`cdn-policy:${policy}`).digest();
  }
}

/** CloudFront's answer for a missing, wrong or expired signature. */
function accessDenied(code: 'AccessDenied' | 'MissingKey', message: string): Response {
  return new Response(
    `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`,
    { status: 403, headers: { 'content-type': 'text/xml', 'access-control-allow-origin': '*' } },
  );
}

/** The CDN origin's app: GET/HEAD of signed links, CORS `*` without credentials, nothing else. */
export function createCdnApp(store: StreamStore, signer: CdnSigner): Hono {
  const app = new Hono();
  app.options('*', () => {
    return new Response(null, {
      status: 204,
      headers: {
        'access-control-allow-origin': '*',
        'access-control-allow-methods': 'GET, HEAD',
        'access-control-allow-headers': 'range',
        'access-control-max-age': '86400',
      },
    });
  });
  app.on(['GET', 'HEAD'], '*', (c) => {
    const url = new URL(c.req.url);
    const match = PATH.exec(url.pathname);
    if (!match) return accessDenied('AccessDenied', 'Access denied');
    const checked = signer.check(url);
    if (checked.verdict !== 'ok') {
      return checked.verdict === 'missing'
        ? accessDenied('MissingKey', 'Missing Key-Pair-Id query parameter or cookie value')
        : accessDenied('AccessDenied', 'Access denied');
    }
    const record = store.getUpload(match[2]!);
    // A deleted upload: CloudFront in front of S3 answers 403 for a missing object too.
    if (!record) return accessDenied('AccessDenied', 'Access denied');
    return new Response(c.req.method === 'HEAD' ? null : new Uint8Array(record.bytes), {
      headers: {
        'content-type': record.content_type,
        'content-length': String(record.bytes.length),
        // Caches may keep the bytes only while the link is valid, so an expired link never "works" from a cache.
        'cache-control': `private, max-age=${Math.max(0, Math.floor(checked.expires - Date.now() / 1000))}`,
        'access-control-allow-origin': '*',
      },
    });
  });
  app.all('*', () => accessDenied('AccessDenied', 'Access denied'));
  return app;
}
