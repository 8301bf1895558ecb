/**
 * @module
 * Stream Chat user tokens: HS256 over `{ user_id, iat, exp }` signed with `hono/jwt` (WebCrypto), which produces
 * the same token as stream-chat's `createToken` without jsonwebtoken, so it runs on Node and Workers alike.
 * The HMAC key is imported once per signer. The token carries no role: the widget connects as role `user`.
 */
import { sign } from 'hono/jwt';
import { utf8 } from '../encoding.js';

export interface IssuedToken {
  readonly token: string;
  /** Expiry as an ISO 8601 string. */
  readonly expiresAt: string;
}

export interface StreamTokenSigner {
  issue(userId: string, nowMs?: number): Promise<IssuedToken>;
  /** A server-side token (`{ server: true }`) for REST calls made with the app secret. */
  serverToken(): Promise<string>;
}

/** @example const signer = createStreamTokenSigner(secret, 3600); const { token } = await signer.issue('u1a2b…'); */
export function createStreamTokenSigner(apiSecret: string, ttlS: number): StreamTokenSigner {
  const key = crypto.subtle.importKey('raw', utf8(apiSecret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  key.catch(() => undefined); // a bad key surfaces on first use, not as an unhandled rejection
  return {
    async issue(userId, nowMs = Date.now()) {
      const iat = Math.floor(nowMs / 1000);
      const exp = iat + ttlS;
      const token = await sign({ user_id: userId, iat, exp }, await key, 'HS256');
      return { token, expiresAt: new Date(exp * 1000).toISOString() };
    },
    async serverToken() {
      return sign({ server: true }, await key, 'HS256');
    },
  };
}
