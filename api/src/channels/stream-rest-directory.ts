/**
 * @module
 * `ChannelDirectory` over plain `fetch`, for runtimes where stream-chat's server client cannot sign (it needs
 * jsonwebtoken, i.e. Node). It calls the same REST endpoints the server client calls — `POST /users` (upsert, a map
 * keyed by id) and `POST /channels/messaging/query` (get-or-create a distinct channel) — with a `{ server: true }`
 * HS256 token from `hono/jwt`.
 */
import type { StreamTokenSigner } from '../tokens/stream-token.js';
import type { ChannelDirectory, DistinctChannel, DistinctChannelRequest } from './directory.js';

export interface StreamRestDirectoryOptions {
  readonly apiKey: string;
  readonly baseURL: string;
  readonly signer: Pick<StreamTokenSigner, 'serverToken'>;
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
}

export class StreamRestDirectory implements ChannelDirectory {
  constructor(private readonly opts: StreamRestDirectoryOptions) {}

  async ensureDistinctChannel({ createdBy, members }: DistinctChannelRequest): Promise<DistinctChannel> {
    const users = Object.fromEntries(members.map((id) => [id, { id }]));
    await this.#post('/users', { users });
    const body = await this.#post('/channels/messaging/query', {
      data: { members, created_by_id: createdBy },
      state: false,
      watch: false,
      presence: false,
    });
    const channel = (body as { channel?: { cid?: unknown } }).channel;
    const memberList = (body as { members?: Array<{ user_id?: unknown; user?: { id?: unknown } }> }).members;
    if (typeof channel?.cid !== 'string' || !Array.isArray(memberList)) {
      throw new Error('Stream answered the channel query without channel.cid or members');
    }
    const ids = memberList
      .map((m) => m.user_id ?? m.user?.id)
      .filter((id): id is string => typeof id === 'string');
    return { cid: channel.cid, members: ids };
  }

  async #post(path: string, body: unknown): Promise<unknown> {
    const url = `${this.opts.baseURL}${path}?api_key=${encodeURIComponent(this.opts.apiKey)}`;
    const response = await (this.opts.fetch ?? fetch)(url, {
      method: 'POST',
      headers: {
        authorization: await this.opts.signer.serverToken(),
        'stream-auth-type': 'jwt',
        'content-type': 'application/json',
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(this.opts.timeoutMs ?? 10_000),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`Stream ${path} answered HTTP ${response.status}`);
    return JSON.parse(text) as unknown;
  }
}
