/** Serialisers from stored records to the real service's response shapes (custom fields flattened). */
import { channelConfig, channelType } from './channel-types.js';
import { ownCapabilities } from './permissions.js';
import type {
  ChannelRecord,
  MemberRecord,
  MessageRecord,
  ReactionRecord,
  StreamStore,
  UserRecord,
} from './store.js';

export { MAX_MESSAGE_LENGTH } from './channel-types.js';
/** Stream documents a 5 KB limit for custom data on messages, users and channels. */
export const MAX_CUSTOM_BYTES = 5 * 1024;

/** Members created before channel roles followed Stream stored the creator as `owner`; Stream says `channel_member`. */
export function channelRoleOf(m: MemberRecord): string {
  return m.channel_role === 'owner' ? 'channel_member' : m.channel_role;
}

const SIGNED_ATTACHMENT_FIELDS = ['asset_url', 'thumb_url', 'image_url'] as const;

export class Shapes {
  constructor(
    private readonly store: StreamStore,
    private readonly isOnline: (userId: string) => boolean,
    private readonly resign: (url: string) => string,
  ) {}

  /** Stream also re-signs its links in a user's or channel's `image`. */
  #withImage(custom: Record<string, unknown>): Record<string, unknown> {
    return typeof custom.image === 'string' ? { ...custom, image: this.resign(custom.image) } : custom;
  }

  /** Attachments with their stand-in links re-signed, as Stream does for `asset_url`, `thumb_url` and `image_url`. */
  attachments(list: unknown[]): unknown[] {
    return list.map((a) => {
      if (!a || typeof a !== 'object') return a;
      const out: Record<string, unknown> = { ...(a as Record<string, unknown>) };
      for (const key of SIGNED_ATTACHMENT_FIELDS) {
        if (typeof out[key] === 'string') out[key] = this.resign(out[key]);
      }
      return out;
    });
  }

  user(id: string): Record<string, unknown> {
    const u = this.store.getUser(id) ?? placeholderUser(id);
    return this.userFrom(u);
  }

  userFrom(u: UserRecord): Record<string, unknown> {
    const online = this.isOnline(u.id);
    return {
      ...this.#withImage(u.custom),
      id: u.id,
      role: u.role,
      language: '',
      teams: [],
      created_at: u.created_at,
      updated_at: u.updated_at,
      banned: false,
      online,
      ...(u.last_active ? { last_active: u.last_active } : {}),
      blocked_user_ids: [],
    };
  }

  /** `me` in health.check: UserResponse plus unread totals and the arrays the client requires. */
  ownUser(id: string): Record<string, unknown> {
    const { blocked_user_ids: _blocked, ...user } = this.user(id);
    return {
      ...user,
      push_preferences: { chat_level: 'all', call_level: 'all', feeds_level: 'all' },
      privacy_settings: {
        typing_indicators: { enabled: true },
        read_receipts: { enabled: true },
        delivery_receipts: { enabled: true },
      },
      devices: [],
      invisible: false,
      mutes: [],
      channel_mutes: [],
      blocked_user_ids: [],
      ...this.unreadTotals(id),
      unread_threads: 0,
    };
  }

  unreadTotals(userId: string): {
    unread_count: number;
    total_unread_count: number;
    unread_channels: number;
  } {
    let total = 0;
    let channels = 0;
    for (const m of this.store.membershipsOf(userId)) {
      total += m.unread_messages;
      if (m.unread_messages > 0) channels += 1;
    }
    return { unread_count: total, total_unread_count: total, unread_channels: channels };
  }

  /** ChannelMemberResponse: the creator's legacy `role` is `owner`, its `channel_role` stays `channel_member`. */
  member(m: MemberRecord): Record<string, unknown> {
    const channelRole = channelRoleOf(m);
    const isCreator = m.channel_role === 'owner' || this.store.getChannel(m.cid)?.created_by_id === m.user_id;
    const legacyRole = isCreator ? 'owner' : channelRole === 'channel_moderator' ? 'moderator' : 'member';
    return {
      user_id: m.user_id,
      user: this.user(m.user_id),
      created_at: m.created_at,
      updated_at: m.updated_at,
      banned: false,
      shadow_banned: false,
      role: legacyRole,
      channel_role: channelRole,
      notifications_muted: false,
      status: 'member',
      is_moderator: channelRole === 'channel_moderator',
      invited: false,
    };
  }

  read(m: MemberRecord): Record<string, unknown> {
    return {
      user: this.user(m.user_id),
      last_read: m.last_read,
      unread_messages: m.unread_messages,
      ...(m.last_read_message_id ? { last_read_message_id: m.last_read_message_id } : {}),
      ...(m.last_delivered_at
        ? { last_delivered_at: m.last_delivered_at, last_delivered_message_id: m.last_delivered_message_id }
        : {}),
    };
  }

  channel(c: ChannelRecord, viewerId?: string): Record<string, unknown> {
    const members = this.store.members(c.cid);
    const viewer = viewerId ? members.find((m) => m.user_id === viewerId) : undefined;
    const type = channelType(this.store, c.type, 'GetOrCreateChannel');
    return {
      ...this.#withImage(c.custom),
      id: c.id,
      type: c.type,
      cid: c.cid,
      created_at: c.created_at,
      updated_at: c.updated_at,
      ...(c.last_message_at ? { last_message_at: c.last_message_at } : {}),
      created_by: c.created_by_id ? this.user(c.created_by_id) : null,
      frozen: false,
      disabled: false,
      blocked: false,
      message_count: this.store.channelMessageCount(c.cid),
      member_count: members.length,
      config: channelConfig(type),
      own_capabilities: viewerId
        ? ownCapabilities(
            type.grants,
            type.settings,
            rolesOf(this.store, viewerId, viewer),
            c.created_by_id === viewerId,
          )
        : [],
      ...(viewer ? { hidden: viewer.hidden } : {}),
    };
  }

  reaction(r: ReactionRecord): Record<string, unknown> {
    return {
      ...r.custom,
      message_id: r.message_id,
      user_id: r.user_id,
      user: this.user(r.user_id),
      type: r.type,
      score: r.score,
      created_at: r.created_at,
      updated_at: r.updated_at,
    };
  }

  /** MessageResponse; `viewerId` decides `own_reactions` (broadcasts send none, as the real service does). */
  message(m: MessageRecord, viewerId?: string, withQuoted = true): Record<string, unknown> {
    const reactions = this.store.reactions(m.id);
    const counts: Record<string, number> = {};
    const scores: Record<string, number> = {};
    const groups: Record<string, Record<string, unknown>> = {};
    for (const r of [...reactions].reverse()) {
      counts[r.type] = (counts[r.type] ?? 0) + 1;
      scores[r.type] = (scores[r.type] ?? 0) + r.score;
      const g = (groups[r.type] ??= { count: 0, sum_scores: 0, first_reaction_at: r.created_at });
      g.count = (g.count as number) + 1;
      g.sum_scores = (g.sum_scores as number) + r.score;
      g.last_reaction_at = r.created_at;
    }
    const quoted = m.quoted_message_id && withQuoted ? this.store.getMessage(m.quoted_message_id) : undefined;
    const deleted = m.type === 'deleted';
    return {
      ...(deleted ? {} : m.custom),
      id: m.id,
      text: deleted ? '' : m.text,
      html: deleted || !m.text ? '' : `<p>${escapeHtml(m.text)}</p>\n`,
      type: m.type,
      user: this.user(m.user_id),
      member: {
        channel_role: channelRoleOfMaybe(this.store.member(m.cid, m.user_id)),
        notifications_muted: false,
      },
      attachments: deleted ? [] : this.attachments(m.attachments),
      latest_reactions: reactions.slice(0, 10).map((r) => this.reaction(r)),
      own_reactions: viewerId
        ? reactions.filter((r) => r.user_id === viewerId).map((r) => this.reaction(r))
        : [],
      reaction_counts: counts,
      reaction_scores: scores,
      reaction_groups: Object.keys(groups).length ? groups : null,
      reply_count: m.reply_count,
      deleted_reply_count: m.deleted_reply_count,
      cid: m.cid,
      created_at: m.created_at,
      updated_at: m.updated_at,
      ...(m.message_text_updated_at ? { message_text_updated_at: m.message_text_updated_at } : {}),
      ...(m.deleted_at ? { deleted_at: m.deleted_at } : {}),
      shadowed: false,
      mentioned_users: m.mentioned_users.map((id) => this.user(id)),
      mentioned_channel: false,
      mentioned_here: false,
      silent: m.silent,
      pinned: m.pinned,
      pinned_at: m.pinned_at,
      pinned_by: m.pinned_by_id ? this.user(m.pinned_by_id) : null,
      pin_expires: m.pin_expires,
      restricted_visibility: [],
      ...(m.parent_id ? { parent_id: m.parent_id, show_in_channel: m.show_in_channel ?? false } : {}),
      ...(m.thread_participants.length
        ? { thread_participants: m.thread_participants.map((id) => this.user(id)) }
        : {}),
      ...(m.quoted_message_id ? { quoted_message_id: m.quoted_message_id } : {}),
      ...(quoted ? { quoted_message: this.message(quoted, viewerId, false) } : {}),
    };
  }
}

/** The roles grants are checked for: the user's role, then the channel role when a member. */
export function rolesOf(store: StreamStore, userId: string, member: MemberRecord | undefined): string[] {
  const userRole = store.getUser(userId)?.role ?? 'user';
  return member ? [userRole, channelRoleOf(member)] : [userRole];
}

const channelRoleOfMaybe = (m: MemberRecord | undefined) => (m ? channelRoleOf(m) : 'channel_member');

export function placeholderUser(id: string): UserRecord {
  const at = new Date(0).toISOString();
  return { id, role: 'user', created_at: at, updated_at: at, custom: {} };
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Byte size of custom data as JSON, for the 5 KB limit. */
export function customSize(custom: Record<string, unknown>): number {
  return Object.keys(custom).length ? Buffer.byteLength(JSON.stringify(custom)) : 0;
}
