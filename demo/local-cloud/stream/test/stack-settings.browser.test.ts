import { expect } from '@open-wc/testing';
import type * as StreamChatModule from 'stream-chat';

// The real client, bundled for the browser by the stand-in's wtr plugin.
const { StreamChat } = (await import(
  /* @vite-ignore */ '/__stream/stream-chat.js' as string
)) as typeof StreamChatModule;

interface StackConfig {
  apiUrl: string;
  streamUrl: string;
  streamCdnUrl: string;
  streamApiKey: string;
}
const stack = (await (await fetch('/__stack/config')).json()) as StackConfig;

const settings = (body: unknown) =>
  fetch('/__stack/stream-settings', { method: 'POST', body: JSON.stringify(body) });

/** Signs in through the token API like the widget, opens the conversation with a peer, connects stream-chat. */
async function signIn(name: string, peer: string) {
  const sub = `${name}-${Math.random().toString(36).slice(2, 8)}`;
  const portal = await (await fetch(`/__stack/session-token?sub=${sub}&name=${name}&peers=${peer}`)).text();
  const headers = { authorization: `Bearer ${portal}`, 'content-type': 'application/json' };
  const session = await (await fetch(`${stack.apiUrl}/v1/session`, { method: 'POST', headers })).json();
  const { cid } = await (
    await fetch(`${stack.apiUrl}/v1/channels`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ peers: [peer] }),
    })
  ).json();
  const client = new StreamChat(stack.streamApiKey, { baseURL: stack.streamUrl });
  await client.connectUser({ id: session.user.id }, session.stream.token);
  const [type, id] = (cid as string).split(':');
  return { client, channel: client.channel(type!, id!) };
}

describe('whole-stack Stream settings for widget tests (/__stack/stream-settings)', () => {
  afterEach(() => settings({ rateLimits: {}, urlTtlSeconds: 1_209_600 }));

  it('a tiny sendMessage limit makes a send answer 429 code 9, and the same send succeeds after the reset', async () => {
    const { client, channel } = await signIn('rl', 'rl-peer');
    await channel.watch();
    await settings({ rateLimits: { SendMessage: { userLimit: 1, windowSeconds: 2 } } });
    await channel.sendMessage({ text: '[encrypted] 1' });
    const refused = await channel.sendMessage({ text: '[encrypted] 2' }).then(
      () => undefined,
      (err: { code?: number; status?: number }) => err,
    );
    expect(refused).to.include({ code: 9, status: 429 });
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const { message } = await channel.sendMessage({ text: '[encrypted] 2' });
    expect(message.text).to.equal('[encrypted] 2');
    const { messages } = await channel.query({ messages: { limit: 10 } });
    expect(messages.map((m) => m.text)).to.deep.equal(['[encrypted] 1', '[encrypted] 2']);
    await client.disconnectUser();
  });

  it('a short link lifetime makes CDN links expire; the stack exposes the CDN origin', async () => {
    const { client, channel } = await signIn('cdn', 'cdn-peer');
    await channel.watch();
    await settings({ urlTtlSeconds: 2 });
    const { file } = await channel.sendFile(new File(['bytes'], 'b.bin'), 'b.bin');
    expect(new URL(file!).origin).to.equal(stack.streamCdnUrl);
    expect((await fetch(file!)).status).to.equal(200);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    expect((await fetch(file!)).status).to.equal(403);
    await client.disconnectUser();
  });
});
