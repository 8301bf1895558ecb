// Builds the element's ChatSession: the token API, the device's stores (pinned members, revision ledger), and the
// lazy stream-chat and E3Kit adapters, unless the page replaced them through `services`. Wiring only; the session
// itself is in core/session.ts.
import { IdbPinnedMembers } from './adapters/idb-pinned-members.js';
import { IdbRevisionLedger } from './adapters/idb-revisions.js';
import { createTokenApi } from './adapters/token-api.js';
import type { KeyProtection } from './core/key-protection.js';
import type { ApiPort, ChatPort, CryptoPort, PinnedMembers } from './core/ports.js';
import { SecureChatError } from './core/errors.js';
import { ServerClock } from './core/server-clock.js';
import { ChatSession, type StartOptions } from './core/session.js';
import type { SendDetail } from './events.js';

/** Replaceable services: a seam for tests and power users. Anything left out uses the real implementation. */
export interface SecureChatServices {
  api?: ApiPort;
  loadChat?: () => Promise<ChatPort>;
  loadCrypto?: (virgil: { apiUrl: string; token: () => Promise<string> }) => Promise<CryptoPort>;
  /** Where the members the user agreed to are kept (default: IndexedDB `<key-storage-name>-members`). */
  pinned?: PinnedMembers;
  /** Test seam: receives each session's crypto port once it exists, e.g. to check `keyMaterial()` after a lock. */
  inspectCrypto?: (port: CryptoPort) => void;
  /**
   * Asked after `secure-chat-send` was not cancelled here; resolves false to stop the send. Frame isolation uses it
   * to let the portal page cancel the send on the host element (widget/src/frame/frame.ts).
   */
  confirmSend?: (detail: SendDetail) => Promise<boolean>;
}

/**
 * The locked screen's passkey re-authentication, when a passkey protects `identity`'s key in this element's store
 * (`<key-storage-name>-wrapped`): the assertion to run on the user's click. From the E3Kit chunk, which the locked
 * session had loaded already (its WASM loads only when E3Kit starts).
 */
export async function passkeyReauthentication(storageName: string, identity: string) {
  const e3kit = await import('./adapters/e3kit.js');
  return e3kit.passkeyReauthentication(`${storageName}-wrapped`, identity);
}

export interface SessionWiring extends StartOptions {
  apiUrl: string;
  services: SecureChatServices;
  /** The portal session token: `getSessionToken()`'s, else the fixed `sessionToken`. */
  sessionToken: () => Promise<string> | string | undefined;
  /** IndexedDB name of this device's key store. */
  storageName: string;
  /** Seconds a member's card is reused; invalid values fall back to the default of 5 minutes. */
  cardTtlSeconds: number;
  /** Starts loading the views chunk with the adapters. */
  preloadViews: () => void;
  /** The crypto adapter's hooks for key verification and the passkey. */
  onKeyChange: (contactId: string) => void;
  passkeyUnlock: (attempt: () => Promise<CryptoKey>) => Promise<CryptoKey>;
  onKeyProtection: (protection: KeyProtection) => void;
  onCrypto: (port: CryptoPort) => void;
}

export function createChatSession(w: SessionWiring): { session: ChatSession; options: StartOptions } {
  const { services } = w;
  const sessionToken = async () => {
    // A portal whose getSessionToken rejects has no session for this user any more (signed out, expired).
    let token: string | undefined;
    try {
      token = await w.sessionToken();
    } catch (cause) {
      throw new SecureChatError('unauthorized', 'The portal did not provide a session token.', { cause });
    }
    if (!token) throw new SecureChatError('config', 'The page did not provide a session token.');
    return token;
  };
  const ttl = w.cardTtlSeconds;
  const cardTtlMs = Number.isFinite(ttl) && ttl > 0 ? ttl * 1000 : 300_000;
  const chatModule = () => import('./adapters/stream-chat.js');
  const cryptoModule = () => import('./adapters/e3kit.js');
  // The token API's clock: signed times and token expiry follow it, not a browser clock that may be off.
  const clock = new ServerClock();
  const session = new ChatSession({
    now: () => clock.now(),
    api: services.api ?? createTokenApi({ apiUrl: w.apiUrl, sessionToken, clock }),
    preload: () => {
      w.preloadViews();
      if (!services.loadChat) void chatModule();
      if (!services.loadCrypto) void cryptoModule();
    },
    loadChat: services.loadChat ?? (async () => (await chatModule()).createStreamChatPort()),
    loadCrypto: async (virgil) => {
      const port = services.loadCrypto
        ? await services.loadCrypto(virgil)
        : await (
            await cryptoModule()
          ).createE3kitPort({
            ...virgil,
            storageName: w.storageName,
            cardTtlMs,
            now: () => clock.now(),
            onKeyChange: w.onKeyChange,
            passkeyUnlock: w.passkeyUnlock,
            onKeyProtection: w.onKeyProtection,
          });
      w.onCrypto(port);
      services.inspectCrypto?.(port);
      return port;
    },
    pinned: services.pinned ?? new IdbPinnedMembers(`${w.storageName}-members`),
    // Per device and key store, like the key: `<key-storage-name>-revisions`.
    revisions: new IdbRevisionLedger(`${w.storageName}-revisions`),
    pageVisible: () => document.visibilityState === 'visible',
  });
  return {
    session,
    options: { ...(w.channel ? { channel: w.channel } : {}), ...(w.peer ? { peer: w.peer } : {}) },
  };
}
