// What core needs from the outside world, in domain terms. Adapters implement these; tests use fakes.
// Every capability core uses is declared here and required: no optional methods, no duck typing.
import type { ConversationSource } from './conversations.js';
import type { OrganizationKey } from './organization.js';

/** A person as the portal describes them. Names come only from the portal (via the token API). */
export interface Person {
  id: string;
  name?: string;
  /** The portal subject (contacts only): what `/v1/channels` takes to start a conversation. */
  sub?: string;
}

export interface StreamCredentials {
  apiKey: string;
  baseURL: string;
  token: string;
  expiresAt: string | number;
}

export interface VirgilCredentials {
  token: string;
  apiUrl: string;
  expiresAt: string | number;
}

export interface SessionInfo {
  user: Person;
  contacts: Person[];
  stream: StreamCredentials;
  virgil: VirgilCredentials;
  /** The deployment's organization recipient, when it has one (see core/organization.ts). */
  organization?: OrganizationKey;
}

/** The secure-chat token API (`POST /v1/*`). */
export interface ApiPort {
  session(signal?: AbortSignal): Promise<SessionInfo>;
  streamToken(): Promise<string>;
  virgilToken(): Promise<string>;
  openChannel(peers: readonly string[], signal?: AbortSignal): Promise<{ cid: string; members: string[] }>;
}

/**
 * The members the user agreed to, per conversation, kept on this device (`adapters/idb-pinned-members.ts`). Ids only.
 * Messages are sealed only to pinned members Stream still reports (see core/membership.ts).
 */
export interface PinnedMembers {
  /** The pinned member ids of `cid` for the signed-in `owner`, or undefined when this device has none yet. */
  get(owner: string, cid: string): Promise<readonly string[] | undefined>;
  set(owner: string, cid: string, members: readonly string[]): Promise<void>;
}

/** What the widget stores in a Stream message besides the placeholder text: the ciphertext, inline or as an upload. */
export interface SecurePayload {
  v: 1;
  /** base64 authEncrypt ciphertext of the envelope. */
  ct?: string;
  /**
   * Index of the message attachment holding the authEncrypted envelope (when `ct` would exceed Stream's
   * custom-data limit), with the SHA-256 of those bytes.
   */
  att?: number;
  sha256?: string;
  /** Older messages: the upload link of the envelope, sealed here instead of in an attachment (still read). */
  file?: string;
}

/** A Stream message as core sees it: metadata from the server, which is never trusted for content. */
export interface WireMessage {
  id: string;
  cid: string;
  senderId: string;
  createdAt: Date;
  updatedAt?: Date;
  parentId?: string;
  quotedId?: string;
  /** Number of thread replies Stream reports (metadata only). */
  replyCount?: number;
  deleted: boolean;
  secure?: SecurePayload;
  /** The link of each attachment, in order, as Stream returned it (it re-signs them on every read); '' if none. */
  attachments?: string[];
  /** Reaction counts by type, and the current user's own reaction types (plain metadata on Stream). */
  reactions?: Record<string, number>;
  ownReactions?: string[];
}

export interface OutgoingWire {
  id: string;
  parentId?: string;
  quotedId?: string;
  secure: SecurePayload;
  /** Upload links to attach to the message, in order (encrypted files, then an uploaded envelope). */
  attachments?: string[];
}

export type WireEventKind = 'new' | 'updated' | 'deleted';

/** Channel signals besides messages: ids, times and reaction types only, never content. */
export type ChatSignal =
  | { kind: 'typing'; userId: string; typing: boolean; parentId?: string }
  | { kind: 'read'; userId: string; at: Date }
  | { kind: 'presence'; userId: string; online: boolean }
  | { kind: 'reactions'; id: string; counts: Record<string, number>; own: string[] };

/** What watching a channel returns besides its members and latest messages. */
export interface WatchExtras {
  /** Each member's last read time. */
  reads?: Record<string, Date>;
  /** Members online now. */
  online?: string[];
}

export interface ChatPort {
  connect(
    userId: string,
    credentials: Omit<StreamCredentials, 'token' | 'expiresAt'>,
    token: () => Promise<string>,
  ): Promise<void>;
  /** Watches a channel; returns its member ids and latest messages (oldest first). */
  watch(
    cid: string,
    onEvent: (kind: WireEventKind, message: WireMessage) => void,
    onMembers: (members: string[]) => void,
    onSignal: (signal: ChatSignal) => void,
  ): Promise<{ members: string[]; messages: WireMessage[] } & WatchExtras>;
  /** Stops delivering a watched channel's events (the user left the conversation). */
  release(cid: string): void;
  /** The user's conversations, for the conversation list. */
  conversations(): ConversationSource;
  /** Up to `limit` messages older than `beforeId`, oldest first (Stream's `id_lt` pagination). */
  history(cid: string, beforeId: string, limit: number): Promise<WireMessage[]>;
  react(cid: string, id: string, type: string): Promise<void>;
  unreact(cid: string, id: string, type: string): Promise<void>;
  /** Tells the channel the user is typing (throttled by the client). */
  keystroke(cid: string, parentId?: string): Promise<void>;
  markRead(cid: string): Promise<void>;
  replies(cid: string, parentId: string): Promise<WireMessage[]>;
  send(cid: string, message: OutgoingWire): Promise<WireMessage>;
  update(cid: string, message: OutgoingWire): Promise<WireMessage>;
  /** Uploads opaque bytes through the channel upload; returns their URL. */
  upload(cid: string, data: Blob, onProgress?: (fraction: number) => void): Promise<string>;
  /** Downloads opaque bytes from an upload link; `signal` aborts the transfer (the widget locked). */
  download(url: string, onProgress?: (fraction: number) => void, signal?: AbortSignal): Promise<Blob>;
  /** Reports the realtime connection: false when it drops, true once it is back and state is recovered. */
  onConnection(listener: (online: boolean) => void): void;
  /** Top-level messages created after `since`, oldest first: fills the gap after a reconnect. */
  messagesSince(cid: string, since: Date): Promise<WireMessage[]>;
  disconnect(): Promise<void>;
}

