// The only module that runs the stream-chat client. Loaded lazily (import()) once the element has painted.
import { StreamChat, type Channel, type Event } from 'stream-chat';
import { SecureChatError } from '../core/errors.js';
import type { ConversationSource } from '../core/conversations.js';
import type { ChatPort, ChatSignal, OutgoingWire, WatchExtras, WireMessage } from '../core/ports.js';
import { streamConversations } from './stream-conversations.js';
import { UploadOrigins, outgoing, splitCid, toWire, wrap } from './stream-wire.js';

/** Messages in the first page of a conversation, which stream-chat's own channel state keeps after history pages. */
const FIRST_PAGE = 100;

export { rateLimitWait, SECURE_FIELD, toWire } from './stream-wire.js';

/** A ChatPort over the real stream-chat client. */
export class StreamChatPort implements ChatPort {
  #client: StreamChat | undefined;
  readonly #channels = new Map<string, Channel>();
  readonly #subscriptions: { unsubscribe: () => void }[] = [];
  /** Each watched channel's own subscriptions, so switching conversations (`release`) drops them. */
  readonly #watchSubscriptions = new Map<string, { unsubscribe: () => void }[]>();
  readonly #uploadOrigins = new UploadOrigins();

  async connect(
    userId: string,
    credentials: { apiKey: string; baseURL: string },
    token: () => Promise<string>,
  ): Promise<void> {
    const client = new StreamChat(credentials.apiKey, {
      baseURL: credentials.baseURL.replace(/\/+$/, ''),
      timeout: 10_000,
    });
    this.#uploadOrigins.setApi(credentials.baseURL);
    this.#client = client;
    try {
      // Only the opaque id: names and images never go to Stream.
      await client.connectUser({ id: userId }, token);
    } catch (error) {
      throw wrap(error, 'connect to the chat service');
    }
  }

  #channel(cid: string): Channel {
    const existing = this.#channels.get(cid);
    if (existing) return existing;
    if (!this.#client) throw new SecureChatError('internal', 'The chat client is not connected.');
    const [type, id] = splitCid(cid);
    const channel = this.#client.channel(type, id);
    this.#channels.set(cid, channel);
    return channel;
  }

