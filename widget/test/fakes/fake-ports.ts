// In-memory fakes of the ports for DOM-free tests of core. The fake crypto models key versions and signatures
// with plain JSON so that every failure reason can be produced on purpose; it is NOT encryption.
import { CardCache } from '../../src/core/card-cache.js';
import type {
  ConversationChange,
  ConversationSource,
  ConversationSummary,
} from '../../src/core/conversations.js';
import { SecureChatError } from '../../src/core/errors.js';
import type { Conversation } from '../../src/core/conversation.js';
import { ChatSession, type SessionEvent } from '../../src/core/session.js';
import type {
  ApiPort,
  ChatPort,
  ChatSignal,
  CryptoPort,
  DecryptResult,
  IdentityStatus,
  KeyMaterialReport,
  OutgoingWire,
  PinnedMembers,
  Recipients,
  RevisionLedger,
  SeenRevision,
  SessionInfo,
  WireEventKind,
  WireMessage,
} from '../../src/core/ports.js';

/** The "Virgil cloud": current key version per user, and password backups. */
export class FakeDirectory {
  readonly versions = new Map<string, number>();
  readonly backups = new Map<string, { password: string; version: number }>();
  lookups = 0;
}

/** The "device": which key versions each user holds locally. */
export class FakeDevice {
  readonly keys = new Map<string, number>();
}

interface FakeCiphertext {
  to: Record<string, number>;
  signer: string;
  signerVersion: number;
  pt: string;
  mac: string;
}

const mac = (s: string) => String([...s].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7));
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const unb64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');

export class FakeCrypto implements CryptoPort {
  readonly cards: CardCache<number>;
  closed = false;
  /** The recipients of every encrypt call, in order: who each message or file was sealed to. */
  readonly sealedTo: string[][] = [];
  constructor(
    readonly identity: string,
    readonly dir: FakeDirectory,
    readonly device: FakeDevice,
    now: () => number = Date.now,
    /** The card cache fetched a different key (card) for a user, as the E3Kit adapter reports it. */
    onKeyChange?: (userId: string) => void,
  ) {
    this.cards = new CardCache<number>({
      ...(onKeyChange ? { onKeyChange } : {}),
      fetch: async (ids) => {
        dir.lookups++;
        return new Map(
          ids.flatMap((id) => (dir.versions.has(id) ? [[id, dir.versions.get(id) as number]] : [])),
        );
      },
      cardId: (v) => String(v),
      now,
    });
  }