/** Why a message could not be shown as trusted. Each has its own words in the UI. */
export type FailureReason =
  | 'unverified-sender' // signature did not verify against the sender's card(s)
  | 'unknown-sender' // the reported sender has no card
  | 'not-for-this-device' // not encrypted to this device's key
  | 'previous-key' // encrypted to a key this user has since replaced
  | 'tampered' // ciphertext or envelope is malformed or corrupted
  | 'misplaced' // envelope does not match the Stream message: replayed, moved, or sender swapped
  | 'not-encrypted' // the message carries no ciphertext at all
  | 'unavailable' // the uploaded ciphertext could not be fetched
  | 'time-mismatch' // the envelope's signed time disagrees with Stream's time for the message
  | 'rolled-back' // an older revision than this device has already verified: the server put an earlier version back
  | 'removed-by-server' // Stream reports the message deleted, but this device has seen no tombstone from its sender
  | 'stale-key'; // arrived live, but verifies only with a key the sender replaced long before now

/** The highest revision of a message this device has verified, and whether that revision is a tombstone. */
export interface SeenRevision {
  rev: number;
  tombstone: boolean;
}

/**
 * The highest revision this device has verified for each message, per signed-in user (`owner`) and conversation:
 * revisions only go forward (see core/revisions.ts). Ids and numbers only, never content. Stored on the device
 * (IndexedDB, `adapters/idb-revisions.ts`), so a rollback is caught after a reload too.
 */
export interface RevisionLedger {
  /** Every revision recorded for one conversation, by message id (read once per opened conversation). */
  conversation(owner: string, cid: string): Promise<Map<string, SeenRevision>>;
  /** Raises the stored revision, never lowers it; at the same revision a tombstone wins. */
  record(owner: string, cid: string, mid: string, rev: number, tombstone?: boolean): Promise<void>;
}

/** When the key that verified a signature was the sender's current key (ms; open ends are absent). */
export interface KeyValidity {
  from?: number;
  until?: number;
}

export type DecryptResult =
  { ok: true; plaintext: string; keyValid?: KeyValidity } | { ok: false; reason: FailureReason };

/** What the identity setup found on this device. */
export type IdentityStatus =
  | 'ready' // a local key matches a published card
  | 'registered' // this device just registered the user's first key: offer a backup
  | 'needs-restore'; // the user has a card but this device has no key

/** Opaque handle to the current public keys of a set of users. */
export type Recipients = { readonly ids: readonly string[]; readonly handle: unknown };

export interface CryptoPort {
  readonly identity: string;
  prepareIdentity(): Promise<IdentityStatus>;
  backup(password: string, opts?: { replace?: boolean }): Promise<void>;
  /** Rejects with SecureChatError 'wrong-password' or 'no-backup'. */
  restore(password: string): Promise<void>;
  /** Replaces the user's key pair; messages encrypted to the old key become unreadable. */
  rotate(): Promise<void>;
  /** Removes the private key from this device (sign-out on a shared computer). */
  forgetLocalKey(): Promise<void>;
  lookup(ids: readonly string[], opts?: { refresh?: readonly string[] }): Promise<Recipients>;
  /** The card `to` encrypts to for `id`: its id and public key (raw bytes), to check against a pinned key. */
  cardOf(to: Recipients, id: string): { cardId: string; publicKey: Uint8Array } | undefined;
  encrypt(plaintext: string, to: Recipients): Promise<string>;
  encryptToBlob(plaintext: string, to: Recipients): Promise<Blob>;
  /** Verifies with the key `from` held at `sentAt` (the newest key older than it; the oldest key before that). */
  decrypt(
    ciphertext: string,
    from: string,
    sentAt: Date,
    opts?: { refresh?: boolean },
  ): Promise<DecryptResult>;
  decryptBlob(data: Blob, from: string, sentAt: Date, opts?: { refresh?: boolean }): Promise<DecryptResult>;
  /** Encrypts and signs a file (chunked) to the recipients. */
  encryptFile(data: Blob, to: Recipients, onProgress?: (fraction: number) => void): Promise<Blob>;
  /** Decrypts a file and verifies the sender's signature; rejects when either fails, or when `signal` aborts. */
  decryptFile(
    data: Blob,
    from: string,
    sentAt: Date,
    onProgress?: (fraction: number) => void,
    signal?: AbortSignal,
  ): Promise<Blob>;
  /** A member's current public key (raw bytes) for safety codes; undefined when they have no key. */
  publicKey(id: string, refresh?: boolean): Promise<Uint8Array | undefined>;
  /**
   * Disposes every in-memory key object, drops the encryption library's instance and the caches, synchronously
   * (before the returned promise settles), and aborts streamed file operations still running.
   */
  close(): Promise<void>;
  /** What the port still holds of key material (an inspection for tests: see `SecureChatServices.inspectCrypto`). */
  keyMaterial(): KeyMaterialReport;
}

/** Key material an adapter holds in memory. After `close()`: no instance, and `live` is 0. */
export interface KeyMaterialReport {
  /** The encryption library's instance (E3Kit) is still held. */
  instance: boolean;
  /** Key objects the port's instance created (private and public keys). */
  keys: number;
  /** Of those, the ones not disposed (their memory not freed) yet. */
  live: number;
}
