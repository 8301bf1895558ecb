/**
 * An in-memory `StreamAppAdmin` with Stream's update semantics (a role named in `grants` gets exactly that list,
 * other roles keep theirs; an app patch sets only the fields it names), starting from the loose grants a new
 * Stream app has on `messaging` (per Stream's permissions reference). For unit tests of the policy, the setup and
 * the token API's guard; the integration tests use the Stream stand-in instead.
 */
import type { AppSettingsView, ChannelTypeView, StreamAppAdmin } from '../src/stream-app/admin.js';
import type { PushProviderRef, PushTemplate } from '../src/stream-app/policy.js';

/** A new app's `messaging` grants for the roles secure-chat users can hold. */
export function looseMessagingGrants(): Record<string, string[]> {
  return {
    admin: ['create-channel', 'update-channel-members', 'delete-channel', 'read-channel', 'create-message'],
    user: [
      'create-channel',
      'add-links-owner',
      'create-message-owner',
      'create-reaction-owner',
      'delete-channel-owner',
      'delete-message-owner',
      'delete-reaction-owner',
      'read-channel-owner',
      'read-channel-members-owner',
      'recreate-channel-owner',
      'remove-own-channel-membership-owner',
      'truncate-channel-owner',
      'update-channel-members-owner',
      'update-channel-owner',
      'update-message-owner',
      'upload-attachment-owner',
    ],
    channel_member: [
      'add-links',
      'create-attachment',
      'create-message',
      'create-reaction',
      'flag-message',
      'mute-channel',
      'pin-message',
      'read-channel',
      'read-channel-members',
      'remove-own-channel-membership',
      'send-custom-event',
      'upload-attachment',
    ],
    channel_moderator: [
      'add-links',
      'ban-channel-member',
      'create-message',
      'delete-message',
      'read-channel',
      'update-channel',
      'update-channel-members',
      'update-message',
    ],
  };
}

export class FakeStreamApp implements StreamAppAdmin {
  app: AppSettingsView & Record<string, unknown> = {
    disable_auth_checks: false,
    disable_permissions_checks: false,
    permission_version: 'v2',
    push_notifications: { version: 'v3', providers: [] },
  };
  channelType: ChannelTypeView & Record<string, unknown> = {
    grants: looseMessagingGrants(),
    push_notifications: true,
    read_events: true,
    typing_events: true,
    connect_events: true,
    reactions: true,
    replies: true,
    quotes: true,
    uploads: true,
    url_enrichment: true,
    automod: 'disabled',
    automod_behavior: 'flag',
    max_message_length: 5000,
  };
  templates: PushTemplate[] = [];
  readonly calls: string[] = [];
  failing = false;

  async getApp(): Promise<AppSettingsView> {
    this.#call('GET /app');
    return structuredClone(this.app);
  }

  async getChannelType(type: string): Promise<ChannelTypeView> {
    this.#call(`GET /channeltypes/${type}`);
    return structuredClone(this.channelType);
  }

  async updateChannelType(type: string, update: Record<string, unknown>): Promise<void> {
    this.#call(`PUT /channeltypes/${type}`);
    for (const field of ['automod', 'automod_behavior', 'max_message_length']) {
      if (!(field in update)) throw new Error(`Stream PUT /channeltypes/${type} needs ${field}`);
    }
    const { grants, ...rest } = update as { grants?: Record<string, string[]> };
    this.channelType = {
      ...this.channelType,
      ...rest,
      grants: { ...this.channelType.grants, ...grants },
    };
  }

  async updateApp(update: Record<string, unknown>): Promise<void> {
    this.#call('PATCH /app');
    this.app = { ...this.app, ...update };
  }

  async getPushTemplates(provider: PushProviderRef): Promise<PushTemplate[]> {
    this.#call(`GET /push_templates ${provider.type}/${provider.name}`);
    return this.templates.filter(
      (t) => t.push_provider_type === provider.type && t.push_provider_name === provider.name,
    );
  }

  async upsertPushTemplate(template: PushTemplate): Promise<void> {
    this.#call(`POST /push_templates ${template.event_type}`);
    this.templates = [
      ...this.templates.filter(
        (t) =>
          !(
            t.event_type === template.event_type &&
            t.push_provider_type === template.push_provider_type &&
            t.push_provider_name === template.push_provider_name
          ),
      ),
      template,
    ];
  }

  #call(name: string): void {
    this.calls.push(name);
    if (this.failing) throw new Error(`Stream ${name} answered HTTP 503`);
  }
}
