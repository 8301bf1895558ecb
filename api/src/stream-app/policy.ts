/**
 * @module
 * What "configured safely" means for the Stream app behind secure-chat, in one place: `npm run stream:setup`
 * (`--check` and the changes it makes) and the token API's production check both use it.
 *
 * The widget encrypts every message to the channel's members, so whoever can change membership can read what
 * is sent afterwards. Channels are therefore created and changed only by the token API with the server secret
 * (server-side calls bypass grants); no client role may create channels, change members, or change or delete a
 * channel. Members may read, send, react, upload, edit and delete their own messages, mark read and type.
 * Permission ids and default grants follow Stream's permissions reference (scope `messaging`).
 */

/** The channel type the token API creates conversations in. */
export const SECURE_CHANNEL_TYPE = 'messaging';

/** Roles whose grants are never changed or checked: `admin` is what server-side calls act as. */
const SERVER_ROLES: ReadonlySet<string> = new Set(['admin']);

/** Roles every user holds app-wide, member of a channel or not (Stream's built-in client roles). */
const APP_WIDE_CLIENT_ROLES: ReadonlySet<string> = new Set(['user', 'guest', 'anonymous']);

/** Grants that let a client add or remove members, directly or by creating a channel with others in it. */
const MEMBERSHIP_PERMISSIONS = [
  'create-channel',
  'update-channel-members',
  'update-channel-members-owner',
  'add-own-channel-membership',
  'remove-own-channel-membership',
  'remove-own-channel-membership-owner',
] as const;

/** Grants that let a client change, empty, freeze or delete a channel, or touch other people's messages. */
const CHANNEL_CONTROL_PERMISSIONS = [
  'update-channel',
  'update-channel-owner',
  'delete-channel',
  'delete-channel-owner',
  'recreate-channel',
  'recreate-channel-owner',
  'truncate-channel',
  'truncate-channel-owner',
  'update-channel-frozen',
  'update-channel-cooldown',
  'ban-channel-member',
  'ban-user',
  'update-message',
  'delete-message',
  'delete-attachment',
  'delete-reaction',
  'create-system-message',
] as const;

/**
 * Grants that give access to any channel of the type when held by an app-wide role (`user` holds them for every
 * channel, member or not); members get them through `channel_member` instead.
 */
const MEMBER_ONLY_PERMISSIONS = [
  'read-channel',
  'read-channel-members',
  'create-message',
  'create-attachment',
  'upload-attachment',
  'create-reaction',
  'send-custom-event',
] as const;

/** What members need, and the role that receives it when no member-facing role holds it. */
const MEMBER_NEEDS: ReadonlyArray<{ permission: string; role: 'channel_member' | 'user'; use: string }> = [
  { permission: 'read-channel', role: 'channel_member', use: 'read messages and mark them read' },
  { permission: 'read-channel-members', role: 'channel_member', use: 'see the members it encrypts to' },
  { permission: 'create-message', role: 'channel_member', use: 'send' },
  { permission: 'create-attachment', role: 'channel_member', use: 'send encrypted files' },
  { permission: 'upload-attachment', role: 'channel_member', use: 'upload encrypted files' },
  { permission: 'create-reaction', role: 'channel_member', use: 'react' },
  { permission: 'send-custom-event', role: 'channel_member', use: 'send typing events' },
  { permission: 'update-message-owner', role: 'user', use: 'edit their own messages' },
  { permission: 'delete-message-owner', role: 'user', use: 'delete their own messages' },
  { permission: 'delete-reaction-owner', role: 'user', use: 'remove their own reactions' },
];

/** Channel-type features the widget uses (true) or that must stay off (false). */
export const CHANNEL_TYPE_SETTINGS = {
  read_events: true,
  typing_events: true,
  connect_events: true,
  reactions: true,
  replies: true,
  quotes: true,
  uploads: true,
  // Messages are ciphertext with a fixed placeholder: there is nothing to enrich, and Stream must fetch nothing.
  url_enrichment: false,
} as const satisfies Record<string, boolean>;

