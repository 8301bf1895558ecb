/** Channels: get-or-create (by id and distinct), queryChannels, update and members, hide/show, watching, read state. */
import type { Hono } from 'hono';
import type { C, Env } from './app.js';
import { channelType } from './channel-types.js';
import { distinctChannelId, memberIdsOf, type Actor, type Ctx, type Json } from './context.js';
import { badInput, notAllowed } from './errors.js';
import { matches, parseSort, sortDocs } from './filter.js';
import type { ChannelRecord, Custom } from './store.js';

const RESERVED_CHANNEL_KEYS = new Set([
  'members',
  'created_by',
  'created_by_id',
  'config',
  'cid',
  'id',
  'type',
  'member_count',
  'created_at',
  'updated_at',
  'last_message_at',
  'own_capabilities',
  'frozen',
  'disabled',
  'hidden',
  'team',
]);

function customOf(data: Json): Custom {
  return Object.fromEntries(Object.entries(data).filter(([k]) => !RESERVED_CHANNEL_KEYS.has(k)));
}

export function channelRoutes(app: Hono<Env>, ctx: Ctx): void {
  const { store, hub, shapes } = ctx;

  /** Get-or-create + state + watch, shared by the id and distinct forms. */
  function getOrCreate(c: C, type: string, id: string, memberIds: string[]) {
    const op = 'GetOrCreateChannel';
    const actor = c.get('actor');
    const body = c.get('body');
    const data = (body.data ?? {}) as Json;
    const cid = `${type}:${id}`;
    let channel = store.getChannel(cid);
    if (!channel) {
      const creator = actor.userId;
      if (!creator && !ctx.isServer(actor)) throw badInput(op, 'a creator is required');
      channelType(store, type, op);
      // The creator owns the new channel, so `*-owner` grants apply to both checks.
      const draft = { cid, type, created_by_id: creator };
      ctx.authorize(actor, op, 'CreateChannel', draft);
      if (memberIds.some((m) => m !== creator)) ctx.authorize(actor, op, 'UpdateChannelMembers', draft);
      channel = ctx.createChannel(type, id, creator, memberIds, customOf(data), op);
    } else {
      ctx.authorize(actor, op, 'ReadChannel', channel);
    }
    if (body.watch === true) ctx.watch(cid, actor, body.presence === true);
    const state = ctx.channelState(channel, actor.userId, (body.messages ?? {}) as Json);
    return c.json(state, 201);
  }

  app.post('/channels/:type/query', (c) => {
    const data = (c.get('body').data ?? {}) as Json;
    const memberIds = memberIdsOf(data.members, 'GetOrCreateChannel');
    if (memberIds.length === 0) {
      throw badInput('GetOrCreateChannel', 'When channel id is not provided, members is a required field');
    }
    const creator = c.get('actor').userId;
    const all =
      creator && !memberIds.includes(creator) && !ctx.isServer(c.get('actor'))
        ? [...memberIds, creator]
        : memberIds;
    return getOrCreate(c, c.req.param('type'), distinctChannelId(all), all);
  });

  app.post('/channels/:type/:id/query', (c) => {
    const data = (c.get('body').data ?? {}) as Json;
    return getOrCreate(
      c,
      c.req.param('type'),
      c.req.param('id'),
      memberIdsOf(data.members, 'GetOrCreateChannel'),
    );
  });

  app.post('/channels', (c) => {
    const op = 'QueryChannels';
    const actor = c.get('actor');
    const body = c.get('body');
    const viewer = actor.userId;
    if (!viewer && !ctx.isServer(actor)) throw badInput(op, 'user_id is required');
    const limit = Math.min(Number(body.limit ?? 10), 30);
    const offset = Number(body.offset ?? 0);
    const filter = (body.filter_conditions ?? {}) as Json;
    const wantsHidden = filter.hidden === true;
    const docs = store
      .listChannels()
      .map((ch) => {
        const members = store.members(ch.cid);
        const own = viewer ? members.find((m) => m.user_id === viewer) : undefined;
        return {
          ...ch.custom,
          record: ch,
          own,
          cid: ch.cid,
          id: ch.id,
          type: ch.type,
          members: members.map((m) => m.user_id),
          member_count: members.length,
          created_by_id: ch.created_by_id,
          created_at: ch.created_at,
          updated_at: ch.updated_at,
          last_message_at: ch.last_message_at,
          last_updated:
            ch.last_message_at && ch.last_message_at > ch.created_at ? ch.last_message_at : ch.created_at,
          hidden: own?.hidden ?? false,
        };
      })
      .filter((d) => ctx.isServer(actor) || ctx.can(actor, 'ReadChannel', d.record))
      .filter((d) => wantsHidden || !d.hidden)
      .filter((d) => matches(d, filter, op));
    const sort = parseSort(body.sort, op);
    const page = sortDocs(docs, sort.length ? sort : [{ field: 'last_updated', direction: -1 }]).slice(
      offset,
      offset + limit,
    );
    const messageLimit = Number(body.message_limit ?? 25);
    const channels = page.map((d) => {
      if (body.watch === true) ctx.watch(d.cid, actor, body.presence === true);
      return ctx.channelState(d.record, viewer, { limit: messageLimit }, messageLimit);
    });
    return c.json({ channels }, 201);
  });

  const channelFromPath = (c: C, op: string): ChannelRecord =>
    ctx.requireChannel(`${c.req.param('type')}:${c.req.param('id')}`, op);

  app.post('/channels/:type/:id', (c) => {
    const op = 'UpdateChannel';
    const actor = c.get('actor');
    const body = c.get('body');
    const channel = channelFromPath(c, op);
    const cid = channel.cid;
    const add = memberIdsOf(body.add_members, op);
    const remove = memberIdsOf(body.remove_members, op);
    // Joining or leaving yourself is its own permission; anything else changes other people's membership.
    const onlySelf = (ids: string[]) => ids.length > 0 && ids.every((id) => id === actor.userId);
    if (add.length)
      ctx.authorize(actor, op, onlySelf(add) ? 'AddOwnChannelMembership' : 'UpdateChannelMembers', channel);
    if (remove.length)
      ctx.authorize(
        actor,
        op,
        onlySelf(remove) ? 'RemoveOwnChannelMembership' : 'UpdateChannelMembers',
        channel,
      );
    if (body.data || !(add.length || remove.length)) ctx.authorize(actor, op, 'UpdateChannel', channel);
    for (const key of Object.keys(body)) {
      if (
        ![
          'data',
          'add_members',
          'remove_members',
          'message',
          'user_id',
          'user',
          'hide_history',
          'skip_push',
        ].includes(key)
      ) {
        throw badInput(op, `${key} is not supported by the local stand-in`);
      }
    }
    const missing = add.filter((id) => !store.getUser(id));
    if (missing.length)
      throw badInput(
        op,
        `The following users are specified in add_members but don't exist: ${missing.join(', ')}`,
      );
    const actorUser = actor.userId ? shapes.user(actor.userId) : undefined;
    if (body.data) {
      store.putChannel({ ...channel, custom: customOf(body.data as Json), updated_at: store.now() });
    }
    for (const userId of add) {
      if (store.member(cid, userId)) continue;
      const member = ctx.addMember(cid, userId);
      const memberJson = shapes.member(member);
      const lastMessageAt = store.getChannel(cid)?.last_message_at;
      hub.toWatchers(cid, {
        ...ctx.channelEnvelope(cid, 'member.added'),
        member: memberJson,
        user: memberJson.user,
        ...(lastMessageAt ? { channel_last_message_at: lastMessageAt } : {}),
      });
      hub.toUser(userId, {
        ...ctx.channelEnvelope(cid, 'notification.added_to_channel'),
        channel: {
          ...shapes.channel(store.getChannel(cid)!, userId),
          members: store.members(cid).map((m) => shapes.member(m)),
        },
        member: memberJson,
      });
    }
    for (const userId of remove) {
      if (!store.member(cid, userId)) continue;
      store.deleteMember(cid, userId);
      hub.toWatchers(cid, { ...ctx.channelEnvelope(cid, 'member.removed'), user: shapes.user(userId) });
      hub.toUser(userId, {
        ...ctx.channelEnvelope(cid, 'notification.removed_from_channel'),
        user: shapes.user(userId),
      });
      for (const conn of hub.all()) if (conn.userId === userId) conn.watching.delete(cid);
    }
    const updated = store.getChannel(cid)!;
    if (body.data) {
      hub.toWatchers(cid, (uid) => ({
        ...ctx.channelEnvelope(cid, 'channel.updated'),
        channel: shapes.channel(updated, uid),
        ...(actorUser ? { user: actorUser } : {}),
      }));
    }
    return c.json(
      {
        channel: shapes.channel(updated, actor.userId ?? undefined),
        members: store.members(cid).map((m) => shapes.member(m)),
      },
      201,
    );
  });

  app.delete('/channels/:type/:id', (c) => {
    const op = 'DeleteChannel';
    const actor = c.get('actor');
    const channel = channelFromPath(c, op);
    ctx.authorize(actor, op, 'DeleteChannel', channel);
    const memberIds = store.members(channel.cid).map((m) => m.user_id);
    const json = shapes.channel(channel);
    store.deleteChannel(channel.cid);
    const event = { ...ctx.channelEnvelope(channel.cid, 'channel.deleted'), channel: json };
    hub.toMembersNotWatching(channel.cid, memberIds, { ...event, type: 'notification.channel_deleted' });
    hub.toWatchers(channel.cid, event);
    for (const conn of hub.all()) conn.watching.delete(channel.cid);
    return c.json({ channel: { ...json, deleted_at: store.now() } });
  });

  app.post('/channels/:type/:id/hide', (c) => setHidden(c, true));
  app.post('/channels/:type/:id/show', (c) => setHidden(c, false));

  function setHidden(c: C, hidden: boolean) {
    const op = hidden ? 'HideChannel' : 'ShowChannel';
    const actor = c.get('actor');
    const channel = channelFromPath(c, op);
    const userId = ctx.requireUserId(actor, op);
    const member = ctx.authorize(actor, op, 'ReadChannel', channel);
    if (!member) throw notAllowed(op, `${userId} is not a member of ${channel.cid}`);
    store.putMember({ ...member, hidden, updated_at: store.now() });
    hub.toUser(userId, {
      ...ctx.channelEnvelope(channel.cid, hidden ? 'channel.hidden' : 'channel.visible'),
      user: shapes.user(userId),
      ...(hidden ? { clear_history: c.get('body').clear_history === true } : {}),
    });
    return c.json({}, 201);
  }

  app.post('/channels/:type/:id/stop-watching', (c) => {
    const actor = c.get('actor');
    const channel = channelFromPath(c, 'StopWatchingChannel');
    const conn = hub.get(actor.connectionId);
    if (conn && conn.userId === actor.userId && conn.watching.delete(channel.cid)) {
      announceStopWatching(ctx, channel.cid, conn.userId);
    }
    return c.json({}, 201);
  });

  app.post('/channels/:type/:id/read', (c) => {
    const op = 'MarkRead';
    const actor = c.get('actor');
    const channel = channelFromPath(c, op);
    const userId = ctx.requireUserId(actor, op);
    const member = ctx.authorize(actor, op, 'ReadChannel', channel);
    if (!member) throw notAllowed(op, `${userId} is not a member of ${channel.cid}`);
    const messages = store.channelMessages(channel.cid);
    const requested = c.get('body').message_id;
    const last = typeof requested === 'string' ? messages.find((m) => m.id === requested) : messages.at(-1);
    const now = store.now();
    store.putMember({
      ...member,
      last_read: now,
      unread_messages: 0,
      ...(last ? { last_read_message_id: last.id } : {}),
    });
    const event = {
      ...ctx.channelEnvelope(channel.cid, 'message.read'),
      user: shapes.user(userId),
      ...(last ? { last_read_message_id: last.id } : {}),
      created_at: now,
    };
    hub.toWatchers(channel.cid, event);
    hub.toUser(userId, {
      ...event,
      type: 'notification.mark_read',
      ...shapes.unreadTotals(userId),
      unread_threads: 0,
    });
    return c.json({ event }, 201);
  });

  app.post('/channels/:type/:id/unread', (c) => {
    const op = 'MarkUnread';
    const actor = c.get('actor');
    const body = c.get('body');
    const channel = channelFromPath(c, op);
    const userId = ctx.requireUserId(actor, op);
    const member = ctx.authorize(actor, op, 'ReadChannel', channel);
    if (!member) throw notAllowed(op, `${userId} is not a member of ${channel.cid}`);
    const messages = store.channelMessages(channel.cid);
    const index = messages.findIndex((m) => m.id === body.message_id);
    if (index < 0) throw badInput(op, 'message_id is required and must be a message of this channel');
    const unread = messages.slice(index).filter((m) => m.user_id !== userId).length;
    const previous = messages[index - 1];
    const lastReadAt = previous?.created_at ?? member.created_at;
    store.putMember({
      ...member,
      last_read: lastReadAt,
      unread_messages: unread,
      ...(previous ? { last_read_message_id: previous.id } : { last_read_message_id: undefined }),
    });
    hub.toUser(userId, {
      ...ctx.channelEnvelope(channel.cid, 'notification.mark_unread'),
      user: shapes.user(userId),
      first_unread_message_id: messages[index]!.id,
      ...(previous ? { last_read_message_id: previous.id } : {}),
      last_read_at: lastReadAt,
      unread_messages: unread,
      ...shapes.unreadTotals(userId),
      unread_threads: 0,
    });
    return c.json({}, 201);
  });

  app.get('/unread', (c) => {
    const userId = ctx.requireUserId(c.get('actor'), 'UnreadCounts');
    const memberships = store.membershipsOf(userId);
    const totals = shapes.unreadTotals(userId);
    return c.json({
      total_unread_count: totals.total_unread_count,
      total_unread_threads_count: 0,
      channels: memberships.map((m) => ({
        channel_id: m.cid,
        last_read: m.last_read,
        unread_count: m.unread_messages,
      })),
      channel_type: [],
      threads: [],
    });
  });
}

export function announceStopWatching(ctx: Ctx, cid: string, userId: string): void {
  if (ctx.hub.isWatching(cid, userId)) return;
  ctx.hub.toWatchers(cid, {
    ...ctx.channelEnvelope(cid, 'user.watching.stop'),
    user: ctx.shapes.user(userId),
    watcher_count: ctx.hub.watcherIds(cid).length,
  });
}

export type { Actor };
