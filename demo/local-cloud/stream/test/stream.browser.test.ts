import { expect } from '@open-wc/testing';
import type * as StreamChatModule from 'stream-chat';
import type { Event, StreamChat as StreamChatClient } from 'stream-chat';

// The real client, bundled for the browser by the wtr plugin.
const { StreamChat } = (await import(
  /* @vite-ignore */ '/__stream/stream-chat.js' as string
)) as typeof StreamChatModule;
type StreamChat = StreamChatClient;

interface Config {
  baseURL: string;
  cdnUrl: string;
  apiKey: string;
}
const config = (await (await fetch('/__stream/config')).json()) as Config;
const token = async (user: string, ttl?: number) =>
  (await fetch(`/__stream/token?user=${user}${ttl === undefined ? '' : `&ttl=${ttl}`}`)).text();

function nextEvent(client: StreamChat, type: string, ms = 8000): Promise<Event> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${type}`)), ms);
    const sub = client.on(type, (e) => {
      clearTimeout(timer);
      sub.unsubscribe();
      resolve(e);
    });
  });
}

describe('stream-chat in the browser against the local Stream stand-in', () => {
  const clients: StreamChat[] = [];
  const connect = async (id: string, provider?: () => Promise<string>) => {
    const client = new StreamChat(config.apiKey, { baseURL: config.baseURL });
    await client.connectUser({ id }, provider ?? (await token(id)));
    clients.push(client);
    return client;
  };
  after(async () => {
    await Promise.all(clients.map((c) => c.disconnectUser()));
  });

  it('lets a user create channels (with others too, as default grants allow), refuses non-members, and shows it in the inspection dump', async () => {
    const alice = await connect('alice');
    const bob = await connect('bob');
    const mallory = await connect('mallory');
    const a = alice.channel('messaging', 'browser-room', { members: ['alice'] });
    await a.watch();
    const withBob = await alice.channel('messaging', { members: ['alice', 'bob'] }).watch();
    expect(withBob.members.map((m) => m.user_id).sort()).to.deep.equal(['alice', 'bob']);
    const refused = await mallory
      .channel('messaging', 'browser-room')
      .watch()
      .then(
        () => undefined,
        (err: { code?: number }) => err.code,
      );
    expect(refused).to.equal(17);
    const dump = (await (await fetch('/__stream/inspect')).json()) as { channels: Array<{ cid: string }> };
    expect(dump.channels.map((c) => c.cid)).to.include('messaging:browser-room');
    expect(bob.userID).to.equal('bob');
  });

  it('refreshes an expired token through the tokenProvider and recovers after a restart', async () => {
    let calls = 0;
    const carol = await connect('carol', async () => token('carol', ++calls === 1 ? -5 : 3600));
    expect(calls).to.equal(2);
    const ch = carol.channel('messaging', 'carol-notes', { members: ['carol'] });
    await ch.watch();
    await ch.sendMessage({ text: '[encrypted]', sealed: 'ct-1' });
    const recovered = nextEvent(carol, 'connection.recovered');
    await fetch('/__stream/restart');
    await recovered;
    await ch.sendMessage({ text: '[encrypted]', sealed: 'ct-2' });
    // Ask the server, not the local state: after a recovery the client re-queries its channels and may
    // swap in a state snapshot taken just before ct-2 arrived.
    const { messages } = await ch.query({ messages: { limit: 10 } });
    expect(messages.map((m) => m.sealed)).to.deep.equal(['ct-1', 'ct-2']);
  });

  it('serves uploads cross-origin from the CDN origin; expired links answer 403 and a query re-signs them', async () => {
    await fetch('/__stream/settings?urlTtlSeconds=2');
    const dana = await connect('dana');
    const ch = dana.channel('messaging', 'dana-files', { members: ['dana'] });
    await ch.watch();
    const { file } = await ch.sendFile(new File(['sealed bytes'], 'blob.bin'), 'blob.bin');
    expect(new URL(file!).origin).to.equal(config.cdnUrl);
    expect(new URL(file!).origin).not.to.equal(location.origin);
    expect(await (await fetch(file!)).text()).to.equal('sealed bytes');
    await ch.sendMessage({ text: '[encrypted]', attachments: [{ type: 'file', asset_url: file! }] });
    await new Promise((resolve) => setTimeout(resolve, 2100));
    expect((await fetch(file!)).status).to.equal(403);
    await fetch('/__stream/settings?urlTtlSeconds=3600');
    const { messages } = await ch.query({ messages: { limit: 1 } });
    const fresh = messages[0]!.attachments![0]!.asset_url!;
    expect(await (await fetch(fresh)).text()).to.equal('sealed bytes');
  });
});
