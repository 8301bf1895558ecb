/**
 * Persistence for the Stream stand-in: one SQLite file (better-sqlite3) in the data folder.
 * Records are JSON documents with a few indexed columns; every write goes straight to disk,
 * so a restart on the same folder continues with all state.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FeatureFlags, Grants } from './permissions.js';

export type Custom = Record<string, unknown>;

export interface UserRecord {
  id: string;
  role: string;
  created_at: string;
  updated_at: string;
  last_active?: string;
  custom: Custom;
}

export interface ChannelRecord {
  cid: string;
  type: string;
  id: string;
  created_by_id: string | null;
  created_at: string;
  updated_at: string;
  last_message_at: string | null;
  custom: Custom;
}

export interface MemberRecord {
  cid: string;
  user_id: string;
  channel_role: 'owner' | 'channel_member' | 'channel_moderator';
  created_at: string;
  updated_at: string;
  hidden: boolean;
  last_read: string;
  last_read_message_id?: string | undefined;
  unread_messages: number;
  /** Delivery receipts (`POST /channels/delivered`). */
  last_delivered_at?: string;
  last_delivered_message_id?: string;
}

export interface MessageRecord {
  id: string;
  cid: string;
  user_id: string;
  type: 'regular' | 'reply' | 'deleted' | 'system';
  text: string;
  attachments: unknown[];
  mentioned_users: string[];
  parent_id?: string;
  show_in_channel?: boolean;
  quoted_message_id?: string;
  silent: boolean;
  pinned: boolean;
  pinned_at: string | null;
  pinned_by_id: string | null;
  pin_expires: string | null;
  reply_count: number;
  deleted_reply_count: number;
  thread_participants: string[];
  created_at: string;
  updated_at: string;
  /** Set when an edit changed the text (Stream's `message_text_updated_at`). */
  message_text_updated_at?: string;
  deleted_at?: string;
  custom: Custom;
}

export interface ReactionRecord {
  message_id: string;
  user_id: string;
  type: string;
  score: number;
  created_at: string;
  updated_at: string;
  custom: Custom;
}

/** A channel type: its feature switches and limits, and the grants every user-side call is checked against. */
export interface ChannelTypeRecord {
  name: string;
  created_at: string;
  updated_at: string;
  settings: ChannelTypeSettings;
  grants: Grants;
}

export type ChannelTypeSettings = FeatureFlags & {
  max_message_length: number;
  [key: string]: unknown;
};

export interface UploadRecord {
  id: string;
  cid: string;
  kind: 'file' | 'image';
  name: string;
  content_type: string;
  /** The uploader (owner for `delete-attachment-owner`); null for server uploads without a user. */
  user_id?: string | null;
  bytes: Buffer;
  created_at: string;
}

export interface LoggedRequest {
  seq: number;
  at: string;
  method: string;
  path: string;
  body: string;
}

export interface LoggedFrame {
  seq: number;
  at: string;
  connection_id: string;
  user_id: string;
  frame: string;
}