  async prepareIdentity(): Promise<IdentityStatus> {
    const published = this.dir.versions.get(this.identity);
    const local = this.device.keys.get(this.identity);
    if (published !== undefined && local === published) return 'ready';
    if (published !== undefined) return 'needs-restore';
    this.dir.versions.set(this.identity, 1);
    this.device.keys.set(this.identity, 1);
    return 'registered';
  }
  async backup(password: string): Promise<void> {
    this.dir.backups.set(this.identity, { password, version: this.device.keys.get(this.identity) as number });
  }
  async restore(password: string): Promise<void> {
    const b = this.dir.backups.get(this.identity);
    if (!b) throw new SecureChatError('no-backup', 'No backup.');
    if (b.password !== password)
      throw new SecureChatError('wrong-password', 'Wrong password.', { recoverable: true });
    this.device.keys.set(this.identity, b.version);
  }
  async rotate(): Promise<void> {
    const v = (this.dir.versions.get(this.identity) ?? 0) + 1;
    this.dir.versions.set(this.identity, v);
    this.device.keys.set(this.identity, v);
  }
  async forgetLocalKey(): Promise<void> {
    this.device.keys.delete(this.identity);
  }
  async lookup(ids: readonly string[], opts: { refresh?: readonly string[] } = {}): Promise<Recipients> {
    const cards = await this.cards.get(ids, opts.refresh);
    return { ids: [...cards.keys()], handle: cards };
  }
  /** A stand-in card: the key version is its id, and the key is the same bytes as `publicKey` reports. */
  cardOf(to: Recipients, id: string): { cardId: string; publicKey: Uint8Array } | undefined {
    const version = (to.handle as Map<string, number>).get(id);
    if (version === undefined) return undefined;
    return { cardId: String(version), publicKey: new TextEncoder().encode(`${id}#${version}`) };
  }
  async encrypt(plaintext: string, to: Recipients): Promise<string> {
    const cards = to.handle as Map<string, number>;
    this.sealedTo.push([...cards.keys()].sort());
    const ct: FakeCiphertext = {
      to: Object.fromEntries(cards),
      signer: this.identity,
      signerVersion: this.device.keys.get(this.identity) as number,
      pt: plaintext,
      mac: mac(plaintext),
    };
    return b64(JSON.stringify(ct));
  }
  async encryptToBlob(plaintext: string, to: Recipients): Promise<Blob> {
    return new Blob([await this.encrypt(plaintext, to)]);
  }
  async decrypt(
    ciphertext: string,
    from: string,
    _sentAt: Date,
    opts: { refresh?: boolean } = {},
  ): Promise<DecryptResult> {
    let ct: FakeCiphertext;
    try {
      ct = JSON.parse(unb64(ciphertext)) as FakeCiphertext;
    } catch {
      return { ok: false, reason: 'tampered' };
    }
    const mine = this.device.keys.get(this.identity);
    const sealedFor = ct.to[this.identity];
    if (sealedFor === undefined) return { ok: false, reason: 'not-for-this-device' };
    if (sealedFor !== mine)
      return {
        ok: false,
        reason: mine !== undefined && sealedFor < mine ? 'previous-key' : 'not-for-this-device',
      };
    if (mac(ct.pt) !== ct.mac) return { ok: false, reason: 'tampered' };
    const senderCard = (await this.cards.get([from], opts.refresh ? [from] : [])).get(from);
    if (senderCard === undefined) return { ok: false, reason: 'unknown-sender' };
    if (ct.signer !== from || ct.signerVersion > senderCard)
      return { ok: false, reason: 'unverified-sender' };
    return { ok: true, plaintext: ct.pt };
  }
  async decryptBlob(
    data: Blob,
    from: string,
    sentAt: Date,
    opts?: { refresh?: boolean },
  ): Promise<DecryptResult> {
    return this.decrypt(await data.text(), from, sentAt, opts);
  }
  /** Files are sealed like messages, as text (the bytes are base64 inside). */
  async encryptFile(data: Blob, to: Recipients, onProgress?: (fraction: number) => void): Promise<Blob> {
    const bytes = new Uint8Array(await data.arrayBuffer());
    const blob = await this.encryptToBlob(Buffer.from(bytes).toString('base64'), to);
    onProgress?.(1);
    return blob;
  }
  async decryptFile(
    data: Blob,
    from: string,
    sentAt: Date,
    onProgress?: (fraction: number) => void,
  ): Promise<Blob> {
    const result = await this.decryptBlob(data, from, sentAt);
    if (!result.ok) throw new SecureChatError('internal', `File failed verification: ${result.reason}.`);
    onProgress?.(1);
    return new Blob([Buffer.from(result.plaintext, 'base64')]);
  }
  /** A stand-in key: the user id and key version as bytes. */
  async publicKey(id: string, refresh = false): Promise<Uint8Array | undefined> {
    const version = (await this.cards.get([id], refresh ? [id] : [])).get(id);
    return version === undefined ? undefined : new TextEncoder().encode(`${id}#${version}`);
  }
  async close(): Promise<void> {
    this.closed = true;
    this.cards.clear();
  }
  /** The fake holds no key objects: only whether it was closed. */
  keyMaterial(): KeyMaterialReport {
    return { instance: !this.closed, keys: 0, live: 0 };
  }
}

type Listener = (kind: WireEventKind, m: WireMessage) => void;

/** The "Stream cloud": channels, stored messages, uploads, and watchers. */
export class FakeChatServer {
  readonly channels = new Map<string, { members: string[]; messages: WireMessage[] }>();
  readonly uploads = new Map<string, Blob>();
  readonly watchers = new Map<string, Set<Listener>>();
  readonly memberWatchers = new Map<string, Set<(members: string[]) => void>>();
  /**
   * Server time, one second per message, a few minutes behind the real clock. Fake sessions sign with it too (see
   * startSession), as the token API's clock corrects a browser's, so signed times agree with Stream's.
   */
  clock = Date.now() - 5 * 60_000;

