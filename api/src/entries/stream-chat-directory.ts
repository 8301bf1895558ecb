/**
 * @module
 * `ChannelDirectory` on the real `stream-chat` server client (`new StreamChat(key, secret, { baseURL })`). Its
 * server-side signing uses jsonwebtoken, so only the Node entry wires this adapter; Workers use
 * `StreamRestDirectory`, which speaks the same REST calls.
 */
import { StreamChat } from 'stream-chat';
import type { ChannelDirectory, DistinctChannel, DistinctChannelRequest } from '../channels/directory.js';

export class StreamChatDirectory implements ChannelDirectory {
  readonly #client: StreamChat;

  constructor(opts: { apiKey: string; apiSecret: string; baseURL: string; timeoutMs?: number }) {
    this.#client = new StreamChat(opts.apiKey, opts.apiSecret, {
      baseURL: opts.baseURL,
      timeout: opts.timeoutMs ?? 10_000,
    });
  }

  async ensureDistinctChannel({ createdBy, members }: DistinctChannelRequest): Promise<DistinctChannel> {
    await this.#client.upsertUsers(members.map((id) => ({ id })));
    const channel = this.#client.channel('messaging', { members: [...members], created_by_id: createdBy });
    const response = await channel.create();
    const ids = response.members
      .map((member) => member.user_id ?? member.user?.id)
      .filter((id): id is string => typeof id === 'string');
    return { cid: response.channel.cid, members: ids };
  }
}