export type ChannelTypeSetting = keyof typeof CHANNEL_TYPE_SETTINGS;

/** The only values a push template may insert: opaque ids and counts, never names, text or custom fields. */
const PUSH_TEMPLATE_VALUES: ReadonlySet<string> = new Set([
  'event_type',
  'message.id',
  'channel.type',
  'channel.id',
  'channel.cid',
  'receiver.id',
  'sender.id',
  'unread_count',
]);

/** The one push event secure-chat lets Stream send; `message.updated`, `reaction.new` and others stay off. */
const PUSH_EVENT = 'message.new';

/** PHI-free push payloads: a fixed alert and opaque ids, per provider type. */
const PUSH_TEMPLATES: Readonly<Record<string, string>> = {
  apn: JSON.stringify({
    aps: { alert: { title: 'New secure message', body: 'Open the app to read it.' }, sound: 'default' },
    stream: { id: '{{ message.id }}', cid: '{{ channel.cid }}', receiver_id: '{{ receiver.id }}' },
  }),
  firebase: JSON.stringify({
    notification: { title: 'New secure message', body: 'Open the app to read it.' },
    data: {
      sender: 'stream.chat',
      type: '{{ event_type }}',
      id: '{{ message.id }}',
      cid: '{{ channel.cid }}',
      receiver_id: '{{ receiver.id }}',
    },
  }),
};
const DATA_ONLY_PUSH_TEMPLATE = JSON.stringify({
  data: { type: '{{ event_type }}', id: '{{ message.id }}', cid: '{{ channel.cid }}' },
});

export interface PushProviderRef {
  /** `apn`, `firebase`, `huawei` or `xiaomi`. */
  readonly type: string;
  readonly name: string;
}

export interface PushTemplate {
  readonly event_type: string;
  readonly enable_push: boolean;
  /** Absent: Stream's default template, which names the sender and quotes the text. */
  readonly template?: string;
  readonly push_provider_type: string;
  readonly push_provider_name: string;
}

/** What the policy reads from Stream: app settings, the channel type, and each push provider's templates. */
export interface StreamAppState {
  readonly app: {
    readonly disable_auth_checks?: boolean;
    readonly disable_permissions_checks?: boolean;
    readonly permission_version?: string;
    /** Absent when Stream did not report its push settings. */
    readonly push?: { readonly version?: string; readonly providers: readonly PushProviderRef[] };
  };
  readonly channelType: {
    readonly grants: Readonly<Record<string, readonly string[]>>;
    readonly push_notifications?: boolean;
  } & Partial<Record<ChannelTypeSetting, boolean>>;
  /** Templates of every v3 provider, read only while push is on for the channel type. */
  readonly pushTemplates: readonly PushTemplate[];
}

export interface Problem {
  /** Stable and free of secrets, e.g. `grants.user.create-channel`: safe for logs and `/healthz`. */
  readonly id: string;
  readonly message: string;
  /** Auth off or membership open to clients: the token API issues no tokens while this holds. */
  readonly critical: boolean;
}