/** Everything stored plus everything received, for "no plaintext reaches the vendor" checks. */
export interface StreamInspection {
  users: UserRecord[];
  channels: ChannelRecord[];
  members: MemberRecord[];
  messages: MessageRecord[];
  reactions: ReactionRecord[];
  channelTypes: ChannelTypeRecord[];
  uploads: Array<Omit<UploadRecord, 'bytes'> & { size: number; base64: string }>;
  requests: LoggedRequest[];
  wsFrames: LoggedFrame[];
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS users (id TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS channels (cid TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS members (cid TEXT NOT NULL, user_id TEXT NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (cid, user_id));
CREATE INDEX IF NOT EXISTS members_by_user ON members (user_id);
CREATE TABLE IF NOT EXISTS messages (id TEXT PRIMARY KEY, cid TEXT NOT NULL, parent_id TEXT, created_at TEXT NOT NULL, doc TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS messages_by_cid ON messages (cid, created_at);
CREATE INDEX IF NOT EXISTS messages_by_parent ON messages (parent_id, created_at);
CREATE TABLE IF NOT EXISTS reactions (message_id TEXT NOT NULL, user_id TEXT NOT NULL, type TEXT NOT NULL, created_at TEXT NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (message_id, user_id, type));
CREATE TABLE IF NOT EXISTS uploads (id TEXT PRIMARY KEY, cid TEXT NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL, content_type TEXT NOT NULL, bytes BLOB NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS channel_types (name TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS requests (seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, method TEXT NOT NULL, path TEXT NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS ws_frames (seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, connection_id TEXT NOT NULL, user_id TEXT NOT NULL, frame TEXT NOT NULL);
`;

const parse = <T>(rows: Array<{ doc: string }>): T[] => rows.map((r) => JSON.parse(r.doc) as T);

export class StreamStore {
  readonly #db: Database.Database;
  #lastMicros = 0;

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
    this.#db = new Database(join(dataDir, 'stream.sqlite'));
    this.#db.pragma('journal_mode = WAL');
    this.#db.exec(SCHEMA);
    // Data folders from before uploads recorded their uploader.
    const columns = this.#db.prepare('PRAGMA table_info(uploads)').all() as Array<{ name: string }>;
    if (!columns.some((c) => c.name === 'user_id'))
      this.#db.exec('ALTER TABLE uploads ADD COLUMN user_id TEXT');
  }

  close(): void {
    this.#db.close();
  }

  /** Unique, strictly increasing RFC 3339 timestamps: ordering and dedup in the client rely on them. */
  now(): string {
    const micros = Math.max(Date.now() * 1000, this.#lastMicros + 1000);
    this.#lastMicros = micros;
    const ms = Math.floor(micros / 1000);
    return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, `.$1${String(micros % 1000).padStart(3, '0')}Z`);
  }

  transaction<T>(fn: () => T): T {
    return this.#db.transaction(fn)();
  }

  // users
  getUser(id: string): UserRecord | undefined {
    return parse<UserRecord>(this.#db.prepare('SELECT doc FROM users WHERE id = ?').all(id) as never)[0];
  }
  putUser(u: UserRecord): void {
    this.#db.prepare('INSERT OR REPLACE INTO users (id, doc) VALUES (?, ?)').run(u.id, JSON.stringify(u));
  }
  listUsers(): UserRecord[] {
    return parse(this.#db.prepare('SELECT doc FROM users ORDER BY id').all() as never);
  }

  // channels
  getChannel(cid: string): ChannelRecord | undefined {
    return parse<ChannelRecord>(
      this.#db.prepare('SELECT doc FROM channels WHERE cid = ?').all(cid) as never,
    )[0];
  }
  putChannel(c: ChannelRecord): void {
    this.#db
      .prepare('INSERT OR REPLACE INTO channels (cid, doc) VALUES (?, ?)')
      .run(c.cid, JSON.stringify(c));
  }
  deleteChannel(cid: string): void {
    this.transaction(() => {
      for (const m of this.channelMessages(cid, true)) this.deleteMessage(m.id);
      this.#db.prepare('DELETE FROM members WHERE cid = ?').run(cid);
      this.#db.prepare('DELETE FROM uploads WHERE cid = ?').run(cid);
      this.#db.prepare('DELETE FROM channels WHERE cid = ?').run(cid);
    });
  }
  listChannels(): ChannelRecord[] {
    return parse(this.#db.prepare('SELECT doc FROM channels').all() as never);
  }

  // members
  members(cid: string): MemberRecord[] {
    return parse<MemberRecord>(
      this.#db.prepare('SELECT doc FROM members WHERE cid = ?').all(cid) as never,
    ).sort((a, b) => a.created_at.localeCompare(b.created_at));
  }
  member(cid: string, userId: string): MemberRecord | undefined {
    return parse<MemberRecord>(
      this.#db.prepare('SELECT doc FROM members WHERE cid = ? AND user_id = ?').all(cid, userId) as never,
    )[0];
  }
  putMember(m: MemberRecord): void {
    this.#db
      .prepare('INSERT OR REPLACE INTO members (cid, user_id, doc) VALUES (?, ?, ?)')
      .run(m.cid, m.user_id, JSON.stringify(m));
  }
  deleteMember(cid: string, userId: string): void {
    this.#db.prepare('DELETE FROM members WHERE cid = ? AND user_id = ?').run(cid, userId);
  }
  membershipsOf(userId: string): MemberRecord[] {
    return parse(this.#db.prepare('SELECT doc FROM members WHERE user_id = ?').all(userId) as never);
  }

  // messages
  getMessage(id: string): MessageRecord | undefined {
    return parse<MessageRecord>(
      this.#db.prepare('SELECT doc FROM messages WHERE id = ?').all(id) as never,
    )[0];
  }
  putMessage(m: MessageRecord): void {
    this.#db
      .prepare('INSERT OR REPLACE INTO messages (id, cid, parent_id, created_at, doc) VALUES (?, ?, ?, ?, ?)')
      .run(m.id, m.cid, m.parent_id ?? null, m.created_at, JSON.stringify(m));
  }
  deleteMessage(id: string): void {
    this.#db.prepare('DELETE FROM reactions WHERE message_id = ?').run(id);
    this.#db.prepare('DELETE FROM messages WHERE id = ?').run(id);
  }
  /** Channel-list messages (top level or shown in channel), oldest first; `all` includes thread-only replies. */
  channelMessages(cid: string, all = false): MessageRecord[] {
    const rows = parse<MessageRecord>(
      this.#db.prepare('SELECT doc FROM messages WHERE cid = ? ORDER BY created_at, id').all(cid) as never,
    );
    return all ? rows : rows.filter((m) => !m.parent_id || m.show_in_channel);
  }
  /** How many messages `channelMessages(cid)` would return, counted in SQL (it runs for every message event). */
  channelMessageCount(cid: string): number {
    const row = this.#db
      .prepare(
        "SELECT COUNT(*) AS n FROM messages WHERE cid = ? AND (parent_id IS NULL OR json_extract(doc, '$.show_in_channel') = 1)",
      )
      .get(cid) as { n: number };
    return row.n;
  }
  replies(parentId: string): MessageRecord[] {
    return parse(
      this.#db
        .prepare('SELECT doc FROM messages WHERE parent_id = ? ORDER BY created_at, id')
        .all(parentId) as never,
    );
  }
  allMessages(): MessageRecord[] {
    return parse(this.#db.prepare('SELECT doc FROM messages ORDER BY created_at, id').all() as never);
  }

  // reactions
  reactions(messageId: string): ReactionRecord[] {
    return parse(
      this.#db
        .prepare('SELECT doc FROM reactions WHERE message_id = ? ORDER BY created_at DESC')
        .all(messageId) as never,
    );
  }
  putReaction(r: ReactionRecord): void {
    this.#db
      .prepare(
        'INSERT OR REPLACE INTO reactions (message_id, user_id, type, created_at, doc) VALUES (?, ?, ?, ?, ?)',
      )
      .run(r.message_id, r.user_id, r.type, r.created_at, JSON.stringify(r));
  }
  deleteReaction(messageId: string, userId: string, type: string): void {
    this.#db
      .prepare('DELETE FROM reactions WHERE message_id = ? AND user_id = ? AND type = ?')
      .run(messageId, userId, type);
  }

  // channel types (settings and grants)
  getChannelType(name: string): ChannelTypeRecord | undefined {
    return parse<ChannelTypeRecord>(
      this.#db.prepare('SELECT doc FROM channel_types WHERE name = ?').all(name) as never,
    )[0];
  }
  putChannelType(t: ChannelTypeRecord): void {
    this.#db
      .prepare('INSERT OR REPLACE INTO channel_types (name, doc) VALUES (?, ?)')
      .run(t.name, JSON.stringify(t));
  }

  // uploads
  putUpload(u: UploadRecord): void {
    this.#db
      .prepare(
        'INSERT INTO uploads (id, cid, kind, name, content_type, user_id, bytes, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(u.id, u.cid, u.kind, u.name, u.content_type, u.user_id ?? null, u.bytes, u.created_at);
  }
  getUpload(id: string): UploadRecord | undefined {
    return this.#db.prepare('SELECT * FROM uploads WHERE id = ?').get(id) as UploadRecord | undefined;
  }
  /** An upload without its bytes: re-signing links runs for every attachment of every message returned. */
  uploadMeta(id: string): Omit<UploadRecord, 'bytes'> | undefined {
    return this.#db
      .prepare('SELECT id, cid, kind, name, content_type, user_id, created_at FROM uploads WHERE id = ?')
      .get(id) as Omit<UploadRecord, 'bytes'> | undefined;
  }
  deleteUpload(id: string): void {
    this.#db.prepare('DELETE FROM uploads WHERE id = ?').run(id);
  }

  // received traffic, kept for inspection
  logRequest(method: string, path: string, body: string): void {
    this.#db
      .prepare('INSERT INTO requests (at, method, path, body) VALUES (?, ?, ?, ?)')
      .run(this.now(), method, path, body);
  }
  logFrame(connectionId: string, userId: string, frame: string): void {
    this.#db
      .prepare('INSERT INTO ws_frames (at, connection_id, user_id, frame) VALUES (?, ?, ?, ?)')
      .run(this.now(), connectionId, userId, frame);
  }

  inspect(): StreamInspection {
    const all = <T>(table: string) => parse<T>(this.#db.prepare(`SELECT doc FROM ${table}`).all() as never);
    const uploads = this.#db.prepare('SELECT * FROM uploads ORDER BY created_at').all() as UploadRecord[];
    return {
      users: all('users'),
      channels: all('channels'),
      members: all('members'),
      messages: this.allMessages(),
      reactions: all('reactions'),
      channelTypes: all('channel_types'),
      uploads: uploads.map(({ bytes, ...rest }) => ({
        ...rest,
        size: bytes.length,
        base64: bytes.toString('base64'),
      })),
      requests: this.#db.prepare('SELECT * FROM requests ORDER BY seq').all() as LoggedRequest[],
      wsFrames: this.#db.prepare('SELECT * FROM ws_frames ORDER BY seq').all() as LoggedFrame[],
    };
  }
}
