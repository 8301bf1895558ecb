/** Shared state and helpers for the route modules: store, connections, shapes, permissions, channel state. */
import { createHash } from 'node:crypto';
import type { Caller } from './auth.js';
import type { CdnSigner } from './cdn.js';
import type { RateLimiter } from './rate-limits.js';
import { channelType } from './channel-types.js';
import { badInput, notAllowed, notFound } from './errors.js';
import type { Hub } from './hub.js';
import { isGranted, type Action } from './permissions.js';
import { customSize, rolesOf, MAX_CUSTOM_BYTES, Shapes } from './shapes.js';
import type { ChannelRecord, Custom, MemberRecord, MessageRecord, StreamStore, UserRecord } from './store.js';
import { StreamApiError } from './errors.js';

export type Json = Record<string, unknown>;

/** Who a request acts as: a user, or the server acting on behalf of an optional user. */
export interface Actor {
  caller: Caller;
  userId: string | null;
  connectionId: string | undefined;
}

const ID_PATTERN = /^[\w!@._-]+$/;
const CHANNEL_ID_PATTERN = /^[\w!_-]+$/;

export class Ctx {
  readonly shapes: Shapes;
  /** Set by close(): late socket events must not touch the released database. */
  closing = false;
  constructor(
    readonly store: StreamStore,
    readonly hub: Hub,
    readonly secret: string,
    readonly cdn: CdnSigner,
    readonly rateLimiter: RateLimiter,
  ) {
    this.shapes = new Shapes(
      store,
      (id) => hub.isOnline(id),
      (url) => this.resign(url),
    );
  }

  /** A stand-in upload link, signed afresh (Stream re-signs stored links whenever it returns them); other URLs as is. */
  resign(url: string): string {
    const id = this.cdn.uploadIdOf(url);
    const upload = id ? this.store.uploadMeta(id) : undefined;
    return upload ? this.cdn.linkFor(upload) : url;
  }

  isServer(actor: Actor): boolean {
    return actor.caller.kind === 'server';
  }

  requireUserId(actor: Actor, op: string): string {
    if (!actor.userId) throw badInput(op, 'user_id or user is a required field for server-side calls');
    return actor.userId;
  }

  requireChannel(cid: string, op: string): ChannelRecord {
    const c = this.store.getChannel(cid);
    if (!c) throw notFound(op, `Can't find channel with id ${cid}`);
    return c;
  }

  /**
   * Checks a user-side call against the channel type's grants (server-side calls pass: Stream checks permissions only
   * for client-side calls). Roles: the user's role, plus the channel role when a member. `resourceOwnerId` names the
   * owner for `*-owner` grants: the channel's creator by default, the author for message actions.
   */
  authorize(
    actor: Actor,
    op: string,
    action: Action,
    channel: Pick<ChannelRecord, 'cid' | 'type' | 'created_by_id'>,
    resourceOwnerId: string | null = channel.created_by_id,
  ): MemberRecord | undefined {
    const member = actor.userId ? this.store.member(channel.cid, actor.userId) : undefined;
    if (this.isServer(actor)) return member;
    const userId = actor.userId ?? '';
    const roles = rolesOf(this.store, userId, member);
    const grants = channelType(this.store, channel.type, op).grants;
    if (!isGranted(grants, action, roles, resourceOwnerId === userId)) {
      throw notAllowed(
        op,
        `User '${userId}' with role '${roles.at(-1)}' is not allowed to perform action ${action} in scope '${channel.type}'`,
      );
    }
    return member;
  }

  /** `authorize` as a yes/no answer, for filtering lists (queryChannels, search). */
  can(actor: Actor, action: Action, channel: ChannelRecord): boolean {
    try {
      this.authorize(actor, 'Check', action, channel);
      return true;
    } catch {
      return false;
    }
  }

