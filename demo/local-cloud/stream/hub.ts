/**
 * WebSocket connections and event routing. Stream's four audiences:
 * W (connections watching a channel), M (members' connections), U (one user's connections), P (presence subscribers).
 */
import type { WebSocket } from 'ws';

export type StreamEvent = Record<string, unknown> & { type: string };
/** Builds the event for one recipient, so per-user fields (unread counts) can differ. */
export type EventFor = StreamEvent | ((userId: string) => StreamEvent);

export interface Connection {
  readonly id: string;
  readonly userId: string;
  readonly ws: WebSocket;
  readonly watching: Set<string>;
  /** Users whose `user.presence.changed` this connection asked for (`presence: true`). */
  readonly presenceOf: Set<string>;
}

export class Hub {
  readonly #connections = new Map<string, Connection>();

  add(conn: Connection): void {
    this.#connections.set(conn.id, conn);
  }

  /** Removes a connection; returns the channels it was watching. */
  remove(id: string): Set<string> {
    const conn = this.#connections.get(id);
    this.#connections.delete(id);
    return conn?.watching ?? new Set();
  }

  get(id: string | undefined): Connection | undefined {
    return id ? this.#connections.get(id) : undefined;
  }

  all(): Connection[] {
    return [...this.#connections.values()];
  }

  isOnline(userId: string): boolean {
    return this.all().some((c) => c.userId === userId);
  }

  watcherIds(cid: string): string[] {
    return [
      ...new Set(
        this.all()
          .filter((c) => c.watching.has(cid))
          .map((c) => c.userId),
      ),
    ];
  }

  isWatching(cid: string, userId: string): boolean {
    return this.all().some((c) => c.userId === userId && c.watching.has(cid));
  }

  send(conn: Connection, event: StreamEvent): void {
    if (conn.ws.readyState === conn.ws.OPEN) conn.ws.send(JSON.stringify(event));
  }

  #deliver(targets: Connection[], event: EventFor): void {
    for (const conn of targets) this.send(conn, typeof event === 'function' ? event(conn.userId) : event);
  }

  toWatchers(cid: string, event: EventFor): void {
    this.#deliver(
      this.all().filter((c) => c.watching.has(cid)),
      event,
    );
  }

  toUser(userId: string, event: EventFor): void {
    this.#deliver(
      this.all().filter((c) => c.userId === userId),
      event,
    );
  }

  /** Members' connections that do not watch the channel (notification.* events). */
  toMembersNotWatching(cid: string, memberIds: string[], event: EventFor): void {
    const members = new Set(memberIds);
    this.#deliver(
      this.all().filter((c) => members.has(c.userId) && !c.watching.has(cid)),
      event,
    );
  }

  toPresenceSubscribers(userId: string, event: EventFor): void {
    this.#deliver(
      this.all().filter((c) => c.presenceOf.has(userId) && c.userId !== userId),
      event,
    );
  }

  /** Restart-style shutdown: 1001 (going away) makes clients reconnect at once; 1000 would not. */
  closeAll(): void {
    for (const conn of this.all()) conn.ws.close(1001, 'server restarting');
    this.#connections.clear();
  }
}
