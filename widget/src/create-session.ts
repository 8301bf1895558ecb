// Builds the element's ChatSession: the token API, and the lazy stream-chat and E3Kit adapters, unless the page
// replaced them through `services`. Wiring only; the session itself is in core/session.ts.
import { createTokenApi } from './adapters/token-api.js';
import type { KeyProtection } from './core/key-protection.js';
import type { ApiPort, ChatPort, CryptoPort } from './core/ports.js';
import { ChatSession } from './core/session.js';

/** Replaceable services: a seam for tests and power users. Anything left out uses the real implementation. */
export interface SecureChatServices {
  api?: ApiPort;
  loadChat?: () => Promise<ChatPort>;
  loadCrypto?: (virgil: { apiUrl: string; token: () => Promise<string> }) => Promise<CryptoPort>;
}

export interface SessionWiring {
  apiUrl: string;
  services: SecureChatServices;
  sessionToken: () => Promise<string>;
  /** IndexedDB name of this device's key store. */
  storageName: string;
  cardTtlMs: number;
  /** Starts loading the views chunk with the adapters. */
  preloadViews: () => void;
  /** The crypto adapter's hooks for key verification and the passkey. */
  onKeyChange: (contactId: string) => void;
  passkeyUnlock: (attempt: () => Promise<CryptoKey>) => Promise<CryptoKey>;
  onKeyProtection: (protection: KeyProtection) => void;
  onCrypto: (port: CryptoPort) => void;
}

export function createChatSession(w: SessionWiring): ChatSession {
  const { services } = w;
  const chatModule = () => import('./adapters/stream-chat.js');
  const cryptoModule = () => import('./adapters/e3kit.js');
  return new ChatSession({
    api: services.api ?? createTokenApi({ apiUrl: w.apiUrl, sessionToken: w.sessionToken }),
    preload: () => {
      w.preloadViews();
      if (!services.loadChat) void chatModule();
      if (!services.loadCrypto) void cryptoModule();
    },
    loadChat: services.loadChat ?? (async () => (await chatModule()).createStreamChatPort()),
    loadCrypto:
      services.loadCrypto ??
      (async (virgil) => {
        const port = await (
          await cryptoModule()
        ).createE3kitPort({
          ...virgil,
          storageName: w.storageName,
          cardTtlMs: w.cardTtlMs,
          onKeyChange: w.onKeyChange,
          passkeyUnlock: w.passkeyUnlock,
          onKeyProtection: w.onKeyProtection,
        });
        w.onCrypto(port);
        return port;
      }),
    pageVisible: () => document.visibilityState === 'visible',
  });
}
