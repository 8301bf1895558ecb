/**
 * @module
 * Chat user ids. The portal's subject (`sub`) may be a name, an e-mail or a record number, so it never reaches
 * Stream or Virgil: the chat id is `u` + the first 128 bits of HMAC-SHA256(sub) under `USER_ID_SECRET`, in
 * lowercase hex (33 ASCII characters). It is stable for a given secret, opaque without it, valid as a Stream user
 * id (`[a-zA-Z0-9@_-]`, ≤ 64) and as a Virgil identity (ASCII).
 */
import { webCryptoProvider } from './crypto.js';
import type { CryptoProvider } from './crypto.js';
import { hex, utf8 } from './encoding.js';

/** Makes a deriver with the key imported once: the hot-path form used by the app. */
export function createChatUserIdDeriver(
  secret: string,
  provider: CryptoProvider = webCryptoProvider,
): (sub: string) => Promise<string> {
  const mac = provider.hmacSha256(utf8(secret));
  return async (sub) => `u${hex((await mac(utf8(sub))).subarray(0, 16))}`;
}

/**
 * Derives the opaque chat user id for a portal subject.
 * @example await chatUserId('patient-4711', process.env.USER_ID_SECRET!) // 'u3f0c…' (33 chars)
 */
export function chatUserId(sub: string, secret: string): Promise<string> {
  return createChatUserIdDeriver(secret)(sub);
}
