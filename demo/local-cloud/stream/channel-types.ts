/**
 * Channel types as data: the `messaging` type is seeded with a new Stream app's settings and grants, persisted, read
 * with `GET /channeltypes/{type}` and changed with `PUT /channeltypes/{type}` (server-side only, as on Stream).
 */
import type { Hono } from 'hono';
import type { Env } from './app.js';
import type { Ctx, Json } from './context.js';
import { badInput, notAllowed, StreamApiError } from './errors.js';
import { DEFAULT_MESSAGING_GRANTS, isKnownPermission, type Grants } from './permissions.js';
import type { ChannelTypeRecord, ChannelTypeSettings, StreamStore } from './store.js';

export const MAX_MESSAGE_LENGTH = 5000;

/**
 * Settings of a new app's `messaging` type. Switches for features the stand-in does not implement (mutes, polls,
 * URL enrichment, push, reminders, shared locations, message counts) stay off so the config never promises them;
 * the README lists them under "differs from Stream".
 */
const DEFAULT_MESSAGING_SETTINGS: ChannelTypeSettings = {
  typing_events: true,
  read_events: true,
  connect_events: true,
  delivery_events: true,
  search: true,
  reactions: true,
  replies: true,
  quotes: true,
  mutes: false,
  uploads: true,
  url_enrichment: false,
  custom_events: true,
  push_notifications: false,
  reminders: false,
  mark_messages_pending: false,
  polls: false,
  user_message_reminders: false,
  shared_locations: false,
  count_messages: false,
  message_retention: 'infinite',
  max_message_length: MAX_MESSAGE_LENGTH,
  automod: 'disabled',
  automod_behavior: 'flag',
  blocklist_behavior: 'flag',
  skip_last_msg_update_for_system_msgs: false,
};

/** Built-in types of a real app that the stand-in does not model: they answer 501, never a fake success. */
const UNMODELLED_BUILT_IN_TYPES = new Set(['livestream', 'team', 'gaming', 'commerce']);

/** Settings a PUT may change: booleans, the length limit and the automod strings. */
const BOOLEAN_SETTINGS = Object.entries(DEFAULT_MESSAGING_SETTINGS)
  .filter(([, v]) => typeof v === 'boolean')
  .map(([k]) => k);
const STRING_SETTINGS = ['automod', 'automod_behavior', 'blocklist_behavior', 'message_retention'];

/** The stored type, seeding `messaging` on first use; throws Stream's errors for other types. */
export function channelType(store: StreamStore, name: string, op: string): ChannelTypeRecord {
  const existing = store.getChannelType(name);
  if (existing) return existing;
  if (name === 'messaging') {
    const now = store.now();
    const seeded: ChannelTypeRecord = {
      name,
      created_at: now,
      updated_at: now,
      settings: { ...DEFAULT_MESSAGING_SETTINGS },
      grants: structuredClone(DEFAULT_MESSAGING_GRANTS),
    };
    store.putChannelType(seeded);
    return seeded;
  }
  if (UNMODELLED_BUILT_IN_TYPES.has(name)) {
    throw new StreamApiError(
      501,
      16,
      `${op} failed with error: "channel type ${name} is not implemented by the local Stream stand-in (only messaging)"`,
    );
  }
  throw badInput(op, `channel type "${name}" does not exist`);
}

/** `channel.config` as channel responses carry it. */
export function channelConfig(t: ChannelTypeRecord): Json {
  return { created_at: t.created_at, updated_at: t.updated_at, name: t.name, ...t.settings, commands: [] };
}

/** GetChannelTypeResponse / UpdateChannelTypeResponse (without `duration`, added by the app). */
function channelTypeResponse(t: ChannelTypeRecord): Json {
  return { ...channelConfig(t), grants: t.grants, permissions: [] };
}

export function channelTypeRoutes(app: Hono<Env>, ctx: Ctx): void {
  const { store } = ctx;
  const serverOnly = (op: string, isServer: boolean) => {
    if (!isServer) throw notAllowed(op, `${op} is only allowed server-side`);
  };

  app.get('/channeltypes/:type', (c) => {
    const op = 'GetChannelType';
    serverOnly(op, ctx.isServer(c.get('actor')));
    return c.json(channelTypeResponse(channelType(store, c.req.param('type'), op)));
  });

  app.put('/channeltypes/:type', (c) => {
    const op = 'UpdateChannelType';
    serverOnly(op, ctx.isServer(c.get('actor')));
    const current = channelType(store, c.req.param('type'), op);
    const body = c.get('body');
    const updated: ChannelTypeRecord = {
      ...current,
      settings: { ...current.settings, ...settingsFrom(body, op) },
      grants: { ...current.grants, ...grantsFrom(body.grants, op) },
      updated_at: store.now(),
    };
    store.putChannelType(updated);
    return c.json(channelTypeResponse(updated));
  });
}

function settingsFrom(body: Json, op: string): Partial<ChannelTypeSettings> {
  const out: Json = {};
  for (const [key, value] of Object.entries(body)) {
    if (key === 'grants') continue;
    if (BOOLEAN_SETTINGS.includes(key)) {
      if (typeof value !== 'boolean') throw badInput(op, `${key} must be a boolean`);
      out[key] = value;
    } else if (STRING_SETTINGS.includes(key)) {
      if (typeof value !== 'string') throw badInput(op, `${key} must be a string`);
      out[key] = value;
    } else if (key === 'max_message_length') {
      if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > 20000)
        throw badInput(op, 'max_message_length must be between 1 and 20000');
      out[key] = value;
    } else {
      throw new StreamApiError(
        501,
        16,
        `${op} failed with error: "${key} is not implemented by the local Stream stand-in"`,
      );
    }
  }
  return out as Partial<ChannelTypeSettings>;
}

/** Each role named in `grants` gets exactly the listed permissions; roles not named keep theirs. */
function grantsFrom(value: unknown, op: string): Grants {
  if (value === undefined) return {};
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw badInput(op, 'grants must be a map of role to permission ids');
  const out: Grants = {};
  for (const [role, ids] of Object.entries(value as Json)) {
    if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string'))
      throw badInput(op, `grants.${role} must be a list of permission ids`);
    const unknown = (ids as string[]).filter((id) => !isKnownPermission(id));
    if (unknown.length) throw badInput(op, `grants.${role}: unknown permission ${unknown.join(', ')}`);
    out[role] = [...new Set(ids as string[])];
  }
  return out;
}
