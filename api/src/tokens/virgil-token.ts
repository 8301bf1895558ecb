/**
 * @module
 * Virgil access tokens (the VEDS512 JWT that E3Kit's `getToken` returns), signed with plain Ed25519 through the
 * `CryptoProvider` (WebCrypto by default), so no WASM is needed on any runtime. The scheme: the signed message is the SHA-512 digest of
 * `base64url(header) "." base64url(body)`, the Ed25519 signature is wrapped in the DER
 * `SEQUENCE { AlgorithmIdentifier(sha512), OCTET STRING }` Virgil expects, and the result is base64url-encoded.
 * The App Key is imported once per signer.
 */
import { webCryptoProvider } from '../crypto.js';
import type { CryptoProvider } from '../crypto.js';
import { base64url, utf8 } from '../encoding.js';
import type { IssuedToken } from './stream-token.js';

/** DER header of `SEQUENCE { SEQUENCE { OID sha512, NULL }, OCTET STRING(64) }`, followed by the raw signature. */
const SIGNATURE_DER_PREFIX = Uint8Array.from([
  0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04,
  0x40,
]);

export interface VirgilTokenOptions {
  readonly appId: string;
  readonly appKeyId: string;
  /** Ed25519 private key, PKCS#8 DER. */
  readonly appKey: Uint8Array<ArrayBuffer>;
  readonly ttlS: number;
}

export interface VirgilTokenSigner {
  /** `notAfterS`: epoch seconds the token must not outlive (the portal session's `exp`); default: `ttlS` only. */
  issue(identity: string, nowMs?: number, notAfterS?: number): Promise<IssuedToken>;
}

/** @example const signer = createVirgilTokenSigner(config.virgil); const { token } = await signer.issue(userId); */
export function createVirgilTokenSigner(
  opts: VirgilTokenOptions,
  provider: CryptoProvider = webCryptoProvider,
): VirgilTokenSigner {
  const signEd25519 = provider.ed25519(opts.appKey);
  const header = base64url(
    utf8(JSON.stringify({ alg: 'VEDS512', kid: opts.appKeyId, typ: 'JWT', cty: 'virgil-jwt;v=1' })),
  );
  const issuer = `virgil-${opts.appId}`;
  return {
    async issue(identity, nowMs = Date.now(), notAfterS = Infinity) {
      const iat = Math.floor(nowMs / 1000);
      const exp = Math.min(iat + opts.ttlS, notAfterS);
      const body = base64url(utf8(JSON.stringify({ iss: issuer, sub: `identity-${identity}`, iat, exp })));
      const unsigned = `${header}.${body}`;
      const signature = await signEd25519(await provider.sha512(utf8(unsigned)));
      const der = new Uint8Array(SIGNATURE_DER_PREFIX.length + signature.length);
      der.set(SIGNATURE_DER_PREFIX);
      der.set(signature, SIGNATURE_DER_PREFIX.length);
      return { token: `${unsigned}.${base64url(der)}`, expiresAt: new Date(exp * 1000).toISOString() };
    },
  };
}
