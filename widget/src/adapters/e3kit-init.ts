// Builds an EThree instance the way `EThree.initialize` does, minus Pythia: initialize only the foundation WASM, then
// call the public constructor. Pythia loads later, on demand (see ./pythia.ts).
import { EThree, type EThreeInitializeOptions } from '@virgilsecurity/e3kit-browser';
import foundationWasmUrl from '@virgilsecurity/e3kit-browser/dist/libfoundation.browser.wasm';
import { initCrypto } from 'virgil-crypto/dist/browser.es.js';

/** Refresh a token this many seconds before it expires (the margin E3Kit's own CachingJwtProvider uses). */
const EXPIRY_MARGIN_S = 5;

interface VirgilJwt {
  toString(): string;
  identity(): string;
  isExpired(at?: Date): boolean;
}

function parseJwt(token: string): VirgilJwt {
  const body = token.split('.')[1];
  if (!body) throw new Error('Wrong JWT format');
  const claims = JSON.parse(atob(body.replace(/-/g, '+').replace(/_/g, '/'))) as {
    sub?: string;
    exp?: number;
  };
  const sub = claims.sub ?? '';
  if (!sub.startsWith('identity-')) throw new Error('wrong sub format');
  const exp = claims.exp ?? 0;
  return {
    toString: () => token,
    identity: () => sub.slice('identity-'.length),
    isExpired: (at = new Date()) => exp < Math.floor(at.getTime() / 1000),
  };
}

/** Same contract as virgil-sdk's CachingJwtProvider: cache while fresh, one renewal in flight at a time. */
export class VirgilTokenProvider {
  #cached: VirgilJwt | undefined;
  #renewing: Promise<VirgilJwt> | undefined;

  /** `now` is the server's clock when known: a browser clock minutes slow would keep an expired token. */
  constructor(
    private readonly renew: () => Promise<string>,
    private readonly now: () => number = Date.now,
  ) {}

  /** `forceReload`: Virgil refused the token as expired (virgil-sdk retries once with a fresh one). */
  getToken(context?: { forceReload?: boolean }): Promise<VirgilJwt> {
    const soon = new Date(this.now() + EXPIRY_MARGIN_S * 1000);
    if (this.#cached && !context?.forceReload && !this.#cached.isExpired(soon))
      return Promise.resolve(this.#cached);
    this.#renewing ??= this.renew()
      .then((token) => (this.#cached = parseJwt(token)))
      .finally(() => (this.#renewing = undefined));
    return this.#renewing;
  }
}

/** `EThree.initialize` without loading Pythia's WASM. */
export async function initializeEThree(
  getToken: () => Promise<string>,
  options: Omit<EThreeInitializeOptions, 'foundationWasmPath' | 'pythiaWasmPath'>,
  now?: () => number,
): Promise<EThree> {
  await initCrypto({ foundation: [{ locateFile: () => foundationWasmUrl }] });
  const accessTokenProvider = new VirgilTokenProvider(getToken, now);
  const identity = (await accessTokenProvider.getToken()).identity();
  return new EThree(identity, { ...options, accessTokenProvider });
}
