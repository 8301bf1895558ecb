// The conversation list over the stream-chat client: queryChannels with watch + presence, unread counts from the
// client's read state. Only ids and timestamps leave this module; names and images on Stream objects are ignored.
import type { Channel, Event, MessageResponse, StreamChat } from 'stream-chat';
import type { WireMessage } from '../core/ports.js';
import type { ConversationChange, ConversationSource, ConversationSummary } from '../core/conversations.js';
import { SecureChatError } from '../core/errors.js';

/** Events after which the list re-reads the client's state. */
const REFRESH = new Set([
  'message.new',
  'message.updated',
  'message.deleted',
  'message.read',
  'notification.mark_read',
  'notification.mark_unread',
  'user.presence.changed',
  'channel.truncated',
]);
/** Events about conversations the client may not have loaded yet. */
const REFETCH = new Set([
  'notification.message_new',
  'notification.added_to_channel',
  'notification.removed_from_channel',
  'channel.visible',
  'channel.deleted',
  'notification.channel_deleted',
]);

/** `toWire` is the adapter's message conversion (passed in to keep the modules acyclic). */
export function streamConversations(
  client: StreamChat,
  toWire: (message: MessageResponse, cid: string) => WireMessage,
): ConversationSource {
  const me = () => client.userID ?? '';

  function summary(channel: Channel): ConversationSummary | undefined {
    const cid = channel.cid;
    const members = Object.values(channel.state.members)
      .map((m) => m.user?.id ?? m.user_id)
      .filter((id): id is string => Boolean(id));
    if (!members.includes(me())) return undefined;
    const last = channel.state.latestMessages
      .filter((m) => !m.parent_id || m.show_in_channel)
      .at(-1) as unknown as MessageResponse | undefined;
    const created = channel.data?.created_at ? new Date(channel.data.created_at) : new Date(0);
    const lastAt = channel.state.last_message_at ?? (last?.created_at ? new Date(last.created_at) : created);
    const online = members.filter(
      (id) => id !== me() && (client.state.users[id]?.online ?? channel.state.members[id]?.user?.online),
    );
    return {
      cid,
      members,
      ...(last ? { last: toWire(last, cid) } : {}),
      lastAt,
      unread: channel.countUnread(),
      online,
    };
  }

  const snapshot = () =>
    Object.values(client.activeChannels)
      .map(summary)
      .filter((s): s is ConversationSummary => Boolean(s));

  return {
    async query(limit) {
      try {
        await client.queryChannels(
          { type: 'messaging', members: { $in: [me()] } },
          [{ last_message_at: -1 }],
          { watch: true, presence: true, state: true, limit, message_limit: 25 },
        );
      } catch (cause) {
        throw new SecureChatError('network', 'Could not load your conversations.', {
          cause,
          recoverable: true,
        });
      }
      return snapshot();
    },
    snapshot,
    subscribe(listener) {
      const { unsubscribe } = client.on((event: Event) => {
        const change: ConversationChange = {};
        if (REFETCH.has(event.type)) change.refetch = !(event.cid && client.activeChannels[event.cid]);
        else if (!REFRESH.has(event.type)) return;
        const message = event.message;
        if (
          (event.type === 'message.new' || event.type === 'notification.message_new') &&
          message &&
          event.cid
        ) {
          if (!message.parent_id || message.show_in_channel)
            change.message = { cid: event.cid, from: message.user?.id ?? '' };
        }
        // Let the client apply the event to its state first.
        queueMicrotask(() => listener(change));
      });
      return unsubscribe;
    },
    async markRead(cid) {
      await client.activeChannels[cid]?.markRead();
    },
  };
}
