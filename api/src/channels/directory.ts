/**
 * @module
 * The `ChannelDirectory` port: what `POST /v1/channels` needs from the chat service. Adapters: `StreamChatDirectory`
 * (the real `stream-chat` server client, Node) and `StreamRestDirectory` (`fetch` to the same REST endpoints with
 * a `hono/jwt` server token, any runtime). Both upsert the members by id only and get-or-create the distinct
 * `messaging` channel of the members, with no name and no image, so no PHI reaches the chat service.
 */

export interface DistinctChannelRequest {
  /** The caller's chat user id; becomes `created_by_id`. */
  readonly createdBy: string;
  /** Every member's chat user id, the caller included. */
  readonly members: readonly string[];
}

export interface DistinctChannel {
  /** e.g. `messaging:!members-…` */
  readonly cid: string;
  /** Member chat user ids as the chat service reports them. */
  readonly members: readonly string[];
}

export interface ChannelDirectory {
  ensureDistinctChannel(request: DistinctChannelRequest): Promise<DistinctChannel>;
}