  async watch(
    cid: string,
    onEvent: Parameters<ChatPort['watch']>[1],
    onMembers: Parameters<ChatPort['watch']>[2],
    onSignal?: Parameters<ChatPort['watch']>[3],
  ): Promise<{ members: string[]; messages: WireMessage[] } & WatchExtras> {
    const channel = this.#channel(cid);
    const memberIds = () =>
      Object.values(channel.state.members)
        .map((m) => m.user?.id ?? m.user_id)
        .filter((id): id is string => Boolean(id));
    const forward = (kind: 'new' | 'updated' | 'deleted') => (event: Event) => {
      if (event.message) onEvent(kind, toWire(event.message, cid));
    };
    // Listen before watching: a message sent while the watch request is answered arrives as an event that is not
    // in the answer, and would otherwise be lost until the next resync.
    this.release(cid);
    const subscriptions = [
      channel.on('message.new', forward('new')),
      channel.on('message.updated', forward('updated')),
      channel.on('message.deleted', forward('deleted')),
      channel.on('member.added', () => onMembers(memberIds())),
      channel.on('member.removed', () => onMembers(memberIds())),
      // Members changed while the connection was down arrive with the recovered state, without member events.
      ...(this.#client ? [this.#client.on('connection.recovered', () => onMembers(memberIds()))] : []),
      ...(onSignal ? this.#signals(channel, onSignal) : []),
    ];
    this.#watchSubscriptions.set(cid, subscriptions);
    this.#subscriptions.push(...subscriptions);
    let response;
    try {
      response = await channel.watch({ messages: { limit: FIRST_PAGE }, presence: true });
    } catch (error) {
      this.release(cid);
      throw wrap(error, 'open this conversation');
    }
    const members = response.members
      .map((m) => m.user?.id ?? m.user_id)
      .filter((id): id is string => Boolean(id));
    const reads: Record<string, Date> = {};
    for (const [id, read] of Object.entries(channel.state.read)) reads[id] = new Date(read.last_read);
    const online = response.members.filter((m) => m.user?.online).map((m) => m.user?.id as string);
    return { members, messages: response.messages.map((m) => toWire(m, cid)), reads, online };
  }

  /** Typing, read, presence and reaction events as signals: ids, times and reaction types only. */
  #signals(channel: Channel, onSignal: (signal: ChatSignal) => void): { unsubscribe: () => void }[] {
    const me = this.#client?.userID;
    const typing = (on: boolean) => (e: Event) => {
      if (e.user?.id) {
        onSignal({
          kind: 'typing',
          userId: e.user.id,
          typing: on,
          ...(e.parent_id ? { parentId: e.parent_id } : {}),
        });
      }
    };
    const reactions = (e: Event) => {
      const m = e.message;
      if (!m) return;
      const own = new Set(
        (m.latest_reactions ?? []).filter((r) => r.user_id === me || r.user?.id === me).map((r) => r.type),
      );
      // The event's own change is certain even when latest_reactions is truncated.
      if (e.reaction && (e.reaction.user_id === me || e.user?.id === me)) {
        if (e.type === 'reaction.deleted') own.delete(e.reaction.type);
        else own.add(e.reaction.type);
      }
      onSignal({ kind: 'reactions', id: m.id, counts: { ...(m.reaction_counts ?? {}) }, own: [...own] });
    };
    const members = () => new Set(Object.keys(channel.state.members));
    const client = this.#client as StreamChat;
    return [
      channel.on('typing.start', typing(true)),
      channel.on('typing.stop', typing(false)),
      channel.on('message.read', (e) => {
        if (e.user?.id)
          onSignal({ kind: 'read', userId: e.user.id, at: new Date(e.created_at ?? Date.now()) });
      }),
      channel.on('reaction.new', reactions),
      channel.on('reaction.updated', reactions),
      channel.on('reaction.deleted', reactions),
      client.on('user.presence.changed', (e) => {
        const id = e.user?.id;
        if (id && members().has(id))
          onSignal({ kind: 'presence', userId: id, online: Boolean(e.user?.online) });
      }),
    ];
  }

  async history(cid: string, beforeId: string, limit: number): Promise<WireMessage[]> {
    try {
      const channel = this.#channel(cid);
      const { messages } = await channel.query({ messages: { limit, id_lt: beforeId } });
      // The conversation keeps its own timeline and pages by id: stream-chat's copy of every older page (ciphertext
      // and all) would only grow the heap as the reader scrolls back. Its newest messages stay for the list.
      channel.state.pruneOldest(FIRST_PAGE);
      return messages.map((m) => toWire(m, cid));
    } catch (error) {
      throw wrap(error, 'load older messages');
    }
  }

  async react(cid: string, id: string, type: string): Promise<void> {
    try {
      await this.#channel(cid).sendReaction(id, { type });
    } catch (error) {
      throw wrap(error, 'react');
    }
  }

  async unreact(cid: string, id: string, type: string): Promise<void> {
    try {
      await this.#channel(cid).deleteReaction(id, type);
    } catch (error) {
      throw wrap(error, 'remove the reaction');
    }
  }

  async keystroke(cid: string, parentId?: string): Promise<void> {
    await this.#channel(cid).keystroke(parentId);
  }

  async markRead(cid: string): Promise<void> {
    await this.#channel(cid).markRead();
  }

  /** Stops forwarding a channel's events (the client may keep watching it for the conversation list). */
  release(cid: string): void {
    for (const s of this.#watchSubscriptions.get(cid) ?? []) s.unsubscribe();
    this.#watchSubscriptions.delete(cid);
  }

  /** The user's conversation list over this connection. */
  conversations(): ConversationSource {
    if (!this.#client) throw new SecureChatError('internal', 'The chat client is not connected.');
    return streamConversations(this.#client, toWire);
  }

  async replies(cid: string, parentId: string): Promise<WireMessage[]> {
    try {
      const { messages } = await this.#channel(cid).getReplies(parentId, { limit: 100 });
      return messages.map((m) => toWire(m, cid));
    } catch (error) {
      throw wrap(error, 'load the thread');
    }
  }

  async send(cid: string, message: OutgoingWire): Promise<WireMessage> {
    try {
      const { message: sent } = await this.#channel(cid).sendMessage(outgoing(message) as never);
      return toWire(sent, cid);
    } catch (error) {
      // A retried send whose first attempt did reach the server: the id already exists (code 4). Not a failure.
      if ((error as { code?: number })?.code === 4 && this.#client) {
        const existing = await this.#client.getMessage(message.id).catch(() => undefined);
        if (existing?.message && existing.message.user?.id === this.#client.userID)
          return toWire(existing.message, cid);
      }
      throw wrap(error, 'send the message');
    }
  }

  async update(cid: string, message: OutgoingWire): Promise<WireMessage> {
    if (!this.#client) throw new SecureChatError('internal', 'The chat client is not connected.');
    try {
      const { message: updated } = await this.#client.updateMessage(outgoing(message) as never);
      return toWire(updated, cid);
    } catch (error) {
      throw wrap(error, 'edit the message');
    }
  }

  async upload(cid: string, data: Blob, onProgress?: (fraction: number) => void): Promise<string> {
    try {
      // A meaningless name and type: the real ones, if any, live inside the encrypted envelope.
      // Re-typed: a Blob keeps its own type in the multipart body (E3Kit's output keeps the original file's type).
      const opaque = new Blob([data], { type: 'application/octet-stream' });
      const { file } = await this.#channel(cid).sendFile(
        opaque as File,
        'blob.bin',
        'application/octet-stream',
        undefined,
        onProgress
          ? { onUploadProgress: (e) => onProgress(e.total ? e.loaded / e.total : (e.progress ?? 0)) }
          : undefined,
      );
      this.#uploadOrigins.add(file);
      return file;
    } catch (error) {
      throw wrap(error, 'upload the file');
    }
  }

  async download(url: string, onProgress?: (fraction: number) => void, signal?: AbortSignal): Promise<Blob> {
    if (!this.#uploadOrigins.allows(url)) throw new SecureChatError('internal', 'Unexpected file address.');
    try {
      const response = await fetch(url, { credentials: 'omit', ...(signal ? { signal } : {}) });
      if (!response.ok || !response.body)
        throw new SecureChatError('network', 'Could not download the file.', { recoverable: true });
      const total = Number(response.headers.get('content-length')) || 0;
      if (!onProgress || !total) return await response.blob();
      // Read the stream ourselves to report progress.
      const chunks: Uint8Array[] = [];
      let loaded = 0;
      const reader = response.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        loaded += value.byteLength;
        onProgress(Math.min(1, loaded / total));
      }
      return new Blob(chunks as BlobPart[]);
    } catch (cause) {
      if (signal?.aborted) throw new SecureChatError('aborted', 'The download was cancelled.', { cause });
      if (cause instanceof SecureChatError) throw cause;
      throw new SecureChatError('network', 'Could not download the file.', { cause, recoverable: true });
    }
  }

  onConnection(listener: (online: boolean) => void): void {
    const client = this.#client;
    if (!client) return;
    // The client announces a drop (`connection.changed`) only after 5 s offline, and a restart usually reconnects
    // sooner: hear about the socket's health at once, so sends typed meanwhile are queued, not lost in a retry.
    const ws = client.wsConnection as { _setHealth?: (healthy: boolean) => void } | null;
    const setHealth = ws?._setHealth;
    if (ws && setHealth) {
      ws._setHealth = (healthy: boolean) => {
        setHealth(healthy);
        if (!healthy) listener(false);
      };
    }
    // `connection.recovered` comes once the client is back and has re-queried its channels.
    this.#subscriptions.push(
      client.on('connection.changed', (e) => {
        if (e.online === false) listener(false);
      }),
      client.on('connection.recovered', () => listener(true)),
    );
  }

  async messagesSince(cid: string, since: Date): Promise<WireMessage[]> {
    const channel = this.#channel(cid);
    const out: WireMessage[] = [];
    let after = since.toISOString();
    // Page forward until a short page: no gap however long the outage was.
    for (let page = 0; page < 50; page++) {
      const { messages } = await channel.query({
        messages: { limit: 100, created_at_after: after },
      } as never);
      out.push(...messages.map((m) => toWire(m, cid)));
      const last = messages.at(-1)?.created_at;
      if (messages.length < 100 || !last) break;
      after = new Date(last).toISOString();
    }
    return out;
  }

  async disconnect(): Promise<void> {
    for (const s of this.#subscriptions.splice(0)) s.unsubscribe();
    this.#channels.clear();
    const client = this.#client;
    this.#client = undefined;
    await client?.disconnectUser();
  }
}

/** Factory used by the element's lazy loader. */
export function createStreamChatPort(): ChatPort {
  return new StreamChatPort();
}
