import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Attachment, StreamChat } from 'stream-chat';
import { nextEvent, startHarness, type Harness } from './helpers.js';

/** In Node, stream-chat uploads Buffers through form-data; its types only name the browser kinds. */
const nodeUpload = (bytes: Buffer) => bytes as unknown as File;

/** The expiry a link's CloudFront-style policy carries (epoch seconds). */
function expiryOf(link: string): number {
  const policy = new URL(link).searchParams.get('Policy')!;
  const json = Buffer.from(
    policy.replace(/-/g, '+').replace(/_/g, '=').replace(/~/g, '/'),
    'base64',
  ).toString();
  const statement = (
    JSON.parse(json) as {
      Statement: Array<{ Resource: string; Condition: { DateLessThan: { 'AWS:EpochTime': number } } }>;
    }
  ).Statement[0]!;
  expect(link.startsWith(statement.Resource.replace(/\*$/, ''))).toBe(true);
  return statement.Condition.DateLessThan['AWS:EpochTime'];
}

const status = async (link: string) => (await fetch(link)).status;

/** Links carry whole epoch seconds: a 2 s lifetime is valid for at least 1 s and over 2.1 s after signing. */
const SHORT_TTL = 2;
const letLinksExpire = () => new Promise((resolve) => setTimeout(resolve, 2100));

describe('CDN links: signed, expiring, re-signed whenever a message is returned', () => {
  let h: Harness;
  let alice: StreamChat, bob: StreamChat;
  beforeAll(async () => {
    h = await startHarness(['alice', 'bob']);
    await h.server
      .channel('messaging', 'cdn', { members: ['alice', 'bob'], created_by_id: 'alice' })
      .create();
    [alice, bob] = await Promise.all([h.connect('alice'), h.connect('bob')]);
  });
  afterAll(() => h.stop());

  it('signs links for 14 days by default, with Key-Pair-Id, Policy and Signature like Stream CDN links', async () => {
    const { file } = await alice
      .channel('messaging', 'cdn')
      .sendFile(nodeUpload(Buffer.from('sealed')), 'blob.bin', 'application/octet-stream');
    const params = new URL(file!).searchParams;
    expect([...params.keys()]).toEqual(['Key-Pair-Id', 'Policy', 'Signature']);
    expect(expiryOf(file!) - Date.now() / 1000).toBeGreaterThan(1_209_600 - 60);
    const tampered = file!.replace(/Signature=[^&]+/, 'Signature=AAAA');
    expect(await status(tampered)).toBe(403);
    const res = await fetch(tampered);
    expect(await res.text()).toContain('<Code>AccessDenied</Code>');
    // CORS like a CDN host: any origin may GET, no credentials; preflights succeed.
    const preflight = await fetch(file!, {
      method: 'OPTIONS',
      headers: { origin: 'https://portal.example', 'access-control-request-method': 'GET' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('expires links after the configured lifetime (403), and re-signs attachments on query, watch, get, replies, search and events', async () => {
    h.cloud.configure({ urlTtlSeconds: SHORT_TTL });
    const ch = alice.channel('messaging', 'cdn');
    const { file } = await ch.sendFile(nodeUpload(Buffer.from('long message')), 'm.bin');
    const { file: image } = await ch.sendImage(nodeUpload(Buffer.from([0x89, 0x50])), 'i.png', 'image/png');
    const attachments: Attachment[] = [
      { type: 'file', asset_url: file! },
      { type: 'image', image_url: image!, thumb_url: image! },
    ];
    const { message } = await ch.sendMessage({ text: '[encrypted]', attachments });
    const { message: reply } = await ch.sendMessage({
      text: '[encrypted]',
      parent_id: message.id,
      attachments,
    });
    await h.server.upsertUsers([{ id: 'bob', role: 'user', image: image! }]);
    expect(await status(file!)).toBe(200);
    await letLinksExpire();
    expect(await status(file!)).toBe(403);
    expect(await status(image!)).toBe(403);
    h.cloud.configure({ urlTtlSeconds: 3600 });

    const fresh = async (list: Attachment[] | undefined, where: string) => {
      const links = (list ?? []).flatMap((a) => [a.asset_url, a.image_url, a.thumb_url]).filter(Boolean);
      expect(links, where).toHaveLength(3);
      for (const link of links) {
        expect(link, where).not.toBe(file);
        expect(await status(link!), where).toBe(200);
      }
    };
    const queried = await ch.query({ messages: { limit: 10 } });
    await fresh(queried.messages.find((m) => m.id === message.id)?.attachments, 'query');
    const watched = await bob.channel('messaging', 'cdn').watch();
    await fresh(watched.messages.find((m) => m.id === message.id)?.attachments, 'watch');
    await fresh((await alice.getMessage(message.id)).message.attachments, 'get message');
    await fresh(
      (await ch.getReplies(message.id, {})).messages.find((m) => m.id === reply.id)?.attachments,
      'replies',
    );
    const found = await alice.search({ cid: 'messaging:cdn' }, { text: { $eq: '[encrypted]' } });
    await fresh(found.results.find((r) => r.message.id === message.id)?.message.attachments, 'search');
    const [queriedChannel] = await alice.queryChannels({ cid: 'messaging:cdn' }, {}, { watch: true });
    await fresh(
      queriedChannel?.state.messages.find((m) => m.id === message.id)?.attachments,
      'queryChannels',
    );
    const { users } = await alice.queryUsers({ id: 'bob' });
    expect(await status(users[0]!.image as string), 'user image').toBe(200);
    // WebSocket events carry re-signed links too (here: a reaction on the old message).
    const event = nextEvent(alice, 'reaction.new');
    await bob.channel('messaging', 'cdn').sendReaction(message.id, { type: 'like' });
    await fresh((await event).message?.attachments, 'reaction.new event');
  });

  it('keeps serving stored uploads after a restart', async () => {
    const { file } = await alice
      .channel('messaging', 'cdn')
      .sendFile(nodeUpload(Buffer.from('kept')), 'k.bin');
    await h.restart();
    // fetch's pooled keep-alive socket died with the old process: retry once, as any HTTP client would.
    const res = await fetch(file!).catch(() => fetch(file!));
    expect(await res.text()).toBe('kept');
  });
});
