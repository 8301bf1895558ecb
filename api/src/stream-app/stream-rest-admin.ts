/**
 * @module
 * `StreamAppAdmin` over plain `fetch` with a `{ server: true }` token: what the token API uses to check the app on
 * every runtime (stream-chat's server client signs with jsonwebtoken, i.e. Node only). The REST calls are those the
 * server client makes: `GET`/`PATCH /app`, `GET`/`PUT /channeltypes/{type}`, `GET`/`POST /push_templates`.
 * Errors name the call and the HTTP status only.
 */
import type { StreamTokenSigner } from '../tokens/stream-token.js';
import type { AppSettingsView, ChannelTypeView, StreamAppAdmin } from './admin.js';
import type { PushProviderRef, PushTemplate } from './policy.js';

export interface StreamRestAppAdminOptions {
  readonly apiKey: string;
  readonly baseURL: string;
  readonly signer: Pick<StreamTokenSigner, 'serverToken'>;
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
}

export class StreamRestAppAdmin implements StreamAppAdmin {
  constructor(private readonly opts: StreamRestAppAdminOptions) {}

  async getApp(): Promise<AppSettingsView> {
    const body = (await this.#call('GET', '/app')) as { app?: AppSettingsView };
    if (!body.app || typeof body.app !== 'object') throw new Error('Stream GET /app answered without app');
    return body.app;
  }

  async getChannelType(type: string): Promise<ChannelTypeView> {
    return (await this.#call('GET', `/channeltypes/${encodeURIComponent(type)}`)) as ChannelTypeView;
  }

  async updateChannelType(type: string, update: Record<string, unknown>): Promise<void> {
    await this.#call('PUT', `/channeltypes/${encodeURIComponent(type)}`, update);
  }

  async updateApp(update: Record<string, unknown>): Promise<void> {
    await this.#call('PATCH', '/app', update);
  }

  async getPushTemplates(provider: PushProviderRef): Promise<PushTemplate[]> {
    const query = `push_provider_type=${encodeURIComponent(provider.type)}&push_provider_name=${encodeURIComponent(provider.name)}`;
    const body = (await this.#call('GET', '/push_templates', undefined, query)) as {
      templates?: PushTemplate[];
    };
    return body.templates ?? [];
  }

  async upsertPushTemplate(template: PushTemplate): Promise<void> {
    await this.#call('POST', '/push_templates', template);
  }

  async #call(method: string, path: string, body?: unknown, query = ''): Promise<unknown> {
    const url = `${this.opts.baseURL}${path}?api_key=${encodeURIComponent(this.opts.apiKey)}${query ? `&${query}` : ''}`;
    const response = await (this.opts.fetch ?? fetch)(url, {
      method,
      headers: {
        authorization: await this.opts.signer.serverToken(),
        'stream-auth-type': 'jwt',
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(this.opts.timeoutMs ?? 10_000),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`Stream ${method} ${path} answered HTTP ${response.status}`);
    return text ? (JSON.parse(text) as unknown) : {};
  }
}