/** Every way `state` departs from the policy; empty when the app is configured safely. */
export function findProblems(state: StreamAppState): Problem[] {
  const problems: Problem[] = [];
  const type = SECURE_CHANNEL_TYPE;
  const { app, channelType } = state;
  if (app.disable_auth_checks === true) {
    problems.push({
      id: 'app.disable_auth_checks',
      message: 'app setting disable_auth_checks is on: anyone can connect as any user without a token',
      critical: true,
    });
  }
  if (app.disable_permissions_checks === true) {
    problems.push({
      id: 'app.disable_permissions_checks',
      message:
        'app setting disable_permissions_checks is on: every client may do everything, grants are ignored',
      critical: true,
    });
  }
  if (app.permission_version !== undefined && app.permission_version !== 'v2') {
    problems.push({
      id: 'app.permission_version',
      message: `the app uses permissions ${app.permission_version}: grants apply only with permissions v2`,
      critical: true,
    });
  }

  for (const [role, granted] of Object.entries(channelType.grants)) {
    if (SERVER_ROLES.has(role)) continue;
    for (const permission of granted) {
      const why = forbiddenBecause(role, permission);
      if (why === undefined) continue;
      problems.push({
        id: `grants.${role}.${permission}`,
        message: `${type} grants: role ${role} holds ${permission} (${why})`,
        critical: (MEMBERSHIP_PERMISSIONS as readonly string[]).includes(withoutTeamCondition(permission)),
      });
    }
  }
  const memberHeld = memberGrants(channelType.grants);
  for (const need of MEMBER_NEEDS) {
    if (memberHeld.has(need.permission)) continue;
    problems.push({
      id: `grants.missing.${need.permission}`,
      message: `${type} grants: no member role holds ${need.permission}, so members cannot ${need.use}`,
      critical: false,
    });
  }

  for (const [setting, wanted] of Object.entries(CHANNEL_TYPE_SETTINGS)) {
    const actual = channelType[setting as ChannelTypeSetting];
    if (actual === wanted) continue;
    problems.push({
      id: `channel-type.${setting}`,
      message:
        actual === undefined
          ? `${type} channel type: Stream did not report ${setting} (secure-chat needs it ${onOff(wanted)})`
          : `${type} channel type: ${setting} is ${onOff(actual)}, secure-chat needs it ${onOff(wanted)}`,
      critical: false,
    });
  }

  problems.push(...pushProblems(state));
  return problems;
}

/** A grant without its `-any-team` condition (multi-tenant apps): it allows the same action. */
function withoutTeamCondition(permission: string): string {
  return permission.replace(/-any-team$/, '');
}

/** What a member holds through the app-wide `user` role and the channel role `channel_member`. */
function memberGrants(grants: StreamAppState['channelType']['grants']): Set<string> {
  return new Set([...(grants.user ?? []), ...(grants.channel_member ?? [])].map(withoutTeamCondition));
}

/** Why `role` may not hold `permission`, or undefined when it may. */
function forbiddenBecause(role: string, granted: string): string | undefined {
  const permission = withoutTeamCondition(granted);
  if ((MEMBERSHIP_PERMISSIONS as readonly string[]).includes(permission))
    return 'only the token API may create channels or change their members';
  if ((CHANNEL_CONTROL_PERMISSIONS as readonly string[]).includes(permission))
    return 'only the server may change or delete channels and other people’s messages';
  if (APP_WIDE_CLIENT_ROLES.has(role) && (MEMBER_ONLY_PERMISSIONS as readonly string[]).includes(permission))
    return 'an app-wide role would reach every channel, member or not';
  return undefined;
}

