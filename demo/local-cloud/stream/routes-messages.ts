/** Messages: send (client ids, threads, quotes), get, update, partial update, delete, replies, reactions, typing/custom events. */
import { randomUUID } from 'node:crypto';
import type { Hono } from 'hono';
import type { C, Env } from './app.js';
import { windowMessages, type Actor, type Ctx, type Json } from './context.js';
import { badInput, notFound, StreamApiError } from './errors.js';
import { parseSort } from './filter.js';
import { channelType } from './channel-types.js';
import { customSize, MAX_CUSTOM_BYTES } from './shapes.js';
import type { Action } from './permissions.js';
import type { ChannelRecord, Custom, MessageRecord } from './store.js';

/** Keys the service owns or models explicitly; everything else in a message is custom data, kept flat. */
const RESERVED_MESSAGE_KEYS = new Set([
  'id',
  'text',
  'html',
  'type',
  'user',
  'user_id',
  'attachments',
  'mentioned_users',
  'parent_id',
  'show_in_channel',
  'quoted_message_id',
  'quoted_message',
  'silent',
  'pinned',
  'pinned_at',
  'pinned_by',
  'pin_expires',
  'cid',
  'created_at',
  'updated_at',
  'deleted_at',
  'latest_reactions',
  'own_reactions',
  'reaction_counts',
  'reaction_scores',
  'reaction_groups',
  'reply_count',
  'deleted_reply_count',
  'thread_participants',
  'member',
  'shadowed',
  'mentioned_channel',
  'mentioned_here',
  'restricted_visibility',
  'status',
  'i18n',
  'command',
  'args',
  'poll_id',
  'channel',
  'error',
  'message_text_updated_at',
]);

function customOf(message: Json): Custom {
  return Object.fromEntries(Object.entries(message).filter(([k]) => !RESERVED_MESSAGE_KEYS.has(k)));
}

function validateContent(
  op: string,
  text: string,
  attachments: unknown,
  custom: Custom,
  maxLength: number,
): void {
  if ([...text].length > maxLength) {
    throw new StreamApiError(
      400,
      20,
      `${op} failed with error: "message is too long: max is ${maxLength} characters"`,
    );
  }
  if (!Array.isArray(attachments)) throw badInput(op, 'message.attachments must be an array');
  if (customSize(custom) > MAX_CUSTOM_BYTES) {
    throw new StreamApiError(413, 22, `${op} failed with error: "message custom data must be less than 5KB"`);
  }
  if (attachments.length && Buffer.byteLength(JSON.stringify(attachments)) > MAX_CUSTOM_BYTES) {
    throw new StreamApiError(
      413,
      22,
      `${op} failed with error: "message attachments must be less than 5KB in total"`,
    );
  }
}

/** Text with a link needs AddLinks, as on Stream (which also enriches it; the stand-in does not). */
const LINK = /\b(?:https?:\/\/|www\.)\S+/i;

