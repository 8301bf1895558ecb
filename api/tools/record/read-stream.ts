/**
 * @module
 * Reads a conversation's ciphertexts through Stream's server API (the `stream-chat` server client, as
 * `npm run stream:setup` uses it): every top-level message, page by page, and every thread reply. Stream holds only
 * ciphertext, placeholders and metadata; nothing here is trusted until the organization key opens and verifies it.
 */
import type { MessageResponse, StreamChat } from 'stream-chat';
import { splitCid } from '../../../widget/src/adapters/stream-wire.js';

const PAGE = 100;

export interface StoredConversation {
  readonly cid: string;
  /** Member ids Stream reports (metadata: who the export names as recipients). */
  readonly members: readonly string[];
  /** Top-level messages and thread replies, as Stream returned them. */
  readonly messages: readonly MessageResponse[];
}

/** The cids of the conversations `userId` is a member of. */
export async function conversationsOf(client: StreamChat, userId: string): Promise<string[]> {
  const cids: string[] = [];
  for (let offset = 0; ; offset += 30) {
    const page = await client.queryChannels(
      { members: { $in: [userId] } },
      { created_at: 1 },
      { limit: 30, offset, message_limit: 0, user_id: userId },
    );
    cids.push(...page.map((c) => c.cid));
    if (page.length < 30) return cids;
  }
}

export async function readConversation(client: StreamChat, cid: string): Promise<StoredConversation> {
  const [type, id] = splitCid(cid);
  const channel = client.channel(type, id);
  const top: MessageResponse[] = [];
  let before: string | undefined;
  let members: string[] = [];
  for (;;) {
    const state = await channel.query({ messages: { limit: PAGE, ...(before ? { id_lt: before } : {}) } });
    members = (state.members ?? []).flatMap((m) => (m.user_id ? [m.user_id] : m.user?.id ? [m.user.id] : []));
    const page = state.messages ?? [];
    top.unshift(...page);
    if (page.length < PAGE || !page[0]) break;
    before = page[0].id;
  }
  const replies: MessageResponse[] = [];
  for (const parent of top.filter((m) => (m.reply_count ?? 0) > 0)) {
    let older: string | undefined;
    for (;;) {
      const { messages } = await channel.getReplies(parent.id, {
        limit: PAGE,
        ...(older ? { id_lt: older } : {}),
      });
      replies.unshift(...messages);
      if (messages.length < PAGE || !messages[0]) break;
      older = messages[0].id;
    }
  }
  const seen = new Set<string>();
  const messages = [...top, ...replies].filter((m) => !seen.has(m.id) && seen.add(m.id));
  return { cid, members, messages };
}