function pushProblems(state: StreamAppState): Problem[] {
  const { app, channelType } = state;
  if (channelType.push_notifications === false) return [];
  const problem = (id: string, message: string): Problem => ({ id, message, critical: false });
  if (!app.push) {
    return [
      problem(
        'push.unknown',
        `push is on for ${SECURE_CHANNEL_TYPE} and Stream did not report its push settings, so the templates cannot be checked`,
      ),
    ];
  }
  if (app.push.providers.length === 0) return [];
  if (app.push.version !== 'v3') {
    return [
      problem(
        'push.version',
        `push is on for ${SECURE_CHANNEL_TYPE} with push ${app.push.version ?? 'of an unknown version'}: only v3 templates are checked`,
      ),
    ];
  }
  const problems: Problem[] = [];
  for (const provider of app.push.providers) {
    const templates = state.pushTemplates.filter(
      (t) => t.push_provider_type === provider.type && t.push_provider_name === provider.name,
    );
    const label = `push provider ${provider.type}/${provider.name}`;
    const newMessage = templates.find((t) => t.event_type === PUSH_EVENT);
    // No entry at all: Stream's default applies, and we cannot tell whether it is on.
    if (!newMessage || (newMessage.enable_push && !newMessage.template)) {
      problems.push(
        problem(
          `push.${provider.name}.${PUSH_EVENT}`,
          `${label}: ${PUSH_EVENT} uses Stream's default template, which carries the sender's name and the message text`,
        ),
      );
    }
    for (const template of templates) {
      if (!template.enable_push) continue;
      if (template.event_type !== PUSH_EVENT) {
        problems.push(
          problem(
            `push.${provider.name}.${template.event_type}`,
            `${label}: pushes for ${template.event_type} are on; only ${PUSH_EVENT} may push`,
          ),
        );
        continue;
      }
      const extra = templateValues(template.template ?? '').filter(
        (value) => !PUSH_TEMPLATE_VALUES.has(value),
      );
      if (extra.length > 0) {
        problems.push(
          problem(
            `push.${provider.name}.${PUSH_EVENT}.values`,
            `${label}: the ${PUSH_EVENT} template inserts ${extra.join(', ')}; only opaque ids may appear`,
          ),
        );
      }
    }
  }
  return problems;
}

