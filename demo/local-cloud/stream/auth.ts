/** HS256 JWTs as Stream uses them: user tokens `{user_id, exp?}` and server tokens `{server: true}`. */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { StreamApiError } from './errors.js';

export type Caller = { kind: 'server' } | { kind: 'user'; userId: string };

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/** Signs a token exactly like `StreamChat#createToken` (no `iat` unless given). */
export function signToken(secret: string, payload: Record<string, unknown>): string {
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = b64url(JSON.stringify(payload));
  const sig = createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${sig}`;
}

/** A user token that expires `ttlSeconds` from now (default: never). */
export function userToken(secret: string, userId: string, ttlSeconds?: number): string {
  const payload: Record<string, unknown> = { user_id: userId };
  if (ttlSeconds !== undefined) payload.exp = Math.floor(Date.now() / 1000) + ttlSeconds;
  return signToken(secret, payload);
}

const authError = (op: string, code: number, detail: string) =>
  new StreamApiError(401, code, `${op} failed with error: "JWTAuth error: ${detail}"`);

/** Verifies a token and returns who is calling; throws Stream's auth errors (40 expired, 43 bad signature). */
export function verifyToken(secret: string, token: string | undefined, op: string): Caller {
  if (!token) throw authError(op, 5, 'token is missing');
  const parts = token.split('.');
  if (parts.length !== 3) throw authError(op, 43, 'token is malformed');
  const [head, body, sig] = parts as [string, string, string];
  const expected = createHmac('sha256', secret).update(`${head}.${body}`).digest();
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw authError(op, 43, 'signature is not valid. Make sure the token is created using the right secret');
  }
  let header: { alg?: unknown };
  let payload: { user_id?: unknown; server?: unknown; exp?: unknown; nbf?: unknown; iat?: unknown };
  try {
    header = JSON.parse(Buffer.from(head, 'base64url').toString('utf8'));
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    throw authError(op, 43, 'token is malformed');
  }
  if (header.alg !== 'HS256') throw authError(op, 43, 'unexpected signing method');
  const now = Date.now() / 1000;
  if (typeof payload.exp === 'number' && payload.exp <= now) throw authError(op, 40, 'token has expired');
  if (typeof payload.nbf === 'number' && payload.nbf > now) throw authError(op, 41, 'token is not valid yet');
  if (typeof payload.iat === 'number' && payload.iat > now + 5)
    throw authError(op, 42, 'token used before issue at (iat)');
  if (payload.server === true) return { kind: 'server' };
  if (typeof payload.user_id === 'string' && payload.user_id)
    return { kind: 'user', userId: payload.user_id };
  throw authError(op, 43, 'token has neither user_id nor server claim');
}