  addChannel(cid: string, members: string[]) {
    this.channels.set(cid, { members, messages: [] });
  }
  store(message: WireMessage, kind: WireEventKind) {
    const ch = this.channels.get(message.cid);
    if (!ch) throw new Error(`no channel ${message.cid}`);
    const i = ch.messages.findIndex((m) => m.id === message.id);
    if (i >= 0) ch.messages[i] = message;
    else ch.messages.push(message);
    for (const l of this.watchers.get(message.cid) ?? []) l(kind, message);
  }
  /** Changes a channel's members the way a server-side `addMembers`/`removeMembers` does, and tells the watchers. */
  setMembers(cid: string, members: string[]) {
    const ch = this.channels.get(cid);
    if (!ch) throw new Error(`no channel ${cid}`);
    ch.members = members;
    for (const l of this.memberWatchers.get(cid) ?? []) l([...members]);
  }
  find(id: string): WireMessage {
    for (const ch of this.channels.values()) {
      const m = ch.messages.find((x) => x.id === id);
      if (m) return m;
    }
    throw new Error(`no message ${id}`);
  }
  /** Everything the server holds, serialized: used to search for plaintext. */
  async dump(): Promise<string> {
    const blobs = await Promise.all([...this.uploads.values()].map((b) => b.text()));
    return JSON.stringify([...this.channels.entries()]) + blobs.join('');
  }
}

/** The user's conversations on the fake server; unread = messages from others after the user's read mark. */
export class FakeConversationSource implements ConversationSource {
  readonly readAt = new Map<string, number>();
  readonly listeners = new Set<(c: ConversationChange) => void>();
  readonly marked: string[] = [];
  constructor(
    readonly server: FakeChatServer,
    readonly me: string,
  ) {}
  async query(): Promise<ConversationSummary[]> {
    return this.snapshot();
  }
  snapshot(): ConversationSummary[] {
    return [...this.server.channels.entries()].map(([cid, ch]) => {
      const main = ch.messages.filter((m) => !m.parentId);
      const last = main.at(-1);
      const readAt = this.readAt.get(cid) ?? 0;
      return {
        cid,
        members: ch.members,
        ...(last ? { last } : {}),
        lastAt: last?.createdAt ?? new Date(0),
        unread: main.filter((m) => m.senderId !== this.me && m.createdAt.getTime() > readAt).length,
        online: ch.members.filter((m) => m === 'bob'),
      };
    });
  }
  subscribe(listener: (c: ConversationChange) => void) {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }
  async markRead(cid: string) {
    this.marked.push(cid);
    this.readAt.set(cid, this.server.clock);
  }
  emit(change: ConversationChange) {
    for (const l of this.listeners) l(change);
  }
}

export class FakeChat implements ChatPort {
  userId = '';
  tokenCalls = 0;
  disconnected = false;
  /** Channels released by the session (left conversations), in order. */
  readonly released: string[] = [];
  /** markRead calls, by cid, in order. */
  readonly marked: string[] = [];
  readonly keystrokes: string[] = [];
  #connectionListener: ((online: boolean) => void) | undefined;
  constructor(readonly server: FakeChatServer) {}

  release(cid: string): void {
    this.released.push(cid);
  }
  conversations(): ConversationSource {
    return new FakeConversationSource(this.server, this.userId);
  }
  async history(cid: string, beforeId: string, limit: number): Promise<WireMessage[]> {
    const all = (this.server.channels.get(cid)?.messages ?? []).filter((m) => !m.parentId);
    const end = all.findIndex((m) => m.id === beforeId);
    return all.slice(Math.max(0, end - limit), Math.max(0, end));
  }
  async react(_cid: string, _id: string, _type: string): Promise<void> {}
  async unreact(_cid: string, _id: string, _type: string): Promise<void> {}
  async keystroke(cid: string): Promise<void> {
    this.keystrokes.push(cid);
  }
  async markRead(cid: string): Promise<void> {
    this.marked.push(cid);
  }
  onConnection(listener: (online: boolean) => void): void {
    this.#connectionListener = listener;
  }
  /** Tells the session that the connection dropped (false) or came back (true). */
  connectionChanged(online: boolean): void {
    this.#connectionListener?.(online);
  }
  async messagesSince(cid: string, since: Date): Promise<WireMessage[]> {
    return (this.server.channels.get(cid)?.messages ?? []).filter(
      (m) => !m.parentId && m.createdAt.getTime() > since.getTime(),
    );
  }