/** The values a handlebars template inserts (`{{ sender.name }}`, `{{{ x }}}`, `{{ truncate message.text 100 }}`). */
export function templateValues(template: string): string[] {
  const values: string[] = [];
  for (const match of template.matchAll(/\{\{\{?\s*([^}]*?)\s*\}?\}\}/g)) {
    const words = (match[1] ?? '').split(/\s+/).filter((word) => word && !/^["'\d]/.test(word));
    // `{{ truncate message.text 150 }}`: a helper followed by its arguments; every path counts.
    values.push(...(words.length > 1 ? words.slice(1) : words));
  }
  return values;
}

/** A change to the Stream app that brings it in line with the policy. */
export interface StreamAppChanges {
  /** Partial `PUT /channeltypes/{type}` body; grants name only the roles that change. */
  readonly channelType: {
    grants?: Record<string, string[]>;
    push_notifications?: boolean;
  } & Partial<Record<ChannelTypeSetting, boolean>>;
  /** Partial `PATCH /app` body. */
  readonly app: { disable_auth_checks?: false; disable_permissions_checks?: false };
  readonly pushTemplates: PushTemplate[];
  /** One line per change made and per item already set, for the setup's output. */
  readonly lines: string[];
  /** Problems setup cannot fix through the API (they need the dashboard or a decision). */
  readonly manual: Problem[];
}

/** Plans the smallest set of changes that leaves `state` without problems. */
export function planChanges(state: StreamAppState): StreamAppChanges {
  const type = SECURE_CHANNEL_TYPE;
  const changes: StreamAppChanges = { channelType: {}, app: {}, pushTemplates: [], lines: [], manual: [] };
  const { app, channelType } = state;

  for (const setting of ['disable_auth_checks', 'disable_permissions_checks'] as const) {
    if (app[setting] === true) {
      changes.app[setting] = false;
      changes.lines.push(`app: ${setting} on → off`);
    } else {
      changes.lines.push(`app: ${setting} already off`);
    }
  }
  const problems = findProblems(state);
  const version = problems.find((p) => p.id === 'app.permission_version');
  if (version) changes.manual.push(version);

  const grants: Record<string, string[]> = {};
  const roles = new Set([...Object.keys(channelType.grants), 'user', 'channel_member']);
  const memberHeld = memberGrants(channelType.grants);
  for (const role of [...roles].sort()) {
    if (SERVER_ROLES.has(role)) continue;
    const current = channelType.grants[role] ?? [];
    const removed = current.filter((permission) => forbiddenBecause(role, permission) !== undefined);
    const added = MEMBER_NEEDS.filter((need) => need.role === role && !memberHeld.has(need.permission)).map(
      (need) => need.permission,
    );
    if (removed.length === 0 && added.length === 0) {
      if (channelType.grants[role] !== undefined) changes.lines.push(`${type} grants: ${role} already safe`);
      continue;
    }
    const next = [...current.filter((permission) => !removed.includes(permission)), ...added];
    if (next.length === 0) {
      // Stream treats an empty list as "back to the defaults", which would undo the removal.
      changes.manual.push({
        id: `grants.${role}.empty`,
        message: `${type} grants: role ${role} would be left with no grant; remove its grants in the dashboard`,
        critical: problems.some((p) => p.critical && p.id.startsWith(`grants.${role}.`)),
      });
      continue;
    }
    grants[role] = next;
    if (removed.length > 0) changes.lines.push(`${type} grants: ${role}: removed ${removed.join(', ')}`);
    if (added.length > 0) changes.lines.push(`${type} grants: ${role}: added ${added.join(', ')}`);
  }
  if (Object.keys(grants).length > 0) changes.channelType.grants = grants;

  for (const [setting, wanted] of Object.entries(CHANNEL_TYPE_SETTINGS) as Array<
    [ChannelTypeSetting, boolean]
  >) {
    const actual = channelType[setting];
    if (actual === wanted) {
      changes.lines.push(`${type} channel type: ${setting} already ${onOff(wanted)}`);
      continue;
    }
    changes.channelType[setting] = wanted;
    changes.lines.push(
      `${type} channel type: ${setting} ${actual === undefined ? 'unreported' : onOff(actual)} → ${onOff(wanted)}`,
    );
  }

  planPush(state, problems, changes);
  return changes;
}

function planPush(state: StreamAppState, problems: readonly Problem[], changes: StreamAppChanges): void {
  const type = SECURE_CHANNEL_TYPE;
  const push = problems.filter((p) => p.id.startsWith('push.'));
  if (state.channelType.push_notifications === false) {
    changes.lines.push(`${type} push: already off`);
    return;
  }
  if (push.length === 0) {
    changes.lines.push(
      state.app.push?.providers.length
        ? `${type} push: templates already carry no PHI`
        : `${type} push: on, but no push provider is configured (nothing is sent)`,
    );
    return;
  }
  const fixable = state.app.push?.version === 'v3' && push.every((p) => !p.id.startsWith('push.unknown'));
  if (!fixable) {
    // Templates we cannot read or write: turn pushes off rather than trust them.
    changes.channelType.push_notifications = false;
    changes.lines.push(`${type} push: on → off (${push.map((p) => p.id).join(', ')})`);
    return;
  }
  for (const provider of state.app.push?.providers ?? []) {
    const templates = state.pushTemplates.filter(
      (t) => t.push_provider_type === provider.type && t.push_provider_name === provider.name,
    );
    const wanted = PUSH_TEMPLATES[provider.type] ?? DATA_ONLY_PUSH_TEMPLATE;
    const flagged = problems.some((p) => p.id.startsWith(`push.${provider.name}.${PUSH_EVENT}`));
    if (flagged) {
      changes.pushTemplates.push({
        event_type: PUSH_EVENT,
        enable_push: true,
        template: wanted,
        push_provider_type: provider.type,
        push_provider_name: provider.name,
      });
      changes.lines.push(
        `push ${provider.type}/${provider.name}: ${PUSH_EVENT} template → fixed text and ids only`,
      );
    }
    for (const template of templates) {
      if (template.event_type === PUSH_EVENT || !template.enable_push) continue;
      changes.pushTemplates.push({ ...template, enable_push: false });
      changes.lines.push(`push ${provider.type}/${provider.name}: ${template.event_type} pushes → off`);
    }
  }
}

function onOff(value: boolean): string {
  return value ? 'on' : 'off';
}
