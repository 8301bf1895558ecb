/**
 * @module
 * Verifies the portal's own session token (`Authorization: Bearer <JWT>`) with `jose`: signature (HS256 with
 * `PORTAL_JWT_SECRET`, or RS256 / ES256 / EdDSA from `PORTAL_JWKS_URL`), `iss`, `aud`, `exp` and `nbf` with a
 * small clock leeway. It returns only what the API uses: the subject, the expiry (issued tokens never outlive it), an
 * optional display name from the configured claim, and the optional peers claim (who the user may talk to).
 * Everything else in the token is ignored.
 */
import { createRemoteJWKSet, errors, jwtVerify } from 'jose';
import type { JWTPayload, JWTVerifyGetKey } from 'jose';
import type { ApiConfig } from '../config.js';
import { ApiError } from '../errors.js';
import { utf8 } from '../encoding.js';

export interface PortalPeer {
  readonly sub: string;
  readonly name?: string;
}

export interface PortalSession {
  readonly sub: string;
  /** The session token's `exp`, epoch seconds: no Stream or Virgil token issued for it outlives this. */
  readonly exp: number;
  readonly name?: string;
  /** The peers claim, or undefined when the token has none. Malformed items are dropped. */
  readonly peers?: readonly PortalPeer[];
}

export type PortalSessionVerifier = (authorization: string | undefined) => Promise<PortalSession>;

const MAX_SUBJECT = 256;
const MAX_NAME = 100;
const MAX_PEERS = 1000;

/**
 * Builds the verifier once: keys are imported (or the JWKS client created) here, not per request.
 * @param keys overrides the key source, e.g. a local JWKS in tests
 */
export function createPortalVerifier(
  portal: ApiConfig['portal'],
  keys?: JWTVerifyGetKey,
): PortalSessionVerifier {
  const secretKey = portal.secret
    ? crypto.subtle.importKey('raw', utf8(portal.secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
        'verify',
      ])
    : undefined;
  secretKey?.catch(() => undefined);
  const remote = keys ?? (portal.jwksUrl ? createRemoteJWKSet(new URL(portal.jwksUrl)) : undefined);
  const options = {
    issuer: portal.issuer,
    audience: portal.audience,
    clockTolerance: portal.leewayS,
    requiredClaims: ['exp', 'sub'],
    algorithms: secretKey && !keys ? ['HS256'] : ['RS256', 'ES256', 'EdDSA', 'Ed25519'],
  };

  return async function verifyPortalSession(authorization) {
    const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/.exec(
      authorization?.trim() ?? '',
    );
    if (!authorization)
      throw new ApiError('unauthorized', 'A portal session token is required.', 'token-missing');
    if (!match?.[1] || match[1].length > 8192) {
      throw new ApiError('unauthorized', 'The portal session token is malformed.', 'token-malformed');
    }
    let payload: JWTPayload;
    try {
      const result =
        secretKey && !keys
          ? await jwtVerify(match[1], await secretKey, options)
          : await jwtVerify(match[1], remote as JWTVerifyGetKey, options);
      payload = result.payload;
    } catch (err) {
      throw refusalFor(err, !secretKey || Boolean(keys));
    }
    const sub = payload.sub;
    if (typeof sub !== 'string' || sub.length === 0 || sub.length > MAX_SUBJECT) {
      throw new ApiError('unauthorized', 'The portal session token has no usable subject.', 'token-subject');
    }
    // jose required `exp` and checked that it is a number; a fractional one is floored so tokens end no later.
    const exp = Math.floor(payload.exp as number);
    const name = displayName(payload[portal.nameClaim]);
    const peers = parsePeers(payload[portal.peersClaim]);
    return { sub, exp, ...(name !== undefined ? { name } : {}), ...(peers !== undefined ? { peers } : {}) };
  };
}

function refusalFor(err: unknown, remoteKeys: boolean): ApiError {
  if (err instanceof errors.JWTExpired)
    return new ApiError('unauthorized', 'The portal session token has expired.', 'token-expired');
  if (err instanceof errors.JWTClaimValidationFailed) {
    return new ApiError(
      'unauthorized',
      'The portal session token is not valid here.',
      `token-claim-${err.claim}`,
    );
  }
  if (err instanceof errors.JWSSignatureVerificationFailed) {
    return new ApiError('unauthorized', 'The portal session token is not valid.', 'token-signature');
  }
  if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JOSEAlgNotAllowed) {
    return new ApiError('unauthorized', 'The portal session token is not valid.', 'token-key');
  }
  const keySetDown =
    err instanceof errors.JWKSTimeout ||
    err instanceof errors.JWKSInvalid ||
    !(err instanceof errors.JOSEError);
  if (remoteKeys && keySetDown) {
    return new ApiError('upstream-failed', 'The portal key set is unavailable.', 'jwks-unavailable');
  }
  return new ApiError('unauthorized', 'The portal session token is not valid.', 'token-invalid');
}

function displayName(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const name = value.trim();
  return name.length > 0 && name.length <= MAX_NAME ? name : undefined;
}

function parsePeers(value: unknown): PortalPeer[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const peers: PortalPeer[] = [];
  for (const item of value.slice(0, MAX_PEERS)) {
    if (typeof item === 'string') {
      if (isSubject(item)) peers.push({ sub: item });
    } else if (item && typeof item === 'object' && isSubject((item as { sub?: unknown }).sub)) {
      const name = displayName((item as { name?: unknown }).name);
      peers.push({ sub: (item as { sub: string }).sub, ...(name !== undefined ? { name } : {}) });
    }
  }
  return peers;
}

export function isSubject(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_SUBJECT;
}
