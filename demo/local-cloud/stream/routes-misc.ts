/** Users, app settings, uploads (served by the CDN origin through signed links), search and the inspection dump. */
import { randomUUID } from 'node:crypto';
import type { Hono } from 'hono';
import { payloadParam, type C, type Env } from './app.js';
import type { Ctx, Json } from './context.js';
import { badInput, notAllowed, notFound, StreamApiError } from './errors.js';
import { matches, parseSort, sortDocs } from './filter.js';
import { DEFAULT_APP_LIMITS } from './rate-limits.js';

/** Upload settings answered by `GET /app`; the composer checks them before the first upload. */
export const UPLOAD_SIZE_LIMIT = 100 * 1024 * 1024;

export function miscRoutes(app: Hono<Env>, ctx: Ctx): void {
  const { store, hub, shapes } = ctx;

  app.get('/app', (c) =>
    c.json({
      app: {
        id: 1,
        name: 'local-stream',
        placement: '',
        async_url_enrich_enabled: false,
        auto_translation_enabled: false,
        file_upload_config: {
          allowed_file_extensions: [],
          blocked_file_extensions: [],
          allowed_mime_types: [],
          blocked_mime_types: [],
          size_limit: UPLOAD_SIZE_LIMIT,
        },
        image_upload_config: {
          allowed_file_extensions: [],
          blocked_file_extensions: [],
          allowed_mime_types: [],
          blocked_mime_types: [],
          size_limit: UPLOAD_SIZE_LIMIT,
        },
      },
    }),
  );

  // Server-side: usage of the app-wide windows per platform and endpoint (GetRateLimitsResponse).
  app.get('/rate_limits', (c) => {
    const op = 'GetRateLimits';
    if (!ctx.isServer(c.get('actor'))) throw notAllowed(op, `${op} is only allowed server-side`);
    const platforms = ['server_side', 'android', 'ios', 'web'];
    const asked = platforms.filter((p) => c.req.query(p) === 'true');
    const endpoints = (c.req.query('endpoints') ?? '').split(',').filter(Boolean);
    const names = endpoints.length ? endpoints : Object.keys(DEFAULT_APP_LIMITS);
    const out: Json = {};
    for (const platform of asked.length ? asked : platforms) {
      out[platform] = Object.fromEntries(names.map((name) => [name, ctx.rateLimiter.usage(platform, name)]));
    }
    return c.json(out);
  });

  app.post('/users', (c) => {
    const op = 'UpdateUsers';
    const actor = c.get('actor');
    const users = c.get('body').users;
    if (!users || typeof users !== 'object' || Array.isArray(users))
      throw badInput(op, 'users must be a map of id to user');
    const out: Record<string, unknown> = {};
    for (const input of Object.values(users as Record<string, Json>)) {
      if (!ctx.isServer(actor) && (input.id !== actor.userId || input.role !== undefined)) {
        throw notAllowed(
          op,
          `User '${actor.userId}' with role 'user' is not allowed to perform action UpdateUser`,
        );
      }
      const user = ctx.upsertUser(input, op, ctx.isServer(actor));
      out[user.id] = shapes.userFrom(user);
      announceUserUpdated(ctx, user.id);
    }
    return c.json({ users: out }, 201);
  });

  app.patch('/users', (c) => {
    const op = 'UpdateUsersPartial';
    const actor = c.get('actor');
    const list = c.get('body').users;
    if (!Array.isArray(list)) throw badInput(op, 'users must be an array of {id, set, unset}');
    const out: Record<string, unknown> = {};
    for (const change of list as Json[]) {
      const id = String(change.id);
      if (!ctx.isServer(actor) && id !== actor.userId)
        throw notAllowed(op, `User '${actor.userId}' may only update itself`);
      const existing = store.getUser(id);
      if (!existing) throw notFound(op, `user ${id} not found`);
      const custom = { ...existing.custom, ...((change.set ?? {}) as Json) };
      for (const key of (change.unset ?? []) as string[]) delete custom[key];
      const user = ctx.upsertUser({ ...custom, id, role: existing.role }, op, true);
      out[id] = shapes.userFrom(user);
      announceUserUpdated(ctx, id);
    }
    return c.json({ users: out });
  });

  app.get('/users', (c) => {
    const op = 'QueryUsers';
    const actor = c.get('actor');
    const payload = payloadParam(c, op);
    const docs = store
      .listUsers()
      .map((u) => ({
        ...u.custom,
        id: u.id,
        role: u.role,
        created_at: u.created_at,
        updated_at: u.updated_at,
        last_active: u.last_active,
        online: hub.isOnline(u.id),
        record: u,
      }))
      .filter((d) => matches(d, payload.filter_conditions, op));
    const sort = parseSort(payload.sort, op);
    const offset = Number(payload.offset ?? 0);
    const page = sortDocs(docs, sort.length ? sort : [{ field: 'created_at', direction: -1 }]).slice(
      offset,
      offset + Number(payload.limit ?? 30),
    );
    const conn = hub.get(actor.connectionId);
    if (payload.presence === true && conn) for (const d of page) conn.presenceOf.add(d.id);
    return c.json({ users: page.map((d) => shapes.userFrom(d.record)) });
  });

  const upload = (kind: 'file' | 'image') => async (c: C) => {
    const op = kind === 'file' ? 'UploadFile' : 'UploadImage';
    const actor = c.get('actor');
    const cid = `${c.req.param('type')}:${c.req.param('id')}`;
    ctx.authorize(actor, op, 'UploadAttachment', ctx.requireChannel(cid, op));
    const contentType = c.req.header('content-type') ?? '';
    if (!contentType.startsWith('multipart/form-data'))
      throw badInput(op, 'the request must be multipart/form-data with a "file" field');
    const form = await new Request('http://local/', {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: c.get('raw'),
    }).formData();
    const file = form.get('file');
    if (!file || typeof file === 'string') throw badInput(op, 'file is a required field');
    if (file.size > UPLOAD_SIZE_LIMIT)
      throw new StreamApiError(413, 22, `${op} failed with error: "file is too large"`);
    if (kind === 'image' && !file.type.startsWith('image/'))
      throw badInput(op, 'the uploaded file is not an image');
    const id = randomUUID();
    const name = file.name || 'file';
    store.putUpload({
      id,
      cid,
      kind,
      name,
      content_type: file.type || 'application/octet-stream',
      user_id: actor.userId,
      bytes: Buffer.from(await file.arrayBuffer()),
      created_at: store.now(),
    });
    const url = ctx.cdn.linkFor({ id, kind, name });
    return c.json({ file: url, ...(kind === 'image' ? { thumb_url: url } : {}) }, 201);
  };
  app.post('/channels/:type/:id/file', upload('file'));
  app.post('/channels/:type/:id/image', upload('image'));

  const deleteUpload = (c: C) => {
    const op = 'DeleteFile';
    const actor = c.get('actor');
    const cid = `${c.req.param('type')}:${c.req.param('id')}`;
    const channel = ctx.requireChannel(cid, op);
    const uploadId = ctx.cdn.uploadIdOf(c.req.query('url') ?? '');
    const record = uploadId ? store.getUpload(uploadId) : undefined;
    if (!record || record.cid !== cid) throw notFound(op, 'file not found');
    ctx.authorize(actor, op, 'DeleteAttachment', channel, record.user_id ?? null);
    store.deleteUpload(record.id);
    return c.json({});
  };
  app.delete('/channels/:type/:id/file', deleteUpload);
  app.delete('/channels/:type/:id/image', deleteUpload);

  app.get('/search', (c) => {
    const op = 'Search';
    const actor = c.get('actor');
    const payload = payloadParam(c, op);
    if (!payload.filter_conditions) throw badInput(op, 'filter_conditions is a required field');
    const query = typeof payload.query === 'string' ? payload.query.toLowerCase() : undefined;
    const messageFilter = payload.message_filter_conditions as Json | undefined;
    if (query === undefined && !messageFilter)
      throw badInput(op, 'query or message_filter_conditions is required');
    const cids = new Set(
      store
        .listChannels()
        .filter((ch) => {
          const members = store.members(ch.cid).map((m) => m.user_id);
          if (!ctx.can(actor, 'ReadChannel', ch)) return false;
          return matches(
            { ...ch.custom, cid: ch.cid, id: ch.id, type: ch.type, members },
            payload.filter_conditions,
            op,
          );
        })
        .map((ch) => ch.cid),
    );
    const hits = store
      .allMessages()
      .filter((m) => cids.has(m.cid) && m.type !== 'deleted')
      .filter((m) => (query === undefined ? true : m.text.toLowerCase().includes(query)))
      .filter((m) =>
        messageFilter
          ? matches(
              {
                ...m.custom,
                id: m.id,
                text: m.text,
                type: m.type,
                user_id: m.user_id,
                parent_id: m.parent_id,
                created_at: m.created_at,
              },
              messageFilter,
              op,
            )
          : true,
      )
      .reverse();
    const offset = Number(payload.offset ?? 0);
    const page = hits.slice(offset, offset + Math.min(Number(payload.limit ?? 20), 100));
    return c.json({
      results: page.map((m) => ({
        message: {
          ...shapes.message(m, actor.userId ?? undefined),
          channel: shapes.channel(store.getChannel(m.cid)!, actor.userId ?? undefined),
        },
      })),
    });
  });

  // Read-only dump of everything stored and received; answered only to loopback clients.
  app.get('/__inspect', (c) => {
    const remote =
      (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket
        ?.remoteAddress ?? '';
    if (!['127.0.0.1', '::1', '::ffff:127.0.0.1'].includes(remote))
      throw notAllowed('Inspect', 'inspection is only served to loopback clients');
    return c.json(store.inspect());
  });
}

function announceUserUpdated(ctx: Ctx, userId: string): void {
  const user = ctx.shapes.user(userId);
  const event = { type: 'user.updated', user, created_at: ctx.store.now() };
  ctx.hub.toUser(userId, event);
  ctx.hub.toPresenceSubscribers(userId, event);
}
