/**
 * The whole local stack in one process: the Stream and Virgil stand-ins plus the token API, on loopback.
 * `npm start` runs it on fixed ports; the browser tests run it on ephemeral ports with a temp data folder.
 * The Stream stand-in starts with a new Stream app's loose grants; `npm run stream:setup` is applied to it before the
 * token API starts, so the demo and the tests run against an app configured as a deployment is.
 */
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { StreamChat } from 'stream-chat';
import { chatUserId } from '../../api/src/identity.js';
import { startNodeApi } from '../../api/src/entries/node.js';
import { StreamChatAppAdmin } from '../../api/src/entries/stream-chat-app-admin.js';
import { setupStreamApp } from '../../api/src/stream-app/setup.js';
import { startStreamCloud, type StreamCloudSettings } from '../local-cloud/stream/server.js';
import { startVirgilCloud } from '../local-cloud/virgil/server.js';
import type { AuditSink } from '../../api/src/audit.js';
import type { DevSecrets } from './dev-secrets.js';
import type { VirgilAccess } from '../../api/tools/record/virgil.js';
import { createDemoOrganization, organizationEnv, type DemoOrganization } from './organization.js';

export const PORTAL_ISSUER = 'secure-chat-demo-portal';
export const PORTAL_AUDIENCE = 'secure-chat-api';

export interface LocalStackOptions {
  dataDir: string;
  secrets: DevSecrets;
  /** Exact origins the token API serves (the portal's). */
  allowedOrigins: string[];
  /** Origins serving the widget's isolation frame (its CDN): they may call the token API too. */
  frameOrigins?: string[];
  hostname?: string;
  /**
   * Fixed ports (`npm start`); unset ones are ephemeral. The Stream stand-in's upload CDN defaults to
   * LOCAL_STREAM_CDN_PORT or 8792 when the Stream port is fixed, and is ephemeral otherwise.
   */
  ports?: { api?: number; stream?: number; streamCdn?: number; virgil?: number };
  /** Settings of the Stream stand-in at start, e.g. a short upload link lifetime. */
  stream?: StreamCloudSettings;
  /** Extra token API variables, e.g. short token lifetimes. */
  apiEnv?: Record<string, string>;
  /** Where the token API's audit events go (default: stdout, one JSON line each). */
  audit?: AuditSink;
  /** Runs the organization key ceremony at start and pins the card in the token API (break glass; default off). */
  organization?: boolean;
  /** Receives the lines `npm run stream:setup` prints for the Stream stand-in (default: none). */
  streamSetupOutput?: (line: string) => void;
}

function defaultCdnPort(ports: LocalStackOptions['ports']): number {
  if (ports?.streamCdn !== undefined) return ports.streamCdn;
  if (!ports?.stream) return 0;
  return Number(process.env.LOCAL_STREAM_CDN_PORT ?? 8792);
}

export interface PortalPeer {
  sub: string;
  name?: string;
}

export interface SessionClaims {
  sub: string;
  name?: string;
  peers?: PortalPeer[];
  ttlSeconds?: number;
}

type Service = 'stream' | 'virgil';
type Closable = { url: string; close(): Promise<void> };

export class LocalStack {
  #stream!: Awaited<ReturnType<typeof startStreamCloud>>;
  #virgil!: Awaited<ReturnType<typeof startVirgilCloud>>;
  #api!: Closable;
  readonly #extraApis: Closable[] = [];
  #serverClient?: StreamChat;
  #streamSettings: StreamCloudSettings;
  /** The organization recipient, when `organization` is on: its pin and its shares (in memory only). */
  organization: DemoOrganization | undefined;

  private constructor(readonly options: LocalStackOptions) {
    this.#streamSettings = { ...options.stream };
  }

  /** Starts both stand-ins, then the token API pointed at them. */
  static async start(options: LocalStackOptions): Promise<LocalStack> {
    const stack = new LocalStack(options);
    await Promise.all([
      stack.#startStream(options.ports?.stream ?? 0, defaultCdnPort(options.ports)),
      stack.#startVirgil(options.ports?.virgil ?? 0),
    ]);
    await stack.#setupStream(options.streamSetupOutput ?? (() => {}));
    if (options.organization) stack.organization = await createDemoOrganization(stack.virgilAccess);
    stack.#api = await stack.startApi({}, options.ports?.api ?? 0);
    return stack;
  }

  get apiUrl() {
    return this.#api.url;
  }
  get streamUrl() {
    return this.#stream.url;
  }
  /** Origin of the Stream stand-in's upload CDN (what `*.stream-io-cdn.com` is in production). */
  get streamCdnUrl() {
    return this.#stream.cdnUrl;
  }
  get virgilUrl() {
    return this.#virgil.url;
  }
  get secrets() {
    return this.options.secrets;
  }

