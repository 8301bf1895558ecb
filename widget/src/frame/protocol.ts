// What crosses the boundary of frame isolation (`<secure-chat isolation="frame">`, docs/isolation.md): the element
// on the portal page (frame-host.ts) and the widget in its iframe (frame.ts) talk over one MessageChannel. Plain
// settings, ids, counts, states and error codes only: never plaintext, keys or the encryption instance.
import type { ErrorCode } from '../core/errors.js';
import type { SendDetail } from '../events.js';

/** The handshake message the host posts, with the channel's port, to the frame's exact origin. */
export const CONNECT = 'secure-chat-frame-connect';

/** Element properties forwarded as values. Functions (`getSessionToken`, `reauthenticate`) stay on the host. */
export const FORWARDED_PROPERTIES = [
  'apiUrl',
  'channel',
  'peer',
  'keyStorageName',
  'cardTtl',
  'layout',
  'idleTimeout',
  'sessionLimit',
  'maxFileSize',
  'theme',
  'enterKey',
] as const;

/** The custom properties read on the host (`getComputedStyle`) and set on the widget in the frame. */
export const STYLE_PROPERTIES = [
  '--secure-chat-accent',
  '--secure-chat-focus-ring',
  '--secure-chat-accent-text',
  '--secure-chat-background',
  '--secure-chat-text',
  '--secure-chat-muted-text',
  '--secure-chat-surface',
  '--secure-chat-danger',
  '--secure-chat-border',
  '--secure-chat-radius',
  '--secure-chat-font',
  '--secure-chat-max-height',
] as const;

/**
 * The events the frame passes on; each is dispatched again on the host element with the same detail.
 * `secure-chat-send` is not among them: it is dispatched on the host before the send (`confirm-send`), cancelable.
 */
export const FRAME_EVENTS = [
  'secure-chat-ready',
  'secure-chat-error',
  'secure-chat-message',
  'secure-chat-key',
  'secure-chat-signed-out',
  'secure-chat-unread',
  'secure-chat-locked',
  'secure-chat-audit',
  'secure-chat-file-downloaded',
] as const;
export type FrameEventName = (typeof FRAME_EVENTS)[number];

/** The element methods the host may call; `lock` takes the cause (`manual`, or `logout` for `secure-chat-logout`). */
export const FRAME_METHODS = ['send', 'edit', 'startConversation', 'signOut', 'reconnect', 'lock'] as const;
export type FrameMethod = (typeof FRAME_METHODS)[number];

export interface FrameSettings {
  props: Partial<Record<(typeof FORWARDED_PROPERTIES)[number], string | number>>;
  styles: Record<string, string>;
  /** The host's language (its own `lang`, else the nearest on the page) and forced direction ('' when not set). */
  lang: string;
  dir: string;
  /** Whether the portal set `reauthenticate`: the locked screen offers "Sign in again" only then. */
  reauthenticate: boolean;
}

export type HostMessage =
  | ({ t: 'settings' } & FrameSettings)
  | { t: 'call'; id: number; method: FrameMethod; args: unknown[] }
  | { t: 'reply'; id: number; ok: boolean; value?: string };

export interface FrameFailure {
  code: ErrorCode;
  message: string;
  recoverable: boolean;
}

export type FrameMessage =
  /** The widget is loaded: the embedding origin was allowed. */
  | { t: 'running'; title: string }
  /** The frame refused to run, or could not check where it is embedded. */
  | ({ t: 'failed' } & FrameFailure)
  | { t: 'request'; id: number; what: 'token' | 'reauthenticate' }
  /** Before each send or edit: the host dispatches the cancelable `secure-chat-send` and replies whether it may go. */
  | { t: 'confirm-send'; id: number; detail: SendDetail }
  | { t: 'event'; name: FrameEventName; detail: unknown }
  | { t: 'status'; status: string }
  | { t: 'height'; px: number }
  | (
      | { t: 'result'; id: number; ok: true; value?: string }
      | ({ t: 'result'; id: number; ok: false } & FrameFailure)
    );

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;
