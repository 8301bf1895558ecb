/**
 * Delivery receipts: `POST /channels/delivered`, which stream-chat's MessageDeliveryReporter calls (buffered, about
 * once a second) for channels whose type has `delivery_events` on, as a new Stream app's `messaging` type has.
 * Each entry moves the caller's delivery mark forward and tells the channel's watchers with `message.delivered`.
 */
import type { Hono } from 'hono';
import type { Env } from './app.js';
import { channelType } from './channel-types.js';
import { parseCid, type Ctx, type Json } from './context.js';
import { badInput, notFound } from './errors.js';

/** The client sends at most 100 entries per request (MAX_DELIVERED_MESSAGE_COUNT_IN_PAYLOAD). */
const MAX_ENTRIES = 100;

export function deliveryRoutes(app: Hono<Env>, ctx: Ctx): void {
  const { store, hub, shapes } = ctx;

  app.post('/channels/delivered', (c) => {
    const op = 'MarkDelivered';
    const actor = c.get('actor');
    const userId = ctx.requireUserId(actor, op);
    const entries = c.get('body').latest_delivered_messages;
    if (!Array.isArray(entries) || entries.length === 0)
      throw badInput(op, 'latest_delivered_messages is a required field');
    if (entries.length > MAX_ENTRIES)
      throw badInput(op, `latest_delivered_messages must hold at most ${MAX_ENTRIES} entries`);

    for (const entry of entries as Json[]) {
      const { type } = parseCid(entry.cid, op);
      const channel = ctx.requireChannel(String(entry.cid), op);
      const member = ctx.authorize({ ...actor, userId }, op, 'ReadChannel', channel);
      const message = typeof entry.id === 'string' ? store.getMessage(entry.id) : undefined;
      if (!message || message.cid !== channel.cid)
        throw notFound(op, `message ${String(entry.id)} not found in ${channel.cid}`);
      // Delivery marks belong to members and only move forward; other entries change nothing.
      if (!member || !channelType(store, type, op).settings.delivery_events) continue;
      const current = member.last_delivered_message_id
        ? store.getMessage(member.last_delivered_message_id)
        : undefined;
      if (current && current.created_at >= message.created_at) continue;
      const now = store.now();
      store.putMember({ ...member, last_delivered_at: now, last_delivered_message_id: message.id });
      hub.toWatchers(channel.cid, {
        ...ctx.channelEnvelope(channel.cid, 'message.delivered'),
        channel_member_count: store.members(channel.cid).length,
        channel_message_count: store.channelMessageCount(channel.cid),
        channel_custom: channel.custom,
        user: shapes.user(userId),
        last_delivered_at: now,
        last_delivered_message_id: message.id,
        created_at: now,
      });
    }
    return c.json({}, 201);
  });
}