  async connect(userId: string, _c: unknown, token: () => Promise<string>): Promise<void> {
    this.userId = userId;
    await token();
    this.tokenCalls++;
  }
  async watch(
    cid: string,
    onEvent: Listener,
    onMembers: (m: string[]) => void,
    _onSignal: (signal: ChatSignal) => void,
  ) {
    const ch = this.server.channels.get(cid);
    if (!ch || !ch.members.includes(this.userId)) throw new SecureChatError('forbidden', 'Not a member.');
    const set = this.server.watchers.get(cid) ?? new Set();
    set.add(onEvent);
    this.server.watchers.set(cid, set);
    const members = this.server.memberWatchers.get(cid) ?? new Set();
    members.add(onMembers);
    this.server.memberWatchers.set(cid, members);
    return { members: [...ch.members], messages: ch.messages.filter((m) => !m.parentId) };
  }
  async replies(cid: string, parentId: string): Promise<WireMessage[]> {
    return (this.server.channels.get(cid)?.messages ?? []).filter((m) => m.parentId === parentId);
  }
  #toWire(cid: string, m: OutgoingWire, createdAt: Date): WireMessage {
    return {
      id: m.id,
      cid,
      senderId: this.userId,
      createdAt,
      deleted: false,
      secure: m.secure,
      ...(m.attachments?.length ? { attachments: [...m.attachments] } : {}),
      ...(m.parentId ? { parentId: m.parentId } : {}),
      ...(m.quotedId ? { quotedId: m.quotedId } : {}),
    };
  }
  async send(cid: string, m: OutgoingWire): Promise<WireMessage> {
    const wire = this.#toWire(cid, m, new Date((this.server.clock += 1000)));
    this.server.store(wire, 'new');
    return wire;
  }
  async update(cid: string, m: OutgoingWire): Promise<WireMessage> {
    const old = this.server.find(m.id);
    const wire = { ...this.#toWire(cid, m, old.createdAt), updatedAt: new Date((this.server.clock += 1000)) };
    this.server.store(wire, 'updated');
    return wire;
  }
  async upload(_cid: string, data: Blob): Promise<string> {
    const url = `https://uploads.test/${this.server.uploads.size}`;
    this.server.uploads.set(url, data);
    return url;
  }
  async download(url: string): Promise<Blob> {
    const blob = this.server.uploads.get(url);
    if (!blob) throw new Error('404');
    return blob;
  }
  async disconnect(): Promise<void> {
    this.disconnected = true;
  }
}

/** The device's revision ledger in memory; share one between sessions to model a reload on the same device. */
export class MemoryRevisionLedger implements RevisionLedger {
  readonly rows = new Map<string, SeenRevision>();
  writes = 0;
  reads = 0;
  async conversation(owner: string, cid: string): Promise<Map<string, SeenRevision>> {
    this.reads++;
    const found = new Map<string, SeenRevision>();
    for (const [key, seen] of this.rows) {
      const [o, c, mid] = JSON.parse(key) as [string, string, string];
      if (o === owner && c === cid) found.set(mid, seen);
    }
    return found;
  }
  async highest(owner: string, cid: string, mid: string): Promise<SeenRevision | undefined> {
    return this.rows.get(JSON.stringify([owner, cid, mid]));
  }
  async record(owner: string, cid: string, mid: string, rev: number, tombstone = false): Promise<void> {
    const key = JSON.stringify([owner, cid, mid]);
    const seen = this.rows.get(key);
    if (seen && (rev < seen.rev || (rev === seen.rev && (seen.tombstone || !tombstone)))) return;
    this.writes++;
    this.rows.set(key, { rev, tombstone });
  }
}

