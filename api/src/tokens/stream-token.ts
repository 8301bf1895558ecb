/**
 * @module
 * Stream Chat user tokens: HS256 JWTs over `{ user_id, iat, exp }`, the same bytes stream-chat's `createToken`
 * makes (header `{"alg":"HS256","typ":"JWT"}`), signed through the `CryptoProvider` with the key imported once.
 * The token carries no role: the widget connects as role `user`. `serverToken()` is the `{ server: true }` token
 * for REST calls made with the app secret.
 *
 * Clock skew: Stream refuses a token whose `iat` lies ahead of its own clock (code 42), so a token API whose clock
 * runs a little fast would lock every user out. `iat` is therefore set `STREAM_IAT_BACKDATE_S` in the past; `exp`
 * stays `ttl` after the real issue time (or `notAfterS`, when that comes first). `iat` is kept (rather than
 * dropped, as `createToken` does by default) because Stream's per-user revocation (`revoke_tokens_issued_before`)
 * compares against it.
 */
import { webCryptoProvider } from '../crypto.js';
import type { CryptoProvider } from '../crypto.js';
import { base64url, utf8 } from '../encoding.js';

export interface IssuedToken {
  readonly token: string;
  /** Expiry as an ISO 8601 string. */
  readonly expiresAt: string;
}

export interface StreamTokenSigner {
  /** `notAfterS`: epoch seconds the token must not outlive (the portal session's `exp`); default: `ttl` only. */
  issue(userId: string, nowMs?: number, notAfterS?: number): Promise<IssuedToken>;
  serverToken(): Promise<string>;
}

const HEADER = base64url(utf8(JSON.stringify({ alg: 'HS256', typ: 'JWT' })));

/** How far `iat` is set in the past, to absorb a token API clock that is ahead of Stream's. */
export const STREAM_IAT_BACKDATE_S = 60;

/** @example const signer = createStreamTokenSigner(secret, 3600); const { token } = await signer.issue('u1a2b…'); */
export function createStreamTokenSigner(
  apiSecret: string,
  ttlS: number,
  provider: CryptoProvider = webCryptoProvider,
): StreamTokenSigner {
  const mac = provider.hmacSha256(utf8(apiSecret));
  const signJwt = async (payload: object): Promise<string> => {
    const unsigned = `${HEADER}.${base64url(utf8(JSON.stringify(payload)))}`;
    return `${unsigned}.${base64url(await mac(utf8(unsigned)))}`;
  };
  return {
    async issue(userId, nowMs = Date.now(), notAfterS = Infinity) {
      const now = Math.floor(nowMs / 1000);
      const iat = now - STREAM_IAT_BACKDATE_S;
      const exp = Math.min(now + ttlS, notAfterS);
      return {
        token: await signJwt({ user_id: userId, iat, exp }),
        expiresAt: new Date(exp * 1000).toISOString(),
      };
    },
    serverToken: () => signJwt({ server: true }),
  };
}