  /** The token API's environment, exactly as a deployment would set it. */
  apiEnvironment(overrides: Record<string, string> = {}): Record<string, string> {
    const s = this.options.secrets;
    return {
      ALLOWED_ORIGINS: this.options.allowedOrigins.join(','),
      ...(this.options.frameOrigins?.length ? { FRAME_ORIGINS: this.options.frameOrigins.join(',') } : {}),
      PORTAL_JWT_SECRET: s.PORTAL_JWT_SECRET,
      PORTAL_JWT_ISSUER: PORTAL_ISSUER,
      PORTAL_JWT_AUDIENCE: PORTAL_AUDIENCE,
      USER_ID_SECRET: s.USER_ID_SECRET,
      STREAM_API_KEY: s.STREAM_API_KEY,
      STREAM_API_SECRET: s.STREAM_API_SECRET,
      STREAM_BASE_URL: this.streamUrl,
      VIRGIL_APP_ID: s.VIRGIL_APP_ID,
      VIRGIL_APP_KEY_ID: s.VIRGIL_APP_KEY_ID,
      VIRGIL_APP_KEY: s.VIRGIL_APP_KEY,
      VIRGIL_API_URL: this.virgilUrl,
      ...(this.organization ? organizationEnv(this.organization) : {}),
      ...this.options.apiEnv,
      ...overrides,
    };
  }

  /** The Virgil App Key and the stand-in's card-signing key, as the record tools take them. */
  get virgilAccess(): VirgilAccess {
    const s = this.options.secrets;
    return {
      appId: s.VIRGIL_APP_ID,
      appKeyId: s.VIRGIL_APP_KEY_ID,
      appKey: s.VIRGIL_APP_KEY,
      apiUrl: this.virgilUrl,
      cardsServiceKey: this.#virgil.inspect().cardsServicePublicKey,
    };
  }

  /** Starts another token API instance against the same stand-ins (e.g. with short token lifetimes). */
  async startApi(overrides: Record<string, string>, port = 0): Promise<Closable> {
    const api = await startNodeApi(this.apiEnvironment(overrides), {
      port,
      hostname: this.options.hostname ?? '127.0.0.1',
      ...(this.options.audit ? { deps: { audit: this.options.audit } } : {}),
    });
    if (this.#api) this.#extraApis.push(api);
    return api;
  }

  /** A portal session JWT, as the demo portal's dev sign-in issues it. */
  async mintSessionToken({ sub, name, peers = [], ttlSeconds = 3600 }: SessionClaims): Promise<string> {
    const key = new TextEncoder().encode(this.options.secrets.PORTAL_JWT_SECRET);
    return new SignJWT({ ...(name ? { name } : {}), peers })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(sub)
      .setIssuer(PORTAL_ISSUER)
      .setAudience(PORTAL_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
      .sign(key);
  }

  /** The opaque chat id the token API derives for a portal subject. */
  chatUserId(sub: string): Promise<string> {
    return chatUserId(sub, this.options.secrets.USER_ID_SECRET);
  }

  /** Everything both stand-ins stored and received. */
  inspect() {
    return { stream: this.#stream.inspect(), virgil: this.#virgil.inspect() };
  }

  /** Stops a stand-in and starts it again on the same port and data, as a crash-and-restart would. */
  async restart(service: Service): Promise<void> {
    if (service === 'stream') {
      const port = Number(new URL(this.#stream.url).port);
      const cdnPort = Number(new URL(this.#stream.cdnUrl).port);
      await this.#stream.close();
      await this.#startStream(port, cdnPort);
    } else {
      const port = Number(new URL(this.#virgil.url).port);
      await this.#virgil.close();
      await this.#startVirgil(port);
    }
  }

  /** The real stream-chat server client, with the app secret: what a compromised server could do. */
  get streamServerClient(): StreamChat {
    this.#serverClient ??= new StreamChat(this.secrets.STREAM_API_KEY, this.secrets.STREAM_API_SECRET, {
      baseURL: this.streamUrl,
    });
    return this.#serverClient;
  }

  async stop(): Promise<void> {
    await Promise.all([this.#api, ...this.#extraApis.splice(0)].map((api) => api.close()));
    await Promise.all([this.#stream.close(), this.#virgil.close()]);
  }

  /** Changes Stream stand-in settings while running (tests: short link lifetimes, tiny rate limits). */
  configureStream(settings: StreamCloudSettings): void {
    this.#streamSettings = { ...this.#streamSettings, ...settings };
    this.#stream.configure(settings);
  }

  async #startStream(port: number, cdnPort: number) {
    this.#stream = await startStreamCloud({
      dataDir: join(this.options.dataDir, 'stream'),
      apiKey: this.secrets.STREAM_API_KEY,
      apiSecret: this.secrets.STREAM_API_SECRET,
      port,
      cdnPort,
      hostname: this.options.hostname ?? '127.0.0.1',
    });
    // Settings survive a restart, as configuration does.
    this.#stream.configure(this.#streamSettings);
  }

  /** `npm run stream:setup` against the stand-in; an app it cannot make safe stops the stack. */
  async #setupStream(print: (line: string) => void) {
    const admin = new StreamChatAppAdmin({
      apiKey: this.secrets.STREAM_API_KEY,
      apiSecret: this.secrets.STREAM_API_SECRET,
      baseURL: this.streamUrl,
    });
    const { remaining } = await setupStreamApp(admin, print);
    if (remaining.length > 0)
      throw new Error(
        `stream:setup left the Stream stand-in unsafe: ${remaining.map((p) => p.id).join(', ')}`,
      );
  }

  async #startVirgil(port: number) {
    this.#virgil = await startVirgilCloud({
      dataDir: join(this.options.dataDir, 'virgil'),
      appId: this.secrets.VIRGIL_APP_ID,
      appKeyId: this.secrets.VIRGIL_APP_KEY_ID,
      appKey: this.secrets.VIRGIL_APP_KEY,
      port,
      hostname: this.options.hostname ?? '127.0.0.1',
    });
  }
}
