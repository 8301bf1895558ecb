/**
 * @module
 * `createApp(deps)`: the token API as a Web-standard Hono app, shared by the Node and Workers entries. `/healthz`
 * sits on the root; everything else is the `/v1` sub-app, which wires, in order: the audit log, `no-store`, the
 * origin gate / CORS, the per-IP rate limit, the body-size limit, the Stream app check (when enforced),
 * portal-session authentication, the per-user rate limit, then the routes. Keys are imported once per app.
 * Runtime specifics (client IP, channel directory, audit sink) arrive through `deps`.
 */
import { Hono } from 'hono';
import type { Context } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { JWTVerifyGetKey } from 'jose';
import type { ApiEnv, AppServices } from './app-env.js';
import { silentAuditSink, stdoutAuditSink } from './audit.js';
import type { AuditSink } from './audit.js';
import { createPortalVerifier } from './auth/portal-session.js';
import type { ChannelDirectory } from './channels/directory.js';
import { StreamRestDirectory } from './channels/stream-rest-directory.js';
import { clientAddress } from './client-address.js';
import type { ApiConfig } from './config.js';
import { ApiError, toErrorResponse } from './errors.js';
import { webCryptoProvider } from './crypto.js';
import type { CryptoProvider } from './crypto.js';
import { createChatUserIdDeriver } from './identity.js';
import { auditLog } from './middleware/audit.js';
import { bodyLimit } from './middleware/body-limit.js';
import { originGate } from './middleware/origin.js';
import { requirePortalSession } from './middleware/portal-session.js';
import { rateLimit, storeErrorReporter } from './middleware/rate-limit.js';
import type { RateLimitOptions } from './middleware/rate-limit.js';
import { requireSafeStreamApp } from './middleware/stream-app-guard.js';
import { MemoryRateLimitStore } from './rate-limit.js';
import type { RateLimitStore } from './rate-limit.js';
import { channelRoutes, peersClaimPolicy } from './routes/channels.js';
import type { ChannelPolicy } from './routes/channels.js';
import { healthRoutes } from './routes/health.js';
import { tokenRoutes } from './routes/tokens.js';
import type { StreamAppAdmin } from './stream-app/admin.js';
import { createStreamAppGuard } from './stream-app/guard.js';
import type { StreamAppGuard } from './stream-app/guard.js';
import { checkStreamApp } from './stream-app/setup.js';
import { StreamRestAppAdmin } from './stream-app/stream-rest-admin.js';
import { createStreamTokenSigner } from './tokens/stream-token.js';
import { createVirgilTokenSigner } from './tokens/virgil-token.js';
import type { VirgilTokenSigner } from './tokens/virgil-token.js';

export type { ChannelPolicy } from './routes/channels.js';

export interface AppDeps {
  readonly config: ApiConfig;
  /** Where `/v1/channels` creates channels. Default: `StreamRestDirectory` (fetch + server token). */
  readonly channels?: ChannelDirectory;
  /** Replaces the default peers-claim policy of `/v1/channels`. */
  readonly channelPolicy?: ChannelPolicy;
  /** Default: stdout, or nothing when `AUDIT_LOG=off`. */
  readonly audit?: AuditSink;
  /**
   * Where rate limits are counted. Default: a fresh `MemoryRateLimitStore`; the entries pass the shared store that
   * `RATE_LIMIT_STORE` names (Redis on Node, a Durable Object on Workers).
   */
  readonly rateLimitStore?: RateLimitStore;
  /**
   * The connection's client address: the socket peer on Node, `CF-Connecting-IP` on Workers. The per-IP limit keys
   * on it unless `TRUSTED_PROXY_HOPS` points at an entry of the forwarded header instead.
   */
  readonly clientIp?: (c: Context) => string | undefined;
  /** Overrides the portal key source (e.g. a local JWKS in tests). */
  readonly portalKeys?: JWTVerifyGetKey;
  /** Reports unexpected (500) errors; default: one line on stderr with the error's name only. */
  readonly onUnexpectedError?: (err: unknown) => void;
  readonly now?: () => number;
  /** HMAC / SHA-512 / Ed25519 implementation. Default: WebCrypto; the Node entry passes `node:crypto`. */
  readonly crypto?: CryptoProvider;
  /** Reads the Stream app's configuration. Default: `StreamRestAppAdmin` (fetch + server token). */
  readonly streamApp?: StreamAppAdmin;
  /** Replaces the Stream app check built from `streamApp` (e.g. one shared with the entry's start-up check). */
  readonly streamAppGuard?: StreamAppGuard;
  /** Operational log lines (the Stream app verdict, rate-limit store errors); default: stderr. Never secrets. */
  readonly log?: (line: string) => void;
  /** Used by the Virgil reachability probe of `/healthz?deep=1`. */
  readonly fetch?: typeof fetch;
}

/**
 * Builds the token API.
 * @example const app = createApp({ config: readConfig(env) }); const res = await app.request('/healthz');
 */
