import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Event, StreamChat } from 'stream-chat';
import { userToken } from '../auth.js';
import { API_KEY, API_SECRET, nextEvent, startHarness, type Harness } from './helpers.js';

type Expectations = { deliberatelyMissing: string[]; kinds: Record<string, Record<string, string>> };
const expectations = JSON.parse(
  readFileSync(new URL('./conformance-expectations.json', import.meta.url), 'utf8'),
) as Expectations;
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** In Node, stream-chat uploads Buffers through form-data; its types only name the browser kinds. */
const nodeUpload = (bytes: Buffer) => bytes as unknown as File;

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function get(obj: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>(
      (o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined),
      obj,
    );
}

describe('uploads and inspection', () => {
  let h: Harness;
  let alice: StreamChat;
  beforeAll(async () => {
    h = await startHarness(['alice', 'bob', 'mallory']);
    await h.server
      .channel('messaging', 'files', { members: ['alice', 'bob'], created_by_id: 'alice' })
      .create();
    alice = await h.connect('alice');
    await alice.channel('messaging', 'files').watch();
  });
  afterAll(() => h.stop());

  it('GET /app answers upload settings', async () => {
    const settings = await alice.getAppSettings();
    expect(settings.app?.file_upload_config).toBeTypeOf('object');
    expect(settings.app?.image_upload_config).toBeTypeOf('object');
  });

  it('stores files and images, served from the CDN origin through signed bearer links', async () => {
    const ch = alice.channel('messaging', 'files');
    const file = await ch.sendFile(
      nodeUpload(Buffer.from('ciphertext-bytes')),
      'blob.bin',
      'application/octet-stream',
    );
    const image = await ch.sendImage(nodeUpload(Buffer.from([0x89, 0x50, 0x4e, 0x47])), 'i.png', 'image/png');
    expect(h.cloud.cdnUrl).not.toBe(h.cloud.url);
    expect(file.file!.startsWith(`${h.cloud.cdnUrl}/local/attachments/`)).toBe(true);
    expect(image.file!.startsWith(`${h.cloud.cdnUrl}/local/images/`)).toBe(true);
    const signed = await fetch(file.file!);
    expect(await signed.text()).toBe('ciphertext-bytes');
    expect(signed.headers.get('access-control-allow-origin')).toBe('*');
    // Bearer links: no Stream auth is involved, and without the signature nobody gets the bytes.
    const unsigned = file.file!.replace(/\?.*/, '');
    expect((await fetch(unsigned, { headers: { authorization: userToken(API_SECRET, 'bob') } })).status).toBe(
      403,
    );
    await ch.deleteFile(file.file!);
    expect((await fetch(file.file!)).status).toBe(403);
  });

  it('exposes everything stored and received, read-only, at GET /__inspect', async () => {
    await alice.channel('messaging', 'files').sendMessage({ text: '[encrypted]', sealed: 'opaque-ct' });
    const dump = (await (await fetch(`${h.cloud.url}/__inspect`)).json()) as ReturnType<
      Harness['cloud']['inspect']
    >;
    expect(dump.messages.some((m) => m.custom.sealed === 'opaque-ct')).toBe(true);
    expect(dump.requests.some((r) => r.body.includes('opaque-ct'))).toBe(true);
    expect(dump.uploads.some((u) => u.name === 'i.png')).toBe(true);
    expect((await fetch(`${h.cloud.url}/__inspect`, { method: 'POST' })).status).toBe(401);
  });
});

describe('conformance with the real service fixtures', () => {
  let h: Harness;
  const captured: Record<string, unknown> = {};
  beforeAll(async () => {
    h = await startHarness(['alice', 'bob', 'carol']);
    const alice = await h.connect('alice');
    const bob = await h.connect('bob');
    captured['ws.health.check'] = {
      connection_id: alice._getConnectionID(),
      cid: '*',
      type: 'health.check',
      created_at: 'x',
      me: alice.user,
    };
    await h.server
      .channel('messaging', 'conf', { members: ['alice', 'bob'], created_by_id: 'alice' })
      .create();
    const state = await alice.channel('messaging', 'conf').watch();
    await bob.channel('messaging', 'conf').watch();
    const newEvent = nextEvent(bob, 'message.new');
    // bob's client reports the delivery by itself (delivery_events is on, as on a new app).
    const deliveredEvent = nextEvent(alice, 'message.delivered', (e) => e.user?.id === 'bob', 6000);
    const sent = await alice.channel('messaging', 'conf').sendMessage({ text: 'hi' });
    captured['ws.message.new'] = await newEvent;
    const reactionEvent = nextEvent(alice, 'reaction.new');
    const reaction = await bob.channel('messaging', 'conf').sendReaction(sent.message.id, { type: 'like' });
    captured['ws.reaction.new'] = await reactionEvent;
    const typing = nextEvent(bob, 'typing.start');
    await alice.channel('messaging', 'conf').keystroke();
    captured['ws.typing'] = await typing;
    const added = nextEvent(alice, 'member.added');
    captured['update.channel'] = await h.server.channel('messaging', 'conf').addMembers(['carol']);
    captured['ws.member.added'] = await added;
    const query = await alice.channel('messaging', 'conf').query({ messages: { limit: 5 } });
    captured['channel.state'] = state;
    captured['channel'] = query.channel;
    captured['member'] = query.members[0];
    captured['read'] = query.read?.[0];
    captured['message'] = (await alice.getMessage(sent.message.id)).message;
    captured['reaction'] = reaction.reaction;
    captured['upload.file'] = await alice
      .channel('messaging', 'conf')
      .sendFile(Buffer.from('x') as unknown as File, 'x.bin', 'application/octet-stream');
    captured['ws.message.delivered'] = await deliveredEvent;
    captured['channels.delivered'] = await h.server.markChannelsDelivered({
      user_id: 'carol',
      latest_delivered_messages: [{ cid: 'messaging:conf', id: sent.message.id }],
    });
    h.cloud.configure({ rateLimits: { GetMessage: { userLimit: 1 } } });
    await alice.getMessage(sent.message.id); // uses the one allowed call of the fresh window
    captured['error.rate_limited'] = await alice.getMessage(sent.message.id).then(
      () => undefined,
      (err: { response?: { data?: unknown } }) => err.response?.data,
    );
    h.cloud.configure({ rateLimits: {} });
    captured['rate_limits'] = await h.server.getRateLimits({ serverSide: true, endpoints: ['SendMessage'] });
    captured['channeltype.get'] = await h.server.getChannelType('messaging');
    captured['channeltype.update'] = await h.server.updateChannelType('messaging', { typing_events: true });
  });
  afterAll(() => h.stop());

  it('lists every deliberately missing field in the README', () => {
    for (const field of expectations.deliberatelyMissing) expect(readme).toContain(`\`${field}\``);
  });

  for (const [kind, fields] of Object.entries(expectations.kinds)) {
    it(`${kind}: every field of the real response is present with the same JSON type`, () => {
      const actual = captured[kind] as Event | undefined;
      expect(actual, kind).toBeTruthy();
      const wrong = Object.entries(fields)
        .filter(([path, type]) => {
          const got = jsonType(get(actual, path));
          // The client parses some timestamps into Date objects; on the wire they are strings.
          return !(got === type || (type === 'string' && get(actual, path) instanceof Date));
        })
        .map(([path, type]) => `${path}: want ${type}, got ${jsonType(get(actual, path))}`);
      expect(wrong).toEqual([]);
    });
  }

  it('uses a known api key', () => expect(API_KEY).toBe('test-key'));
});
