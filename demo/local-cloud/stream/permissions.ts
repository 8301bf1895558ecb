/**
 * Stream's permission model (v2) as data: channel-type grants map a role to permission ids, each id names an action
 * and optionally a condition (`-owner`: the caller owns the resource; `-any-team`: any team). A user-side call is
 * allowed when any of the caller's roles (the user's role, plus the channel role when a member) holds a matching id.
 */

/** Actions the stand-in checks or reports as capabilities; the permission id is the kebab-case name. */
export const ACTIONS = [
  'AddLinks',
  'AddOwnChannelMembership',
  'BanChannelMember',
  'BanUser',
  'CastVote',
  'CreateAttachment',
  'CreateCall',
  'CreateChannel',
  'CreateDistinctChannelForOthers',
  'CreateMention',
  'CreateMessage',
  'CreateReaction',
  'CreateReply',
  'CreateRestrictedVisibilityMessage',
  'CreateSystemMessage',
  'DeleteAttachment',
  'DeleteChannel',
  'DeleteMessage',
  'DeleteReaction',
  'FlagMessage',
  'JoinCall',
  'MuteChannel',
  'PinMessage',
  'QueryVotes',
  'ReadChannel',
  'ReadChannelMembers',
  'ReadMessageFlags',
  'RecreateChannel',
  'RemoveOwnChannelMembership',
  'RunMessageAction',
  'SendCustomEvent',
  'SendPoll',
  'ShareLocation',
  'SkipChannelCooldown',
  'SkipMessageModeration',
  'TruncateChannel',
  'UnblockMessage',
  'UpdateChannel',
  'UpdateChannelCooldown',
  'UpdateChannelFrozen',
  'UpdateChannelMembers',
  'UpdateMessage',
  'UpdateThread',
  'UploadAttachment',
  'UseFrozenChannel',
] as const;
export type Action = (typeof ACTIONS)[number];
export type Grants = Record<string, string[]>;

export const permissionId = (action: Action): string =>
  action.replace(/[A-Z]/g, (c, i: number) => (i ? '-' : '') + c.toLowerCase());

const KNOWN_IDS = new Set(ACTIONS.map(permissionId));
const CONDITIONS = ['', '-owner', '-any-team', '-owner-any-team'];

/** True when `id` is a permission id Stream defines (an action plus an optional condition). */
export function isKnownPermission(id: string): boolean {
  return CONDITIONS.some(
    (suffix) => id.endsWith(suffix) && KNOWN_IDS.has(id.slice(0, id.length - suffix.length)),
  );
}

/** Is `action` granted to any of `roles`? `owner`: the caller owns the resource the action targets. */
export function isGranted(grants: Grants, action: Action, roles: readonly string[], owner: boolean): boolean {
  const id = permissionId(action);
  const accepted = owner
    ? [id, `${id}-any-team`, `${id}-owner`, `${id}-owner-any-team`]
    : [id, `${id}-any-team`];
  return roles.some((role) => (grants[role] ?? []).some((granted) => accepted.includes(granted)));
}

/**
 * Grants of the `messaging` type on a new Stream app. Sources (see README): the `own_capabilities` of a channel owner
 * in Stream's real-service fixtures, and the default grants published in public integrations that copied them from a
 * new app's `GET /channeltypes/messaging` (channel_member, user, moderator, admin, guest).
 */
export const DEFAULT_MESSAGING_GRANTS: Grants = {
  admin: [
    'add-links',
    'ban-channel-member',
    'ban-user',
    'cast-vote',
    'create-attachment',
    'create-call',
    'create-channel',
    'create-mention',
    'create-message',
    'create-reaction',
    'create-reply',
    'create-restricted-visibility-message',
    'create-system-message',
    'delete-attachment',
    'delete-channel',
    'delete-message',
    'delete-reaction',
    'flag-message',
    'join-call',
    'mute-channel',
    'pin-message',
    'query-votes',
    'read-channel',
    'read-channel-members',
    'read-message-flags',
    'recreate-channel',
    'remove-own-channel-membership',
    'run-message-action',
    'send-custom-event',
    'send-poll',
    'skip-channel-cooldown',
    'skip-message-moderation',
    'truncate-channel',
    'unblock-message',
    'update-channel',
    'update-channel-cooldown',
    'update-channel-frozen',
    'update-channel-members',
    'update-message',
    'update-thread',
    'upload-attachment',
  ],
  anonymous: [],
  channel_member: [
    'add-links',
    'cast-vote',
    'create-attachment',
    'create-call',
    'create-mention',
    'create-message',
    'create-reaction',
    'create-reply',
    'flag-message',
    'join-call',
    'mute-channel',
    'pin-message',
    'query-votes',
    'read-channel',
    'read-channel-members',
    'remove-own-channel-membership',
    'run-message-action',
    'send-custom-event',
    'send-poll',
    'upload-attachment',
  ],
  channel_moderator: [
    'add-links',
    'ban-channel-member',
    'ban-user',
    'cast-vote',
    'create-attachment',
    'create-call',
    'create-channel',
    'create-mention',
    'create-message',
    'create-reaction',
    'create-reply',
    'create-restricted-visibility-message',
    'create-system-message',
    'delete-attachment',
    'delete-channel-owner',
    'delete-message',
    'delete-reaction',
    'flag-message',
    'join-call',
    'mute-channel',
    'pin-message',
    'query-votes',
    'read-channel',
    'read-channel-members',
    'read-message-flags',
    'recreate-channel-owner',
    'remove-own-channel-membership',
    'run-message-action',
    'send-custom-event',
    'send-poll',
    'skip-channel-cooldown',
    'skip-message-moderation',
    'truncate-channel-owner',
    'unblock-message',
    'update-channel',
    'update-channel-cooldown',
    'update-channel-frozen',
    'update-channel-members',
    'update-message',
    'update-thread',
    'upload-attachment',
  ],
  guest: ownerGrants(),
  user: [...ownerGrants(), 'send-poll'].sort(),
};

