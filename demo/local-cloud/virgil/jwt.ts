/**
 * Virgil access tokens (VEDS512 JWTs): verification for the stand-in, and minting for dev tooling and tests.
 * Format: base64url(header) "." base64url(body) "." base64url(Virgil signature of the first two parts).
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { VirgilError, VirgilErrorCode } from './errors.js';
import { signVirgil, verifyVirgil } from './virgil-signature.js';

const TOKEN_HEADER = { alg: 'VEDS512', typ: 'JWT', cty: 'virgil-jwt;v=1' } as const;
const ISSUER_PREFIX = 'virgil-';
const SUBJECT_PREFIX = 'identity-';

export interface AppKeys {
  appId: string;
  /** App Key ID → Ed25519 public key. */
  publicKeys: ReadonlyMap<string, KeyObject>;
}

export interface VerifiedToken {
  identity: string;
  appKeyId: string;
  expiresAt: number;
}

function unauthorized(code: VirgilErrorCode, message: string): VirgilError {
  return new VirgilError(401, code, message);
}

/** The clients base64-encode JSON as Latin-1 "binary strings", so decode the same way. */
function decodeJsonPart(part: string): unknown {
  return JSON.parse(Buffer.from(part, 'base64url').toString('latin1'));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks an `Authorization: Virgil <jwt>` header and returns the caller's identity.
 * Throws a 401 VirgilError whose code names the failure; an expired token gets 20304 so clients refresh.
 * @example const { identity } = verifyAuthorization(req.header('authorization'), keys, Date.now() / 1000, 60);
 */
export function verifyAuthorization(
  authorization: string | undefined,
  keys: AppKeys,
  nowSeconds: number,
  leewaySeconds: number,
): VerifiedToken {
  const match = /^Virgil (\S+)$/.exec(authorization ?? '');
  if (!match?.[1]) {
    throw unauthorized(
      VirgilErrorCode.AuthorizationMissing,
      'Authorization header "Virgil <token>" is missing.',
    );
  }
  const parts = match[1].split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]+$/.test(p))) {
    throw unauthorized(VirgilErrorCode.TokenMalformed, 'Access token is not a three-part base64url JWT.');
  }
  const [headerPart, bodyPart, signaturePart] = parts as [string, string, string];
  let header: unknown;
  let body: unknown;
  try {
    header = decodeJsonPart(headerPart);
    body = decodeJsonPart(bodyPart);
  } catch {
    throw unauthorized(VirgilErrorCode.TokenMalformed, 'Access token header or body is not JSON.');
  }
  if (!isRecord(header) || !isRecord(body)) {
    throw unauthorized(VirgilErrorCode.TokenMalformed, 'Access token header or body is not a JSON object.');
  }
  if (header.alg !== TOKEN_HEADER.alg || header.typ !== TOKEN_HEADER.typ || header.cty !== TOKEN_HEADER.cty) {
    throw unauthorized(
      VirgilErrorCode.TokenHeaderInvalid,
      'Access token header must have alg "VEDS512", typ "JWT" and cty "virgil-jwt;v=1".',
    );
  }
  const publicKey = typeof header.kid === 'string' ? keys.publicKeys.get(header.kid) : undefined;
  if (!publicKey)
    throw unauthorized(VirgilErrorCode.TokenUnknownAppKeyId, 'Access token kid is not a known App Key ID.');
  if (body.iss !== ISSUER_PREFIX + keys.appId) {
    throw unauthorized(VirgilErrorCode.TokenWrongApp, 'Access token was issued for another App ID.');
  }
  if (typeof body.sub !== 'string' || !body.sub.startsWith(SUBJECT_PREFIX) || body.sub === SUBJECT_PREFIX) {
    throw unauthorized(
      VirgilErrorCode.TokenSubjectInvalid,
      'Access token sub must be "identity-<identity>".',
    );
  }
  if (typeof body.exp !== 'number' || typeof body.iat !== 'number') {
    throw unauthorized(VirgilErrorCode.TokenMalformed, 'Access token iat and exp must be numbers.');
  }
  const signed = Buffer.from(`${headerPart}.${bodyPart}`, 'ascii');
  if (!verifyVirgil(publicKey, signed, Buffer.from(signaturePart, 'base64url'))) {
    throw unauthorized(VirgilErrorCode.TokenSignatureInvalid, 'Access token signature is invalid.');
  }
  if (body.exp + leewaySeconds < nowSeconds) {
    throw unauthorized(VirgilErrorCode.TokenExpired, 'JWT token is expired.');
  }
  return {
    identity: body.sub.slice(SUBJECT_PREFIX.length),
    appKeyId: header.kid as string,
    expiresAt: body.exp,
  };
}

/** The Ed25519 public key that belongs to an App Key given as base64 PKCS#8 DER. */
export function publicKeyFromAppKey(appKeyPkcs8Base64: string): KeyObject {
  return createPublicKey(privateKeyFromBase64(appKeyPkcs8Base64));
}

/** Imports a base64 PKCS#8 DER private key (the App Key format Virgil's dashboard hands out). */
export function privateKeyFromBase64(pkcs8Base64: string): KeyObject {
  return createPrivateKey({ key: Buffer.from(pkcs8Base64, 'base64'), format: 'der', type: 'pkcs8' });
}

/** Imports a base64 SPKI DER public key. */
export function publicKeyFromBase64(spkiBase64: string): KeyObject {
  return createPublicKey({ key: Buffer.from(spkiBase64, 'base64'), format: 'der', type: 'spki' });
}

export interface MintOptions {
  appId: string;
  appKeyId: string;
  /** Ed25519 App Key, base64 PKCS#8 DER. */
  appKey: string;
  identity: string;
  /** Lifetime in seconds; negative mints an already expired token (for tests). Default 20 minutes. */
  ttlSeconds?: number;
  nowSeconds?: number;
}

/**
 * Mints a VEDS512 token exactly as virgil-sdk's JwtGenerator does (dev tooling and tests only).
 * @example const jwt = mintVirgilJwt({ appId, appKeyId, appKey, identity: 'alice', ttlSeconds: 60 });
 */
export function mintVirgilJwt(opts: MintOptions): string {
  const iat = Math.floor(opts.nowSeconds ?? Date.now() / 1000);
  const encode = (value: object) => Buffer.from(JSON.stringify(value), 'latin1').toString('base64url');
  const unsigned =
    encode({ alg: TOKEN_HEADER.alg, kid: opts.appKeyId, typ: TOKEN_HEADER.typ, cty: TOKEN_HEADER.cty }) +
    '.' +
    encode({
      iss: ISSUER_PREFIX + opts.appId,
      sub: SUBJECT_PREFIX + opts.identity,
      iat,
      exp: iat + (opts.ttlSeconds ?? 1200),
    });
  const signature = signVirgil(privateKeyFromBase64(opts.appKey), Buffer.from(unsigned, 'ascii'));
  return `${unsigned}.${signature.toString('base64url')}`;
}