export function createApp(deps: AppDeps): Hono<ApiEnv> {
  const { config } = deps;
  const now = deps.now ?? Date.now;
  const provider = deps.crypto ?? webCryptoProvider;
  const streamSigner = createStreamTokenSigner(config.stream.apiSecret, config.stream.tokenTtlS, provider);
  const services: AppServices = {
    config,
    streamSigner,
    virgilSigner: createVirgilTokenSigner({ ...config.virgil, ttlS: config.virgil.tokenTtlS }, provider),
    channels:
      deps.channels ??
      new StreamRestDirectory({
        apiKey: config.stream.apiKey,
        baseURL: config.stream.baseURL,
        signer: streamSigner,
      }),
    chatId: createChatUserIdDeriver(config.userIdSecret, provider),
    now,
  };
  const streamApp =
    deps.streamApp ??
    new StreamRestAppAdmin({
      apiKey: config.stream.apiKey,
      baseURL: config.stream.baseURL,
      signer: streamSigner,
    });
  const log = deps.log ?? ((line: string) => console.error(line));
  const guard =
    deps.streamAppGuard ??
    createStreamAppGuard({
      check: () => checkStreamApp(streamApp),
      now,
      log,
    });
  const store = deps.rateLimitStore ?? new MemoryRateLimitStore();
  const onStoreError = storeErrorReporter({
    store: config.rateLimit.store,
    policy: config.rateLimit.onStoreError,
    now,
    log,
  });
  const windowMs = config.rateLimit.windowS * 1000;
  const { trustedProxyHops, forwardedHeader } = config.rateLimit;
  const clientIp = (c: Context): string =>
    clientAddress({
      forwarded: trustedProxyHops > 0 ? c.req.header(forwardedHeader) : undefined,
      trustedProxyHops,
      connection: deps.clientIp?.(c),
    });
  const perIp = (scope: string) =>
    rateLimit({ store, scope, limit: config.rateLimit.perIp, windowMs, key: clientIp, now, onStoreError });
  const onUnexpected =
    deps.onUnexpectedError ??
    ((err: unknown) =>
      console.error(`[token-api] unexpected ${err instanceof Error ? err.name : typeof err}`));

  const app = new Hono<ApiEnv>();
  app.use('*', secureHeaders());
  app.route(
    '/healthz',
    healthRoutes({
      guard,
      probeStream: async () => void (await streamApp.getApp()),
      probeVirgil: () => probeVirgil(config.virgil.apiUrl, services.virgilSigner, deps.fetch ?? fetch, now),
      now,
      deepLimit: perIp('health'),
    }),
  );
  app.route('/v1', v1App(deps, services, { guard, store, windowMs, onStoreError, perIp: perIp('ip') }));
  app.notFound(() => {
    throw new ApiError('not-found', 'No such endpoint.', 'not-found');
  });
  app.onError((err, c) => toErrorResponse(err, c, onUnexpected));
  return app;
}

/** The authenticated token and channel routes, with their middleware chain. */
function v1App(
  deps: AppDeps,
  services: AppServices,
  shared: {
    guard: StreamAppGuard;
    store: RateLimitStore;
    windowMs: number;
    onStoreError: RateLimitOptions['onStoreError'];
    perIp: ReturnType<typeof rateLimit>;
  },
): Hono<ApiEnv> {
  const { config, now } = services;
  const v1 = new Hono<ApiEnv>();
  v1.use(auditLog(deps.audit ?? (config.audit === 'off' ? silentAuditSink : stdoutAuditSink), now));
  // Set before the handler runs: headers added after a response exists force node-server to rebuild it.
  v1.use(async function noStore(c, next) {
    c.header('Cache-Control', 'no-store');
    await next();
  });
  v1.use(originGate(new Set([...config.allowedOrigins, ...config.frameOrigins])));
  v1.use(shared.perIp);
  v1.use(bodyLimit(config.bodyLimitBytes));
  if (config.streamAppCheck === 'enforce') v1.use(requireSafeStreamApp(shared.guard));
  v1.use(requirePortalSession(createPortalVerifier(config.portal, deps.portalKeys), services.chatId));
  v1.use(
    rateLimit({
      store: shared.store,
      scope: 'user',
      limit: config.rateLimit.perUser,
      windowMs: shared.windowMs,
      key: (c) => c.get('userId'),
      now,
      onStoreError: shared.onStoreError,
    }),
  );
  v1.route('/', tokenRoutes(services));
  v1.route('/', channelRoutes(services, deps.channelPolicy ?? peersClaimPolicy));
  return v1;
}

/** Virgil answers a card search signed with our App Key: the service is up and trusts our key. */
async function probeVirgil(
  apiUrl: string,
  signer: VirgilTokenSigner,
  fetchImpl: typeof fetch,
  now: () => number,
): Promise<void> {
  const identity = 'healthz-probe';
  const { token } = await signer.issue(identity, now());
  const response = await fetchImpl(`${apiUrl}/card/v5/actions/search`, {
    method: 'POST',
    headers: { authorization: `Virgil ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ identities: [identity] }),
    signal: AbortSignal.timeout(5_000),
  });
  await response.body?.cancel();
  if (!response.ok) throw new Error(`Virgil POST /card/v5/actions/search answered HTTP ${response.status}`);
}
