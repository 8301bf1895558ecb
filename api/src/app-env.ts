/**
 * @module
 * Types shared by the app factory and its routes: the Hono environment (runtime bindings and request variables)
 * and the services built once per app (signers, user-id derivation, channel directory, clock).
 */
import type { PortalSession } from './auth/portal-session.js';
import type { ChannelDirectory } from './channels/directory.js';
import type { ApiConfig } from './config.js';
import type { StreamTokenSigner } from './tokens/stream-token.js';
import type { VirgilTokenSigner } from './tokens/virgil-token.js';

/** What a runtime passes as `env`: Workers bindings (strings and secrets); Node passes nothing we read. */
export type ApiBindings = Readonly<Record<string, unknown>>;

export interface ApiVariables {
  session: PortalSession;
  userId: string;
  auditReason?: string;
  /** The body, when the body-limit middleware had to read it (no Content-Length). */
  bodyText?: string;
}

export interface ApiEnv {
  Bindings: ApiBindings;
  Variables: ApiVariables;
}

export interface AppServices {
  readonly config: ApiConfig;
  readonly streamSigner: StreamTokenSigner;
  readonly virgilSigner: VirgilTokenSigner;
  readonly channels: ChannelDirectory;
  /** Chat user id of a portal subject (HMAC key imported once). */
  chatId(sub: string): Promise<string>;
  now(): number;
}
