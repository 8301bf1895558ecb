/**
 * @module
 * Chat user ids. The portal's subject (`sub`) may be a name, an e-mail or a record number, so it never reaches
 * Stream or Virgil: the chat id is `u` + the first 128 bits of HMAC-SHA256(sub) under `USER_ID_SECRET`, in
 * lowercase hex (33 ASCII characters). It is stable for a given secret, opaque without it, valid as a Stream user
 * id (`[a-zA-Z0-9@_-]`, ≤ 64) and as a Virgil identity (ASCII).
 */
import { hex, utf8 } from './encoding.js';

/** Imports the HMAC key once; pass the result to `chatUserId` on hot paths. */
export function importUserIdKey(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', utf8(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
}

/**
 * Derives the opaque chat user id for a portal subject.
 * @example await chatUserId('patient-4711', process.env.USER_ID_SECRET!) // 'u3f0c…' (33 chars)
 */
export async function chatUserId(sub: string, secret: string | CryptoKey): Promise<string> {
  const key = typeof secret === 'string' ? await importUserIdKey(secret) : secret;
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, utf8(sub)));
  return `u${hex(mac.subarray(0, 16))}`;
}