export function messageRoutes(app: Hono<Env>, ctx: Ctx): void {
  const { store, hub, shapes } = ctx;

  /** Everything a new message asks for: send, reply, attach, mention, link, pin. */
  const authorizeSend = (actor: Actor, channel: ChannelRecord, input: Json, op: string) => {
    ctx.authorize(actor, op, 'CreateMessage', channel);
    if (typeof input.parent_id === 'string' && input.parent_id)
      ctx.authorize(actor, op, 'CreateReply', channel);
    if (Array.isArray(input.attachments) && input.attachments.length)
      ctx.authorize(actor, op, 'CreateAttachment', channel);
    if (Array.isArray(input.mentioned_users) && input.mentioned_users.length)
      ctx.authorize(actor, op, 'CreateMention', channel);
    if (typeof input.text === 'string' && LINK.test(input.text))
      ctx.authorize(actor, op, 'AddLinks', channel);
    if (input.pinned === true) ctx.authorize(actor, op, 'PinMessage', channel);
  };

  const messageFromPath = (c: C, op: string): MessageRecord => {
    const m = store.getMessage(c.req.param('id')!);
    if (!m) throw notFound(op, `message with id ${c.req.param('id')} not found`);
    return m;
  };

  const channelOf = (m: MessageRecord, op: string) => ctx.requireChannel(m.cid, op);
  const maxLength = (cid: string, op: string) =>
    channelType(store, ctx.requireChannel(cid, op).type, op).settings.max_message_length;
  /** A message action: `*-owner` grants apply to the message's author. */
  const authorizeOnMessage = (actor: Actor, m: MessageRecord, op: string, action: Action) =>
    ctx.authorize(actor, op, action, channelOf(m, op), m.user_id);

  const broadcastUpdated = (m: MessageRecord) =>
    hub.toWatchers(m.cid, (uid) => ctx.messageEvent('message.updated', m, uid));

  app.post('/channels/:type/:id/message', (c) => {
    const op = 'SendMessage';
    const actor = c.get('actor');
    const cid = `${c.req.param('type')}:${c.req.param('id')}`;
    const channel = ctx.requireChannel(cid, op);
    const authorId = ctx.requireUserId(actor, op);
    if (!store.getUser(authorId)) throw badInput(op, `user ${authorId} does not exist`);
    const input = (c.get('body').message ?? {}) as Json;
    authorizeSend({ ...actor, userId: authorId }, channel, input, op);
    const id = typeof input.id === 'string' && input.id ? input.id : randomUUID();
    if (id.length > 255) throw badInput(op, 'message.id is too long');
    if (store.getMessage(id)) throw badInput(op, `a message with ID ${id} already exists`);
    const text = typeof input.text === 'string' ? input.text : '';
    const attachments = input.attachments ?? [];
    const custom = customOf(input);
    validateContent(op, text, attachments, custom, maxLength(cid, op));
    const parentId = typeof input.parent_id === 'string' ? input.parent_id : undefined;
    const parent = parentId ? store.getMessage(parentId) : undefined;
    if (parentId && (!parent || parent.cid !== cid))
      throw badInput(op, `parent message ${parentId} does not exist in ${cid}`);
    if (parent?.parent_id)
      throw new StreamApiError(400, 21, `${op} failed with error: "replies cannot be nested"`);
    const quotedId = typeof input.quoted_message_id === 'string' ? input.quoted_message_id : undefined;
    if (quotedId && store.getMessage(quotedId)?.cid !== cid)
      throw badInput(op, `quoted message ${quotedId} does not exist in ${cid}`);
    const now = store.now();
    const showInChannel = input.show_in_channel === true;
    const message: MessageRecord = {
      id,
      cid,
      user_id: authorId,
      type: parentId && !showInChannel ? 'reply' : 'regular',
      text,
      attachments: attachments as unknown[],
      mentioned_users: Array.isArray(input.mentioned_users) ? input.mentioned_users.map(String) : [],
      ...(parentId ? { parent_id: parentId, show_in_channel: showInChannel } : {}),
      ...(quotedId ? { quoted_message_id: quotedId } : {}),
      silent: input.silent === true,
      pinned: false,
      pinned_at: null,
      pinned_by_id: null,
      pin_expires: null,
      reply_count: 0,
      deleted_reply_count: 0,
      thread_participants: [],
      created_at: now,
      updated_at: now,
      custom,
    };
    const countsAsUnread = !message.silent && (!parentId || showInChannel);
    const members = store.members(cid);
    const unhidden: string[] = [];
    store.transaction(() => {
      store.putMessage(message);
      if (parent) {
        store.putMessage({
          ...parent,
          reply_count: parent.reply_count + 1,
          thread_participants: [...new Set([...parent.thread_participants, parent.user_id, authorId])],
          updated_at: store.now(),
        });
      }
      if (countsAsUnread) store.putChannel({ ...channel, last_message_at: now });
      for (const m of members) {
        if (m.user_id === authorId) {
          store.putMember({
            ...m,
            last_read: now,
            last_read_message_id: countsAsUnread ? id : m.last_read_message_id,
            unread_messages: 0,
            hidden: false,
          });
        } else {
          if (m.hidden) unhidden.push(m.user_id);
          store.putMember({
            ...m,
            unread_messages: m.unread_messages + (countsAsUnread ? 1 : 0),
            hidden: countsAsUnread ? false : m.hidden,
          });
        }
      }
    });
    hub.toWatchers(cid, (uid) => ctx.messageEvent('message.new', message, uid));
    hub.toMembersNotWatching(
      cid,
      members.map((m) => m.user_id),
      (uid) => ({
        ...ctx.messageEvent('notification.message_new', message, uid),
        channel: shapes.channel(store.getChannel(cid)!, uid),
      }),
    );
    for (const uid of unhidden)
      hub.toUser(uid, { ...ctx.channelEnvelope(cid, 'channel.visible'), user: shapes.user(uid) });
    if (parent) broadcastUpdated(store.getMessage(parent.id)!);
    return c.json({ message: shapes.message(message, authorId) }, 201);
  });

  app.get('/messages/:id', (c) => {
    const op = 'GetMessage';
    const m = messageFromPath(c, op);
    const actor = c.get('actor');
    const channel = channelOf(m, op);
    ctx.authorize(actor, op, 'ReadChannel', channel);
    return c.json({
      message: {
        ...shapes.message(m, actor.userId ?? undefined),
        channel: shapes.channel(channel, actor.userId ?? undefined),
      },
    });
  });

  app.get('/channels/:type/:id/messages', (c) => {
    const op = 'GetManyMessages';
    const cid = `${c.req.param('type')}:${c.req.param('id')}`;
    const actor = c.get('actor');
    ctx.authorize(actor, op, 'ReadChannel', ctx.requireChannel(cid, op));
    const ids = (c.req.query('ids') ?? '').split(',').filter(Boolean);
    const messages = ids.map((id) => store.getMessage(id)).filter((m): m is MessageRecord => m?.cid === cid);
    return c.json({ messages: messages.map((m) => shapes.message(m, actor.userId ?? undefined)) });
  });

  app.get('/messages/:id/replies', (c) => {
    const op = 'GetReplies';
    const parent = messageFromPath(c, op);
    const actor = c.get('actor');
    ctx.authorize(actor, op, 'ReadChannel', channelOf(parent, op));
    const params: Json = { ...c.req.query() };
    const sort = parseSort(c.req.query('sort'), op);
    const all = store.replies(parent.id);
    const page = windowMessages(all, params, 100, (id) => store.getMessage(id));
    // Ascending ids/times asked from the oldest end start there; otherwise pages come from the newest end.
    const fromOldest =
      sort[0]?.direction === 1 &&
      !Object.keys(params).some((k) => k.startsWith('id_') || k.startsWith('created_at'));
    const result = fromOldest ? all.slice(0, Math.min(Number(params.limit ?? 100), 300)) : page;
    return c.json({ messages: result.map((m) => shapes.message(m, actor.userId ?? undefined)) });
  });

  app.post('/messages/:id', (c) => {
    const op = 'UpdateMessage';
    const m = messageFromPath(c, op);
    const actor = c.get('actor');
    authorizeOnMessage(actor, m, op, 'UpdateMessage');
    const input = (c.get('body').message ?? {}) as Json;
    if ((input.pinned === true) !== m.pinned) authorizeOnMessage(actor, m, op, 'PinMessage');
    if (input.id !== undefined && input.id !== m.id) throw badInput(op, 'message.id does not match the URL');
    const text = typeof input.text === 'string' ? input.text : '';
    const attachments = input.attachments ?? [];
    const custom = customOf(input);
    validateContent(op, text, attachments, custom, maxLength(m.cid, op));
    const pinned = input.pinned === true;
    const updated: MessageRecord = {
      ...m,
      text,
      attachments: attachments as unknown[],
      mentioned_users: Array.isArray(input.mentioned_users)
        ? input.mentioned_users.map(String)
        : m.mentioned_users,
      custom,
      ...pinState(m, pinned, actor.userId, input.pin_expires),
      ...edited(m, text, store.now()),
    };
    store.putMessage(updated);
    broadcastUpdated(updated);
    return c.json({ message: shapes.message(updated, actor.userId ?? undefined) }, 201);
  });

  app.put('/messages/:id', (c) => {
    const op = 'UpdateMessagePartial';
    const m = messageFromPath(c, op);
    const actor = c.get('actor');
    authorizeOnMessage(actor, m, op, 'UpdateMessage');
    const body = c.get('body');
    const set = (body.set ?? {}) as Json;
    if (typeof set.pinned === 'boolean' && set.pinned !== m.pinned)
      authorizeOnMessage(actor, m, op, 'PinMessage');
    const unset = Array.isArray(body.unset) ? body.unset.map(String) : [];
    const custom: Custom = { ...m.custom, ...customOf(set) };
    for (const key of unset) delete custom[key];
    const text = typeof set.text === 'string' ? set.text : unset.includes('text') ? '' : m.text;
    const attachments = Array.isArray(set.attachments) ? set.attachments : m.attachments;
    validateContent(op, text, attachments, custom, maxLength(m.cid, op));
    const pinned = typeof set.pinned === 'boolean' ? set.pinned : m.pinned;
    const updated: MessageRecord = {
      ...m,
      text,
      attachments,
      custom,
      ...pinState(m, pinned, actor.userId, set.pin_expires),
      ...edited(m, text, store.now()),
    };
    store.putMessage(updated);
    broadcastUpdated(updated);
    return c.json({ message: shapes.message(updated, actor.userId ?? undefined) });
  });

  app.delete('/messages/:id', (c) => {
    const op = 'DeleteMessage';
    const m = messageFromPath(c, op);
    const actor = c.get('actor');
    authorizeOnMessage(actor, m, op, 'DeleteMessage');
    const hard = c.req.query('hard') === 'true' || c.req.query('hard') === '1';
    const now = store.now();
    const deleted: MessageRecord = { ...m, type: 'deleted', deleted_at: now, updated_at: now };
    const response = shapes.message(deleted, actor.userId ?? undefined);
    const event = (uid: string) => ({
      ...ctx.messageEvent('message.deleted', deleted, uid),
      hard_delete: hard,
    });
    store.transaction(() => {
      if (hard) store.deleteMessage(m.id);
      else store.putMessage(deleted);
      if (m.parent_id) {
        const parent = store.getMessage(m.parent_id);
        if (parent)
          store.putMessage({
            ...parent,
            deleted_reply_count: parent.deleted_reply_count + 1,
            updated_at: store.now(),
          });
      }
    });
    hub.toWatchers(m.cid, event);
    return c.json({ message: response });
  });

  app.post('/messages/:id/reaction', (c) => {
    const op = 'SendReaction';
    const m = messageFromPath(c, op);
    const actor = c.get('actor');
    const userId = ctx.requireUserId(actor, op);
    ctx.authorize({ ...actor, userId }, op, 'CreateReaction', channelOf(m, op));
    const body = c.get('body');
    const input = (body.reaction ?? {}) as Json;
    if (typeof input.type !== 'string' || !input.type)
      throw badInput(op, 'reaction.type is a required field');
    const {
      type,
      score,
      user_id: _u,
      user: _user,
      message_id: _m,
      created_at: _c,
      updated_at: _up,
      ...custom
    } = input;
    if (customSize(custom) > MAX_CUSTOM_BYTES)
      throw new StreamApiError(
        413,
        22,
        `${op} failed with error: "reaction custom data must be less than 5KB"`,
      );
    const now = store.now();
    const existing = store.reactions(m.id).filter((r) => r.user_id === userId);
    const replaced = body.enforce_unique === true && existing.some((r) => r.type !== type);
    const reaction = {
      message_id: m.id,
      user_id: userId,
      type,
      score: typeof score === 'number' ? score : 1,
      created_at: existing.find((r) => r.type === type)?.created_at ?? now,
      updated_at: now,
      custom,
    };
    // A reaction changes the message: Stream bumps its updated_at (compare http_message.json and http_reaction.json).
    const bumped: MessageRecord = { ...m, updated_at: store.now() };
    store.transaction(() => {
      if (body.enforce_unique === true) for (const r of existing) store.deleteReaction(m.id, userId, r.type);
      store.putReaction(reaction);
      store.putMessage(bumped);
    });
    const eventType = replaced ? 'reaction.updated' : 'reaction.new';
    hub.toWatchers(m.cid, (uid) => ({
      ...ctx.messageEvent(eventType, bumped, uid),
      reaction: shapes.reaction(reaction),
      user: shapes.user(userId),
      channel: shapes.channel(store.getChannel(m.cid)!, uid),
    }));
    return c.json({ message: shapes.message(bumped, userId), reaction: shapes.reaction(reaction) }, 201);
  });

  app.delete('/messages/:id/reaction/:type', (c) => {
    const op = 'DeleteReaction';
    const m = messageFromPath(c, op);
    const actor = c.get('actor');
    const userId = ctx.requireUserId(actor, op);
    // Only the caller's own reaction is removed here, so the caller owns it.
    ctx.authorize({ ...actor, userId }, op, 'DeleteReaction', channelOf(m, op), userId);
    const type = c.req.param('type');
    const reaction = store.reactions(m.id).find((r) => r.user_id === userId && r.type === type);
    if (!reaction) throw notFound(op, `reaction of type ${type} by ${userId} not found`);
    const bumped: MessageRecord = { ...m, updated_at: store.now() };
    store.transaction(() => {
      store.deleteReaction(m.id, userId, type);
      store.putMessage(bumped);
    });
    hub.toWatchers(m.cid, (uid) => ({
      ...ctx.messageEvent('reaction.deleted', bumped, uid),
      reaction: shapes.reaction(reaction),
      user: shapes.user(userId),
    }));
    return c.json({ message: shapes.message(bumped, userId), reaction: shapes.reaction(reaction) });
  });

  app.post('/channels/:type/:id/event', (c) => {
    const op = 'SendEvent';
    const actor = c.get('actor');
    const cid = `${c.req.param('type')}:${c.req.param('id')}`;
    const channel = ctx.requireChannel(cid, op);
    const userId = ctx.requireUserId(actor, op);
    const input = (c.get('body').event ?? {}) as Json;
    if (typeof input.type !== 'string' || !input.type) throw badInput(op, 'event.type is a required field');
    // Typing events follow the type's typing switch and read access; anything else is a custom event.
    const typing = input.type === 'typing.start' || input.type === 'typing.stop';
    ctx.authorize({ ...actor, userId }, op, typing ? 'ReadChannel' : 'SendCustomEvent', channel);
    if (Buffer.byteLength(JSON.stringify(input)) > MAX_CUSTOM_BYTES) {
      throw new StreamApiError(413, 22, `${op} failed with error: "event payload must be less than 5KB"`);
    }
    const { user: _u, user_id: _uid, ...rest } = input;
    const event = { ...rest, ...ctx.channelEnvelope(cid, input.type), user: shapes.user(userId) };
    hub.toWatchers(cid, event);
    return c.json({ event }, 201);
  });
}

/** Any edit bumps `updated_at`; a change of text also sets `message_text_updated_at`. */
function edited(m: MessageRecord, text: string, now: string) {
  return { updated_at: now, ...(text !== m.text ? { message_text_updated_at: now } : {}) };
}

function pinState(m: MessageRecord, pinned: boolean, actorId: string | null, pinExpires: unknown) {
  if (!pinned) return { pinned: false, pinned_at: null, pinned_by_id: null, pin_expires: null };
  if (m.pinned)
    return { pinned: true, pinned_at: m.pinned_at, pinned_by_id: m.pinned_by_id, pin_expires: m.pin_expires };
  return {
    pinned: true,
    pinned_at: new Date().toISOString(),
    pinned_by_id: actorId,
    pin_expires: typeof pinExpires === 'string' ? pinExpires : null,
  };
}
