/**
 * `StreamAppAdmin` on the real `stream-chat` server client: its own `getAppSettings`, `updateAppSettings`,
 * `getChannelType` and `updateChannelType`, and its generic `get`/`post` for the push-template endpoints it does not
 * wrap. Node only (the server client signs with jsonwebtoken).
 */
import { StreamChat } from 'stream-chat';
import type { UpdateChannelTypeRequest } from 'stream-chat';
import type { AppSettingsView, ChannelTypeView, StreamAppAdmin } from '../stream-app/admin.js';
import type { PushProviderRef, PushTemplate } from '../stream-app/policy.js';

export class StreamChatAppAdmin implements StreamAppAdmin {
  readonly #client: StreamChat;

  constructor(opts: { apiKey: string; apiSecret: string; baseURL: string; timeoutMs?: number }) {
    this.#client = new StreamChat(opts.apiKey, opts.apiSecret, {
      baseURL: opts.baseURL,
      timeout: opts.timeoutMs ?? 10_000,
    });
  }

  async getApp(): Promise<AppSettingsView> {
    const { app } = await this.#client.getAppSettings();
    if (!app) throw new Error('Stream GET /app answered without app');
    return app;
  }

  async getChannelType(type: string): Promise<ChannelTypeView> {
    return await this.#client.getChannelType(type);
  }

  async updateChannelType(type: string, update: Record<string, unknown>): Promise<void> {
    await this.#client.updateChannelType(type, update as UpdateChannelTypeRequest);
  }

  async updateApp(update: Record<string, unknown>): Promise<void> {
    await this.#client.updateAppSettings(update);
  }

  async getPushTemplates(provider: PushProviderRef): Promise<PushTemplate[]> {
    const body = await this.#client.get<{ templates?: PushTemplate[] }>(
      `${this.#client.baseURL}/push_templates`,
      {
        push_provider_type: provider.type,
        push_provider_name: provider.name,
      },
    );
    return body.templates ?? [];
  }

  async upsertPushTemplate(template: PushTemplate): Promise<void> {
    await this.#client.post(`${this.#client.baseURL}/push_templates`, template);
  }
}
