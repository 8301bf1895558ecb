/**
 * @module
 * The key directory as the record tools reach it: virgil-sdk's `CardManager` with tokens from the deployment's
 * App Key (the same `VIRGIL_*` variables as the token API), and virgil-crypto for every key operation. Cards are
 * verified by their self-signature and by the directory's signature: Virgil's own key by default, or
 * `VIRGIL_CARDS_SERVICE_KEY` (base64 SPKI) for a stand-in such as the local cloud.
 */
import { initCrypto, VirgilAccessTokenSigner, VirgilCardCrypto, VirgilCrypto } from 'virgil-crypto';
import { CardManager, GeneratorJwtProvider, JwtGenerator, VirgilCardVerifier } from 'virgil-sdk';

export interface VirgilAccess {
  readonly appId: string;
  readonly appKeyId: string;
  /** The App Key, base64 PKCS#8 DER (`VIRGIL_APP_KEY`). */
  readonly appKey: string;
  readonly apiUrl: string;
  /** The directory's card-signing key (base64 SPKI) when it is not Virgil's own (the local stand-in). */
  readonly cardsServiceKey?: string;
}

const DEFAULT_API_URL = 'https://api.virgilsecurity.com';

/** The `VIRGIL_*` variables, or the names of the missing ones. */
export function virgilAccessFromEnv(env: Record<string, string | undefined>): VirgilAccess | string[] {
  const get = (name: string) => env[name]?.trim() || undefined;
  const missing = ['VIRGIL_APP_ID', 'VIRGIL_APP_KEY_ID', 'VIRGIL_APP_KEY'].filter((n) => !get(n));
  if (missing.length) return missing;
  const cardsServiceKey = get('VIRGIL_CARDS_SERVICE_KEY');
  return {
    appId: get('VIRGIL_APP_ID')!,
    appKeyId: get('VIRGIL_APP_KEY_ID')!,
    appKey: get('VIRGIL_APP_KEY')!,
    apiUrl: (get('VIRGIL_API_URL') ?? DEFAULT_API_URL).replace(/\/+$/, ''),
    ...(cardsServiceKey ? { cardsServiceKey } : {}),
  };
}

let ready: Promise<VirgilCrypto> | undefined;

/** virgil-crypto, its WASM loaded once. */
export function virgilCrypto(): Promise<VirgilCrypto> {
  ready ??= initCrypto().then(() => new VirgilCrypto());
  return ready;
}

/** A card manager acting as `identity` (tokens minted from the App Key, as the token API mints them). */
export async function cardManager(access: VirgilAccess, identity: string): Promise<CardManager> {
  const crypto = await virgilCrypto();
  const cardCrypto = new VirgilCardCrypto(crypto);
  const generator = new JwtGenerator({
    appId: access.appId,
    apiKeyId: access.appKeyId,
    apiKey: crypto.importPrivateKey(access.appKey),
    accessTokenSigner: new VirgilAccessTokenSigner(crypto),
    millisecondsToLive: 10 * 60 * 1000,
  });
  const service = access.cardsServiceKey;
  return new CardManager({
    cardCrypto,
    cardVerifier: new VirgilCardVerifier(cardCrypto, {
      verifySelfSignature: true,
      verifyVirgilSignature: service === undefined,
      whitelists: service ? [[{ signer: 'virgil', publicKeyBase64: service }]] : [],
    }),
    accessTokenProvider: new GeneratorJwtProvider(generator, undefined, identity),
    retryOnUnauthorized: true,
    apiUrl: access.apiUrl,
  });
}