  /** Upserts a user from `{id, role?, ...custom}`; keeps created_at and custom fields not given. */
  upsertUser(input: Json, op: string, allowRole: boolean, replace = true): UserRecord {
    const id = input.id;
    if (typeof id !== 'string' || !ID_PATTERN.test(id))
      throw badInput(op, `user.id is not a valid user id: ${String(id)}`);
    const { id: _id, role, created_at: _c, updated_at: _u, online: _o, last_active: _l, ...custom } = input;
    for (const k of [
      'banned',
      'teams',
      'language',
      'blocked_user_ids',
      'invisible',
      'privacy_settings',
      'anon',
    ])
      delete custom[k];
    if (customSize(custom) > MAX_CUSTOM_BYTES) {
      throw new StreamApiError(413, 22, `${op} failed with error: "user custom data must be less than 5KB"`);
    }
    const existing = this.store.getUser(id);
    const now = this.store.now();
    const user: UserRecord = {
      id,
      role: allowRole && typeof role === 'string' ? role : (existing?.role ?? 'user'),
      created_at: existing?.created_at ?? now,
      updated_at: now,
      ...(existing?.last_active ? { last_active: existing.last_active } : {}),
      custom: replace ? custom : { ...existing?.custom, ...custom },
    };
    this.store.putUser(user);
    return user;
  }

  /** Creates a channel with its members; the caller checks permissions first. */
  createChannel(
    type: string,
    id: string,
    creatorId: string | null,
    memberIds: string[],
    custom: Custom,
    op: string,
  ): ChannelRecord {
    if (!CHANNEL_ID_PATTERN.test(type)) throw badInput(op, `channel type ${type} is not valid`);
    if (!CHANNEL_ID_PATTERN.test(id))
      throw badInput(op, `channel id ${id} is not valid, it must match ^[\\w!_-]+$`);
    const missing = memberIds.filter((m) => !this.store.getUser(m));
    if (missing.length) {
      throw badInput(
        op,
        `The following users are specified in channel.members but don't exist: ${missing.join(', ')}`,
      );
    }
    if (customSize(custom) > MAX_CUSTOM_BYTES) {
      throw new StreamApiError(
        413,
        22,
        `${op} failed with error: "channel custom data must be less than 5KB"`,
      );
    }
    const now = this.store.now();
    const channel: ChannelRecord = {
      cid: `${type}:${id}`,
      type,
      id,
      created_by_id: creatorId,
      created_at: now,
      updated_at: now,
      last_message_at: null,
      custom,
    };
    this.store.transaction(() => {
      this.store.putChannel(channel);
      for (const userId of new Set(memberIds)) this.addMember(channel.cid, userId);
    });
    return channel;
  }

  addMember(
    cid: string,
    userId: string,
    role: MemberRecord['channel_role'] = 'channel_member',
  ): MemberRecord {
    const now = this.store.now();
    const member: MemberRecord = {
      cid,
      user_id: userId,
      channel_role: role,
      created_at: now,
      updated_at: now,
      hidden: false,
      last_read: now,
      unread_messages: 0,
    };
    this.store.putMember(member);
    return member;
  }

  /** ChannelAPIResponse for one viewer (`viewerId` null: server view without membership). */
  channelState(
    channel: ChannelRecord,
    viewerId: string | null,
    messageParams: Json = {},
    defaultLimit = 100,
  ): Json {
    const members = this.store.members(channel.cid);
    const membership = viewerId ? members.find((m) => m.user_id === viewerId) : undefined;
    const all = this.store.channelMessages(channel.cid);
    const messages = windowMessages(all, messageParams, defaultLimit, (id) => this.store.getMessage(id));
    const watcherIds = this.hub.watcherIds(channel.cid);
    return {
      channel: this.shapes.channel(channel, viewerId ?? undefined),
      messages: messages.map((m) => this.shapes.message(m, viewerId ?? undefined)),
      pinned_messages: all.filter((m) => m.pinned).map((m) => this.shapes.message(m, viewerId ?? undefined)),
      watcher_count: watcherIds.length,
      watchers: watcherIds.map((id) => this.shapes.user(id)),
      read: members.map((m) => this.shapes.read(m)),
      members: members.map((m) => this.shapes.member(m)),
      ...(membership ? { membership: this.shapes.member(membership) } : {}),
      threads: [],
      hidden: membership?.hidden ?? false,
    };
  }

  /** Registers a watch for the request's connection and tells the other watchers. */
  watch(cid: string, actor: Actor, presence: boolean): void {
    const conn = this.hub.get(actor.connectionId);
    if (!conn || conn.userId !== actor.userId) return;
    const wasWatching = this.hub.isWatching(cid, conn.userId);
    conn.watching.add(cid);
    if (presence) for (const m of this.store.members(cid)) conn.presenceOf.add(m.user_id);
    if (!wasWatching) {
      this.hub.toWatchers(cid, {
        ...this.channelEnvelope(cid, 'user.watching.start'),
        user: this.shapes.user(conn.userId),
        watcher_count: this.hub.watcherIds(cid).length,
      });
    }
  }

