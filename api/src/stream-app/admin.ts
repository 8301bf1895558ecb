/**
 * @module
 * The `StreamAppAdmin` port: the server-side calls that read and change a Stream app's configuration, and
 * `readStreamAppState`, which turns their answers into the `StreamAppState` the policy judges. Adapters:
 * `StreamRestAppAdmin` (fetch + a `{ server: true }` token, any runtime) and the `stream-chat` server client
 * (`api/tools/stream-chat-app-admin.ts`, Node).
 */
import type { ChannelTypeSetting, PushProviderRef, PushTemplate, StreamAppState } from './policy.js';
import { CHANNEL_TYPE_SETTINGS } from './policy.js';

/** `GET /app` as far as the policy reads it. */
export interface AppSettingsView {
  readonly disable_auth_checks?: boolean;
  readonly disable_permissions_checks?: boolean;
  readonly permission_version?: string;
  readonly push_notifications?: {
    readonly version?: string;
    readonly providers?: ReadonlyArray<{ readonly type?: string; readonly name?: string }> | null;
  };
}

/** `GET /channeltypes/{type}` as far as the policy reads it. */
export type ChannelTypeView = {
  readonly grants?: Readonly<Record<string, readonly string[]>>;
  readonly push_notifications?: boolean;
  readonly automod?: string;
  readonly automod_behavior?: string;
  readonly max_message_length?: number;
} & Partial<Record<ChannelTypeSetting, boolean>>;

export interface StreamAppAdmin {
  getApp(): Promise<AppSettingsView>;
  getChannelType(type: string): Promise<ChannelTypeView>;
  updateChannelType(type: string, update: Record<string, unknown>): Promise<void>;
  updateApp(update: Record<string, unknown>): Promise<void>;
  getPushTemplates(provider: PushProviderRef): Promise<PushTemplate[]>;
  upsertPushTemplate(template: PushTemplate): Promise<void>;
}

/** Reads everything the policy judges; push templates only when push is on for the channel type. */
export async function readStreamAppState(
  admin: StreamAppAdmin,
  channelType: string,
): Promise<StreamAppState> {
  const [app, type] = await Promise.all([admin.getApp(), admin.getChannelType(channelType)]);
  const push = app.push_notifications
    ? {
        ...(app.push_notifications.version !== undefined ? { version: app.push_notifications.version } : {}),
        providers: (app.push_notifications.providers ?? []).flatMap((p) =>
          typeof p.type === 'string' && typeof p.name === 'string' ? [{ type: p.type, name: p.name }] : [],
        ),
      }
    : undefined;
  const pushTemplates =
    type.push_notifications !== false && push?.version === 'v3'
      ? (await Promise.all(push.providers.map((provider) => admin.getPushTemplates(provider)))).flat()
      : [];
  const settings: Partial<Record<ChannelTypeSetting, boolean>> = {};
  for (const setting of Object.keys(CHANNEL_TYPE_SETTINGS) as ChannelTypeSetting[]) {
    const value = type[setting];
    if (typeof value === 'boolean') settings[setting] = value;
  }
  return {
    app: {
      ...(app.disable_auth_checks !== undefined ? { disable_auth_checks: app.disable_auth_checks } : {}),
      ...(app.disable_permissions_checks !== undefined
        ? { disable_permissions_checks: app.disable_permissions_checks }
        : {}),
      ...(app.permission_version !== undefined ? { permission_version: app.permission_version } : {}),
      ...(push ? { push } : {}),
    },
    channelType: {
      grants: type.grants ?? {},
      ...(type.push_notifications !== undefined ? { push_notifications: type.push_notifications } : {}),
      ...settings,
    },
    pushTemplates,
  };
}
