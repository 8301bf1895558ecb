/**
 * @module
 * `createApp(deps)`: the token API as a Web-standard Hono app, shared by the Node and Workers entries. It wires, in
 * order: security headers, the audit log, the origin gate / CORS, the per-IP rate limit, the body-size limit,
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
import type { ApiConfig } from './config.js';
import { ApiError, toErrorResponse } from './errors.js';
import { webCryptoProvider } from './crypto.js';
import type { CryptoProvider } from './crypto.js';
import { createChatUserIdDeriver } from './identity.js';
import { auditLog } from './middleware/audit.js';
import { bodyLimit } from './middleware/body-limit.js';
import { originGate } from './middleware/origin.js';
import { rateLimit } from './middleware/rate-limit.js';
import { MemoryRateLimitStore } from './rate-limit.js';
import type { RateLimitStore } from './rate-limit.js';
import { channelRoutes, peersClaimPolicy } from './routes/channels.js';
import type { ChannelPolicy } from './routes/channels.js';
import { tokenRoutes } from './routes/tokens.js';
import { createStreamTokenSigner } from './tokens/stream-token.js';
import { createVirgilTokenSigner } from './tokens/virgil-token.js';

export type { ChannelPolicy } from './routes/channels.js';

export interface AppDeps {
  readonly config: ApiConfig;
  /** Where `/v1/channels` creates channels. Default: `StreamRestDirectory` (fetch + server token). */
  readonly channels?: ChannelDirectory;
  /** Replaces the default peers-claim policy of `/v1/channels`. */
  readonly channelPolicy?: ChannelPolicy;
  /** Default: stdout, or nothing when `AUDIT_LOG=off`. */
  readonly audit?: AuditSink;
  /** Default: a fresh `MemoryRateLimitStore`. */
  readonly rateLimitStore?: RateLimitStore;
  /** The runtime's view of the client IP (used unless `RATE_LIMIT_IP_HEADER` is set). */
  readonly clientIp?: (c: Context) => string | undefined;
  /** Overrides the portal key source (e.g. a local JWKS in tests). */
  readonly portalKeys?: JWTVerifyGetKey;
  /** Reports unexpected (500) errors; default: one line on stderr with the error's name only. */
  readonly onUnexpectedError?: (err: unknown) => void;
  readonly now?: () => number;
  /** HMAC / SHA-512 / Ed25519 implementation. Default: WebCrypto; the Node entry passes `node:crypto`. */
  readonly crypto?: CryptoProvider;
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
  const verifySession = createPortalVerifier(config.portal, deps.portalKeys);
  const store = deps.rateLimitStore ?? new MemoryRateLimitStore();
  const windowMs = config.rateLimit.windowS * 1000;
  const ipHeader = config.rateLimit.ipHeader;
  const clientIp = (c: Context): string =>
    (ipHeader ? c.req.header(ipHeader)?.split(',')[0]?.trim() : deps.clientIp?.(c))?.slice(0, 64) ||
    'unknown';
  const onUnexpected =
    deps.onUnexpectedError ??
    ((err: unknown) =>
      console.error(`[token-api] unexpected ${err instanceof Error ? err.name : typeof err}`));

  const app = new Hono<ApiEnv>();
  app.use('*', secureHeaders());
  app.get('/healthz', (c) => c.json({ status: 'ok' }));

  app.use('/v1/*', auditLog(deps.audit ?? (config.audit === 'off' ? silentAuditSink : stdoutAuditSink), now));
  // Set before the handler runs: headers added after a response exists force node-server to rebuild it.
  app.use('/v1/*', async function noStore(c, next) {
    c.header('Cache-Control', 'no-store');
    await next();
  });
  app.use('/v1/*', originGate(config.allowedOrigins));
  app.use(
    '/v1/*',
    rateLimit({ store, scope: 'ip', limit: config.rateLimit.perIp, windowMs, key: clientIp, now }),
  );
  app.use('/v1/*', bodyLimit(config.bodyLimitBytes));
  app.use('/v1/*', async function authenticate(c, next) {
    const session = await verifySession(c.req.header('authorization'));
    c.set('session', session);
    c.set('userId', await services.chatId(session.sub));
    await next();
  });
  app.use(
    '/v1/*',
    rateLimit({
      store,
      scope: 'user',
      limit: config.rateLimit.perUser,
      windowMs,
      key: (c) => c.get('userId'),
      now,
    }),
  );

  app.route('/v1', tokenRoutes(services));
  app.route('/v1', channelRoutes(services, deps.channelPolicy ?? peersClaimPolicy));

  app.notFound(() => {
    throw new ApiError('not-found', 'No such endpoint.', 'not-found');
  });
  app.onError((err, c) => toErrorResponse(err, c, onUnexpected));
  return app;
}
