// WebAuthn passkeys with the PRF extension as the source of the key store's wrapping key: support detection,
// enrolment, the assertion that unwraps, the key-protection controls the passkey offer uses, and the assertion the
// lock screen asks for when a passkey protects this device's key (the re-authentication; see ui/lock-screen.ts).
import type { KeyProtection } from '../core/key-protection.js';
import type { PasskeyRecord, WrappedKeyStorage, WrappingKeySource } from './wrapped-key-storage.js';

/**
 * True when a passkey can protect the key here: the browser evaluates the PRF extension and has a passkey provider
 * with user verification (WebAuthn Level 3 client capabilities). Chromium reports `extension:prf` even with no
 * authenticator, hence the second check. An authenticator may still lack PRF: `createPasskey` then says so.
 */
export async function passkeyPrfSupported(): Promise<boolean> {
  const pkc = globalThis.PublicKeyCredential as
    { getClientCapabilities?: () => Promise<Record<string, boolean>> } | undefined;
  try {
    const caps = await pkc?.getClientCapabilities?.();
    return (
      caps?.['extension:prf'] === true &&
      (caps.passkeyPlatformAuthenticator === true || caps.userVerifyingPlatformAuthenticator === true)
    );
  } catch {
    return false;
  }
}

/** The passkey worked but returned no PRF output: it cannot protect the key. */
export class PasskeyPrfUnavailableError extends Error {
  override readonly name = 'PasskeyPrfUnavailableError';
  constructor() {
    super('This passkey cannot derive keys (no WebAuthn PRF support).');
  }
}

type PrfResults = { prf?: { enabled?: boolean; results?: { first?: BufferSource } } } | undefined;

/** HKDF-SHA-256 from the PRF output to a non-extractable AES-GCM-256 wrapping key. */
async function deriveWrappingKey(secret: BufferSource): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey('raw', secret, 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    {
      name: 'HKDF',
      hash: 'SHA-256',
      salt: new Uint8Array(0),
      info: new TextEncoder().encode('secure-chat key wrapping v1'),
    },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

/** Asks the passkey (user verification required) for its PRF output on `salt` and derives the wrapping key. */
export async function unlockPasskey(record: PasskeyRecord, rpId?: string): Promise<CryptoKey> {
  const credential = (await navigator.credentials.get({
    publicKey: {
      challenge: crypto.getRandomValues(new Uint8Array(32)),
      allowCredentials: [{ type: 'public-key', id: record.credentialId }],
      userVerification: 'required',
      ...(rpId ? { rpId } : {}),
      extensions: { prf: { eval: { first: record.salt } } } as AuthenticationExtensionsClientInputs,
    },
  })) as PublicKeyCredential | null;
  const secret = (credential?.getClientExtensionResults() as PrfResults)?.prf?.results?.first;
  if (!secret) throw new PasskeyPrfUnavailableError();
  return deriveWrappingKey(secret);
}

/**
 * Creates a passkey for this origin and derives a wrapping key from its PRF output. `label` is what the passkey
 * manager shows: a product name, never the person's name (the user handle is random bytes too).
 */
export async function createPasskey(label: string): Promise<{ record: PasskeyRecord; key: CryptoKey }> {
  const salt = crypto.getRandomValues(new Uint8Array(32));
  const credential = (await navigator.credentials.create({
    publicKey: {
      rp: { name: label },
      user: { id: crypto.getRandomValues(new Uint8Array(16)), name: label, displayName: label },
      challenge: crypto.getRandomValues(new Uint8Array(32)),
      pubKeyCredParams: [
        { type: 'public-key', alg: -7 },
        { type: 'public-key', alg: -257 },
      ],
      authenticatorSelection: { residentKey: 'preferred', userVerification: 'required' },
      extensions: { prf: { eval: { first: salt } } } as AuthenticationExtensionsClientInputs,
    },
  })) as PublicKeyCredential | null;
  if (!credential) throw new PasskeyPrfUnavailableError();
  const record = { credentialId: credential.rawId, salt: salt.buffer };
  const prf = (credential.getClientExtensionResults() as PrfResults)?.prf;
  // Some authenticators only evaluate the PRF on a later assertion.
  if (prf?.results?.first) return { record, key: await deriveWrappingKey(prf.results.first) };
  if (prf?.enabled) return { record, key: await unlockPasskey(record) };
  throw new PasskeyPrfUnavailableError();
}

/**
 * A fixed passkey as the source for every entry of a store (a portal that enrols passkeys itself). The key is derived
 * once per instance and only kept in memory. The widget's own offer uses `protectWithPasskey` per identity instead.
 */
export function passkeyWrappingKey(options: {
  credentialId: BufferSource;
  /** Per-deployment salt for the PRF evaluation (32 random bytes, stored by the portal with the credential id). */
  salt: BufferSource;
  rpId?: string;
}): WrappingKeySource {
  let key: Promise<CryptoKey> | undefined;
  const record: PasskeyRecord = { credentialId: options.credentialId, salt: options.salt };
  return {
    getKey() {
      key ??= unlockPasskey(record, options.rpId);
      return key;
    },
  };
}

/** The passkey offer's controls over `identity`'s stored key (see controllers/passkey-controller.ts). */
export function keyProtection(storage: WrappedKeyStorage, identity: string): KeyProtection {
  return {
    status: async () => ({
      supported: await passkeyPrfSupported(),
      state: await storage.protection(identity),
    }),
    protect: async (label) => {
      const { record, key } = await createPasskey(label);
      await storage.protectWithPasskey(identity, record, key);
    },
    decline: () => storage.declinePasskey(identity),
  };
}