export class FakeApi implements ApiPort {
  streamCalls = 0;
  virgilCalls = 0;
  constructor(
    readonly info: SessionInfo,
    readonly channelFor: (peers: readonly string[]) => string = () => 'messaging:none',
    /** The members the answer lists (the API reports the chat service's). */
    readonly membersFor: (peers: readonly string[]) => string[] = () => [],
  ) {}
  async session(): Promise<SessionInfo> {
    return this.info;
  }
  async streamToken(): Promise<string> {
    this.streamCalls++;
    return `stream-${this.streamCalls}`;
  }
  async virgilToken(): Promise<string> {
    this.virgilCalls++;
    return `virgil-${this.virgilCalls}`;
  }
  async openChannel(peers: readonly string[]) {
    return { cid: this.channelFor(peers), members: this.membersFor(peers) };
  }
}

/** The members each user pinned per conversation, in memory; `writes` records every `set`. */
export class MemoryPinnedMembers implements PinnedMembers {
  readonly records = new Map<string, readonly string[]>();
  readonly writes: { owner: string; cid: string; members: readonly string[] }[] = [];
  async get(owner: string, cid: string): Promise<readonly string[] | undefined> {
    return this.records.get(`${owner} ${cid}`);
  }
  async set(owner: string, cid: string, members: readonly string[]): Promise<void> {
    this.records.set(`${owner} ${cid}`, [...members]);
    this.writes.push({ owner, cid, members: [...members] });
  }
}

export function sessionInfo(
  id: string,
  name: string,
  contacts: { id: string; name?: string; sub?: string }[] = [],
): SessionInfo {
  return {
    user: { id, name },
    contacts,
    stream: { apiKey: 'k', baseURL: 'http://stream.test', token: 'stream-0', expiresAt: 0 },
    virgil: { apiUrl: 'http://virgil.test', token: 'virgil-0', expiresAt: 0 },
  };
}

/**
 * A member's session on `channel`, started with the given fakes and past the first device's backup offer: the
 * fixture every core test starts from. `onEvent` is attached before start, so no event is missed.
 */
export async function startSession(opts: {
  id: string;
  channel: string;
  chat: ChatPort;
  crypto: CryptoPort;
  api?: ApiPort;
  /** Where the session pins members (default: a fresh in-memory store). */
  pinned?: PinnedMembers;
  onEvent?: (event: SessionEvent) => void;
  /** Whether the page is visible (default: always). */
  pageVisible?: () => boolean;
  /** The device's revision ledger (default: a new, empty one). */
  revisions?: RevisionLedger;
  /**
   * The session's clock (signed times). Default: the fake server's, as the token API's clock corrects a real one, so
   * signed times and Stream's times agree the way they do in production.
   */
  now?: () => number;
}): Promise<ChatSession> {
  const chat = opts.chat;
  const now = opts.now ?? (chat instanceof FakeChat ? () => chat.server.clock : undefined);
  const session = new ChatSession({
    ...(now ? { now } : {}),
    api: opts.api ?? new FakeApi(sessionInfo(opts.id, opts.id.toUpperCase())),
    loadChat: async () => opts.chat,
    loadCrypto: async () => opts.crypto,
    pinned: opts.pinned ?? new MemoryPinnedMembers(),
    revisions: opts.revisions ?? new MemoryRevisionLedger(),
    ...(opts.pageVisible ? { pageVisible: opts.pageVisible } : {}),
  });
  if (opts.onEvent) session.onEvent = opts.onEvent;
  await session.start({ channel: opts.channel }, new AbortController().signal);
  if (session.state.status === 'key-setup' && session.state.step === 'offer-backup')
    await session.keys.skipBackup();
  return session;
}

/** The session's open conversation; fails the test when none is open. */
export function conversationOf(session: ChatSession): Conversation {
  const conversation = session.conversation;
  if (!conversation) throw new Error('No conversation is open.');
  return conversation;
}