/** The `user` and `guest` grants: everything on channels they created or messages they wrote, plus create-channel. */
function ownerGrants(): string[] {
  return [
    'add-links-owner',
    'cast-vote',
    'create-attachment-owner',
    'create-channel',
    'create-mention-owner',
    'create-message-owner',
    'create-reaction-owner',
    'create-reply-owner',
    'delete-attachment-owner',
    'delete-channel-owner',
    'delete-message-owner',
    'delete-reaction-owner',
    'flag-message-owner',
    'mute-channel-owner',
    'pin-message-owner',
    'query-votes',
    'read-channel-members-owner',
    'read-channel-owner',
    'recreate-channel-owner',
    'remove-own-channel-membership-owner',
    'run-message-action-owner',
    'send-custom-event-owner',
    'share-location-any-team',
    'truncate-channel-owner',
    'update-channel-members-owner',
    'update-channel-owner',
    'update-message-owner',
    'update-thread-owner',
    'upload-attachment-owner',
  ];
}

/** Channel-type feature switches that gate capabilities. */
export interface FeatureFlags {
  connect_events: boolean;
  custom_events: boolean;
  delivery_events: boolean;
  mutes: boolean;
  polls: boolean;
  quotes: boolean;
  reactions: boolean;
  read_events: boolean;
  replies: boolean;
  search: boolean;
  shared_locations: boolean;
  typing_events: boolean;
  uploads: boolean;
}

/**
 * `own_capabilities` of a channel for one viewer, derived from the grants and the type's switches, named as the real
 * service names them. `ownsChannel`: the viewer created the channel (`*-owner` grants on channel actions apply).
 */
export function ownCapabilities(
  grants: Grants,
  flags: FeatureFlags,
  roles: readonly string[],
  ownsChannel: boolean,
): string[] {
  const can = (action: Action, owner = ownsChannel) => isGranted(grants, action, roles, owner);
  const readable = can('ReadChannel');
  const table: Array<[string, boolean]> = [
    ['ban-channel-member', can('BanChannelMember')],
    ['cast-poll-vote', flags.polls && can('CastVote')],
    ['connect-events', flags.connect_events && readable],
    ['create-attachment', can('CreateAttachment')],
    ['create-mention', can('CreateMention')],
    ['delete-any-message', can('DeleteMessage', false)],
    ['delete-channel', can('DeleteChannel')],
    ['delete-own-message', can('DeleteMessage', true)],
    ['delivery-events', flags.delivery_events && readable],
    ['flag-message', can('FlagMessage')],
    ['freeze-channel', can('UpdateChannelFrozen')],
    ['join-channel', can('AddOwnChannelMembership') || can('UpdateChannelMembers')],
    ['leave-channel', can('RemoveOwnChannelMembership')],
    ['mute-channel', flags.mutes && can('MuteChannel')],
    ['pin-message', can('PinMessage')],
    ['query-poll-votes', flags.polls && can('QueryVotes')],
    ['quote-message', flags.quotes && can('CreateMessage')],
    ['read-events', flags.read_events && readable],
    ['search-messages', flags.search && readable],
    ['send-custom-events', flags.custom_events && can('SendCustomEvent')],
    ['send-links', can('AddLinks')],
    ['send-message', can('CreateMessage')],
    ['send-poll', flags.polls && can('SendPoll')],
    ['send-reaction', flags.reactions && can('CreateReaction')],
    ['send-reply', flags.replies && can('CreateReply')],
    ['send-typing-events', flags.typing_events && readable],
    ['set-channel-cooldown', can('UpdateChannelCooldown')],
    ['share-location', flags.shared_locations && can('ShareLocation')],
    ['skip-slow-mode', can('SkipChannelCooldown')],
    ['typing-events', flags.typing_events && readable],
    ['update-any-message', can('UpdateMessage', false)],
    ['update-channel', can('UpdateChannel')],
    ['update-channel-members', can('UpdateChannelMembers')],
    ['update-own-message', can('UpdateMessage', true)],
    ['update-thread', can('UpdateThread')],
    ['upload-file', flags.uploads && can('UploadAttachment')],
  ];
  return table.filter(([, allowed]) => allowed).map(([name]) => name);
}