  channelEnvelope(cid: string, type: string): Json & { type: string } {
    const [channelType, ...rest] = cid.split(':');
    return { type, cid, channel_id: rest.join(':'), channel_type: channelType, created_at: this.store.now() };
  }

  /** Message event envelope as the real service sends it, with the recipient's unread totals. */
  messageEvent(
    type: string,
    message: MessageRecord,
    recipientId: string,
    extra: Json = {},
  ): Json & { type: string } {
    const channel = this.store.getChannel(message.cid);
    return {
      ...this.channelEnvelope(message.cid, type),
      channel_member_count: this.store.members(message.cid).length,
      channel_message_count: this.store.channelMessageCount(message.cid),
      channel_custom: channel?.custom ?? {},
      message_id: message.id,
      message: this.shapes.message(message),
      user: this.shapes.user(message.user_id),
      watcher_count: this.hub.watcherIds(message.cid).length,
      ...this.shapes.unreadTotals(recipientId),
      ...extra,
    };
  }
}

/** Splits a `type:id` cid, or throws Stream's bad-input error. */
export function parseCid(cid: unknown, op: string): { type: string; id: string } {
  if (typeof cid !== 'string' || !cid.includes(':')) throw badInput(op, `cid ${String(cid)} is not valid`);
  const [type, ...rest] = cid.split(':');
  return { type: type!, id: rest.join(':') };
}

/** Deterministic id for a distinct (member-based) channel, like the real `!members-…` ids. */
export function distinctChannelId(memberIds: string[]): string {
  const sorted = [...new Set(memberIds)].sort();
  return `!members-${createHash('sha256')
    .update(sorted.join(','))
    .digest('base64url')
    .slice(0, 43)
    .replace(/[^\w-]/g, '_')}`;
}

/** Member ids from `data.members`: strings or `{user_id}` objects. */
export function memberIdsOf(list: unknown, op: string): string[] {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw badInput(op, 'members must be an array');
  return list.map((m) => {
    const id = typeof m === 'string' ? m : typeof m === 'object' && m ? (m as Json).user_id : undefined;
    if (typeof id !== 'string' || !id) throw badInput(op, 'members must be user ids or {user_id} objects');
    return id;
  });
}

/**
 * The message window of a channel query or replies call, oldest first:
 * newest `limit` by default, or relative to `id_lt|lte|gt|gte|around` / `created_at_*`.
 */
export function windowMessages(
  all: MessageRecord[],
  p: Json,
  defaultLimit: number,
  lookup: (id: string) => MessageRecord | undefined,
): MessageRecord[] {
  const limit = Math.max(0, Math.min(Number(p.limit ?? defaultLimit), 300));
  if (!limit) return [];
  const at = (key: string): string | undefined => {
    const v = p[key];
    if (typeof v !== 'string' || !v) return undefined;
    return key.startsWith('id_') ? lookup(v)?.created_at : new Date(v).toISOString().replace('Z', '000Z');
  };
  const older = (t: string, inclusive: boolean) =>
    all.filter((m) => (inclusive ? m.created_at <= t : m.created_at < t)).slice(-limit);
  const newer = (t: string, inclusive: boolean) =>
    all.filter((m) => (inclusive ? m.created_at >= t : m.created_at > t)).slice(0, limit);
  const around = (t: string) => {
    const before = all.filter((m) => m.created_at < t);
    const after = all.filter((m) => m.created_at >= t);
    const takeBefore = Math.min(before.length, Math.max(Math.floor(limit / 2), limit - after.length));
    return [...before.slice(before.length - takeBefore), ...after.slice(0, limit - takeBefore)];
  };
  const t = (k: string) => at(k) ?? '';
  if (p.id_lt) return older(t('id_lt'), false);
  if (p.id_lte) return older(t('id_lte'), true);
  if (p.id_gt) return newer(t('id_gt'), false);
  if (p.id_gte) return newer(t('id_gte'), true);
  if (p.id_around) return around(t('id_around'));
  if (p.created_at_around) return around(t('created_at_around'));
  if (p.created_at_before) return older(t('created_at_before'), false);
  if (p.created_at_before_or_equal) return older(t('created_at_before_or_equal'), true);
  if (p.created_at_after) return newer(t('created_at_after'), false);
  if (p.created_at_after_or_equal) return newer(t('created_at_after_or_equal'), true);
  return all.slice(-limit);
}
