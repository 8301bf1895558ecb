/**
 * @module
 * Configuration of the token API, read once from environment variables (Node `process.env`, Workers bindings).
 * `readConfig` validates every variable up front and throws one `ConfigError` listing every problem; each message
 * names the variable and never echoes its value, so a mistyped secret cannot end up in a log. With
 * `NODE_ENV=production` it refuses secrets that are known development values, and `http:` in any URL or origin
 * (the portal keys, Stream, Virgil, the portal origins) and `redis:` for the rate-limit store: plain connections are
 * for the local demo on loopback only.
 */
import type { StoreErrorPolicy } from './middleware/rate-limit.js';
import type { RateLimitStoreKind } from './rate-limit.js';

/** The Ed25519 PKCS#8 DER prefix (`MC4CAQAwBQYDK2VwBCIEI…`): the format of a Virgil App Key. */
const ED25519_PKCS8_PREFIX = [
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
];

/** Secret values that must never reach production (placeholders from docs and examples). */
const KNOWN_DEV_VALUES = new Set([
  'dev',
  'secret',
  'changeme',
  'change-me',
  'test',
  'dev-secret',
  'development',
  'example',
]);
/** `demo/dev/dev-secrets.ts` generates Stream API keys of this shape. */
const DEV_STREAM_KEY = /^dev[0-9a-f]{12}$/;

export interface PortalKeyConfig {
  /** HS256 shared secret, or a JWKS URL for RS256 / ES256 / EdDSA. Exactly one is set. */
  readonly secret?: string;
  readonly jwksUrl?: string;
}

export interface ApiConfig {
  /** The portal origins that embed the widget; frame isolation checks its embedder against these. */
  readonly allowedOrigins: ReadonlySet<string>;
  /**
   * Origins serving the widget's isolation frame (`isolation="frame"`, the widget's CDN): they may call the API, but
   * are not embedding origins (docs/isolation.md).
   */
  readonly frameOrigins: ReadonlySet<string>;
  readonly portal: PortalKeyConfig & {
    readonly issuer: string;
    readonly audience: string;
    readonly leewayS: number;
    readonly nameClaim: string;
    readonly peersClaim: string;
  };
  readonly userIdSecret: string;
  readonly stream: {
    readonly apiKey: string;
    readonly apiSecret: string;
    readonly baseURL: string;
    readonly tokenTtlS: number;
  };
  readonly virgil: {
    readonly appId: string;
    readonly appKeyId: string;
    /** The App Key's Ed25519 private key, PKCS#8 DER. */
    readonly appKey: Uint8Array<ArrayBuffer>;
    readonly apiUrl: string;
    readonly tokenTtlS: number;
  };
  readonly rateLimit: {
    readonly windowS: number;
    readonly perUser: number;
    readonly perIp: number;
    /**
     * How many proxies in front of the API append the address they saw to `forwardedHeader`. 0: the header is
     * ignored and the per-IP limit keys on the connection's address (the socket peer, or `CF-Connecting-IP`).
     */
    readonly trustedProxyHops: number;
    /** Lower-case name of the list header those proxies append to; read only when `trustedProxyHops` > 0. */
    readonly forwardedHeader: string;
    /** Where the limits are counted: `memory` is per process (per isolate on Workers); the others are shared. */
    readonly store: RateLimitStoreKind;
    /** `redis:` or `rediss:` URL; set exactly when `store` is `redis`. */
    readonly redisUrl?: string;
    /** When a shared store cannot decide: `closed` answers 503, `open` lets the request through. */
    readonly onStoreError: StoreErrorPolicy;
  };
  /**
   * The organization recipient (break glass, docs/medical-record.md): pinned by identity, card id and public key,
   * and sent to the widget with every session; absent unless all of `ORGANIZATION_*` are set.
   */
  readonly organization?: OrganizationRecipient;
  readonly bodyLimitBytes: number;
  readonly audit: 'stdout' | 'off';
  /** `NODE_ENV=production`. */
  readonly production: boolean;
  /** `enforce`: no tokens while the Stream app is not configured safely (always on in production). */
  readonly streamAppCheck: 'enforce' | 'off';
}

export interface OrganizationRecipient {
  /** Its Virgil identity; never of the shape of a chat user id (`u` + 32 hex), so no portal user can hold it. */
  readonly identity: string;
  /** The id of the card `npm run org-key -- create` published (64 hex). */
  readonly cardId: string;
  /** Base64 of the public key's DER export, as the ceremony printed it. */
  readonly publicKey: string;
  /** The organization's name in the widget's disclosure notice. */
  readonly name?: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid token API configuration:\n- ${problems.join('\n- ')}`);
  }
}

export interface ReadConfigOptions {
  /** Further values to treat as development secrets in production (e.g. the local dev-secrets file). */
  readonly devSecrets?: Iterable<string>;
  /** The runtime reading the configuration: each offers its own shared rate-limit store. Default: either. */
  readonly runtime?: 'node' | 'workers';
}

/** The shared rate-limit store each runtime offers (besides `memory`). */
const SHARED_STORE: Record<'node' | 'workers', RateLimitStoreKind> = {
  node: 'redis',
  workers: 'durable-object',
};

/**
 * Validates the environment once and returns the typed configuration.
 * @throws ConfigError naming every missing or invalid variable (never its value).
 * @example const config = readConfig(process.env);
 */
export function readConfig(env: Record<string, string | undefined>, opts: ReadConfigOptions = {}): ApiConfig {
  const problems: string[] = [];
  const get = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  const required = (name: string): string => {
    const value = get(name);
    if (value === undefined) problems.push(`${name} is required`);
    return value ?? '';
  };
  const secret = (name: string, value: string | undefined): void => {
    if (value !== undefined && value.length < 32) problems.push(`${name} must be at least 32 characters`);
  };
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = get(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max) {
      problems.push(`${name} must be an integer from ${min} to ${max}`);
      return fallback;
    }
    return value;
  };
  const production = get('NODE_ENV') === 'production';
  // The one scheme rule for every URL and origin: production talks TLS only, even to loopback (a deployment has no
  // business with plain http); elsewhere http: stays allowed because the local demo runs on loopback http.
  const refuseHttpInProduction = (name: string, protocol: string): void => {
    if (production && protocol === 'http:')
      problems.push(`${name} must use https: with NODE_ENV=production (http: is for local development only)`);
  };
  const baseUrl = (name: string, fallback: string): string => {
    const raw = get(name) ?? fallback;
    try {
      const url = new URL(raw);
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('scheme');
      if (url.search || url.hash || url.username || url.password) throw new Error('extras');
      refuseHttpInProduction(name, url.protocol);
    } catch {
      problems.push(`${name} must be an http(s) URL without query, fragment or credentials`);
    }
    return raw.replace(/\/+$/, '');
  };

  const origins = (name: string, list: string): Set<string> => {
    const found = new Set<string>();
    for (const item of list.split(',')) {
      const origin = item.trim();
      if (!origin) continue;
      if (!isExactOrigin(origin)) {
        problems.push(
          `${name} must list exact origins such as https://portal.example (scheme, host, optional port)`,
        );
        break;
      }
      found.add(origin);
    }
    for (const scheme of new Set([...found].map((origin) => new URL(origin).protocol)))
      refuseHttpInProduction(name, scheme);
    return found;
  };
  const allowedOrigins = origins('ALLOWED_ORIGINS', required('ALLOWED_ORIGINS'));
  if (get('ALLOWED_ORIGINS') !== undefined && allowedOrigins.size === 0)
    problems.push('ALLOWED_ORIGINS lists no origin');
  const frameOrigins = origins('FRAME_ORIGINS', get('FRAME_ORIGINS') ?? '');

  const portalSecret = get('PORTAL_JWT_SECRET');
  const jwksUrl = get('PORTAL_JWKS_URL');
  if (portalSecret === undefined && jwksUrl === undefined)
    problems.push('PORTAL_JWT_SECRET or PORTAL_JWKS_URL is required');
  if (portalSecret !== undefined && jwksUrl !== undefined)
    problems.push('set only one of PORTAL_JWT_SECRET and PORTAL_JWKS_URL');
  secret('PORTAL_JWT_SECRET', portalSecret);
  if (jwksUrl !== undefined) baseUrl('PORTAL_JWKS_URL', jwksUrl);

  const claim = (name: string, fallback: string): string => {
    const value = get(name) ?? fallback;
    if (!/^[A-Za-z0-9_:.\-/]{1,100}$/.test(value)) problems.push(`${name} must be a claim name`);
    return value;
  };

  const userIdSecret = required('USER_ID_SECRET');
  secret('USER_ID_SECRET', get('USER_ID_SECRET'));
  const streamSecret = required('STREAM_API_SECRET');
  const streamKey = required('STREAM_API_KEY');

  const appKeyB64 = required('VIRGIL_APP_KEY');
  let appKey: Uint8Array<ArrayBuffer> = new Uint8Array();
  if (appKeyB64) {
    appKey = decodeBase64(appKeyB64) ?? new Uint8Array();
    const isEd25519 = appKey.length === 48 && ED25519_PKCS8_PREFIX.every((byte, i) => appKey[i] === byte);
    if (!isEd25519)
      problems.push(
        'VIRGIL_APP_KEY must be an Ed25519 private key, base64 PKCS#8 DER (MC4CAQAwBQYDK2VwBCIEI…)',
      );
  }

  const trustedProxyHops = int('TRUSTED_PROXY_HOPS', 0, 0, 10);
  const forwardedHeader = get('RATE_LIMIT_IP_HEADER');
  if (forwardedHeader !== undefined && !/^[A-Za-z0-9-]{1,64}$/.test(forwardedHeader))
    problems.push('RATE_LIMIT_IP_HEADER must be a header name');
  // Without a trusted proxy the header is the client's own say; naming it anyway is a misconfiguration, not a no-op.
  else if (forwardedHeader !== undefined && trustedProxyHops === 0)
    problems.push('RATE_LIMIT_IP_HEADER is read only with TRUSTED_PROXY_HOPS of 1 or more');
  const rateLimitStore = readRateLimitStore(get, problems, production, opts.runtime);
  const audit = get('AUDIT_LOG') ?? 'stdout';
  if (audit !== 'stdout' && audit !== 'off') problems.push('AUDIT_LOG must be "stdout" or "off"');
  const streamAppCheck = get('STREAM_APP_CHECK') ?? (production ? 'enforce' : 'off');
  if (streamAppCheck !== 'enforce' && streamAppCheck !== 'off')
    problems.push('STREAM_APP_CHECK must be "enforce" or "off"');
  else if (production && streamAppCheck === 'off')
    problems.push('STREAM_APP_CHECK cannot be "off" with NODE_ENV=production');

  const organization = readOrganization(get, problems);

  const config: ApiConfig = {
    allowedOrigins,
    frameOrigins,
    portal: {
      ...(portalSecret !== undefined ? { secret: portalSecret } : {}),
      ...(jwksUrl !== undefined ? { jwksUrl } : {}),
      issuer: required('PORTAL_JWT_ISSUER'),
      audience: required('PORTAL_JWT_AUDIENCE'),
      leewayS: int('PORTAL_JWT_LEEWAY_S', 30, 0, 300),
      nameClaim: claim('PORTAL_NAME_CLAIM', 'name'),
      peersClaim: claim('PORTAL_PEERS_CLAIM', 'peers'),
    },
    userIdSecret,
    stream: {
      apiKey: streamKey,
      apiSecret: streamSecret,
      baseURL: baseUrl('STREAM_BASE_URL', 'https://chat.stream-io-api.com'),
      tokenTtlS: int('STREAM_TOKEN_TTL_S', 3600, 60, 86_400),
    },
    virgil: {
      appId: required('VIRGIL_APP_ID'),
      appKeyId: required('VIRGIL_APP_KEY_ID'),
      appKey,
      apiUrl: baseUrl('VIRGIL_API_URL', 'https://api.virgilsecurity.com'),
      tokenTtlS: int('VIRGIL_TOKEN_TTL_S', 1200, 60, 86_400),
    },
    rateLimit: {
      windowS: int('RATE_LIMIT_WINDOW_S', 60, 1, 3600),
      perUser: int('RATE_LIMIT_PER_USER', 30, 1, 100_000),
      perIp: int('RATE_LIMIT_PER_IP', 120, 1, 1_000_000),
      trustedProxyHops,
      forwardedHeader: (forwardedHeader ?? 'x-forwarded-for').toLowerCase(),
      ...rateLimitStore,
    },
    ...(organization ? { organization } : {}),
    bodyLimitBytes: int('BODY_LIMIT_BYTES', 8192, 256, 1_048_576),
    audit: audit === 'off' ? 'off' : 'stdout',
    production,
    streamAppCheck: streamAppCheck === 'enforce' ? 'enforce' : 'off',
  };

  if (production) {
    const devValues = new Set([...KNOWN_DEV_VALUES, ...(opts.devSecrets ?? [])]);
    const secrets: Array<[string, string | undefined]> = [
      ['PORTAL_JWT_SECRET', portalSecret],
      ['USER_ID_SECRET', userIdSecret],
      ['STREAM_API_SECRET', streamSecret],
      ['STREAM_API_KEY', streamKey],
      ['VIRGIL_APP_KEY', appKeyB64],
    ];
    for (const [name, value] of secrets) {
      if (
        value &&
        (devValues.has(value) ||
          devValues.has(value.toLowerCase()) ||
          (name === 'STREAM_API_KEY' && DEV_STREAM_KEY.test(value)))
      ) {
        problems.push(`${name} is a development value; refusing to start with NODE_ENV=production`);
      }
    }
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** `ORGANIZATION_IDENTITY`, `ORGANIZATION_CARD_ID`, `ORGANIZATION_PUBLIC_KEY` (all or none), `ORGANIZATION_NAME`. */
function readOrganization(
  get: (name: string) => string | undefined,
  problems: string[],
): OrganizationRecipient | undefined {
  const identity = get('ORGANIZATION_IDENTITY');
  const cardId = get('ORGANIZATION_CARD_ID');
  const publicKey = get('ORGANIZATION_PUBLIC_KEY');
  const name = get('ORGANIZATION_NAME');
  const set = [identity, cardId, publicKey].filter((v) => v !== undefined).length;
  if (set === 0) {
    if (name !== undefined) problems.push('ORGANIZATION_NAME is read only with ORGANIZATION_IDENTITY');
    return undefined;
  }
  if (set < 3) {
    problems.push('ORGANIZATION_IDENTITY, ORGANIZATION_CARD_ID and ORGANIZATION_PUBLIC_KEY are set together');
    return undefined;
  }
  if (!/^[A-Za-z0-9@._:-]{1,64}$/.test(identity!) || /^u[0-9a-f]{32}$/.test(identity!))
    problems.push('ORGANIZATION_IDENTITY must be 1-64 of [A-Za-z0-9@._:-] and not a chat user id');
  if (!/^[0-9a-f]{64}$/.test(cardId!)) problems.push('ORGANIZATION_CARD_ID must be a card id (64 hex)');
  if (!decodeBase64(publicKey!)) problems.push('ORGANIZATION_PUBLIC_KEY must be base64 (DER public key)');
  if (name !== undefined && name.length > 100)
    problems.push('ORGANIZATION_NAME must be at most 100 characters');
  return { identity: identity!, cardId: cardId!, publicKey: publicKey!, ...(name ? { name } : {}) };
}

/** `RATE_LIMIT_STORE`, `REDIS_URL` and `RATE_LIMIT_ON_STORE_ERROR`, checked against each other and the runtime. */
function readRateLimitStore(
  get: (name: string) => string | undefined,
  problems: string[],
  production: boolean,
  runtime: 'node' | 'workers' | undefined,
): Pick<ApiConfig['rateLimit'], 'store' | 'redisUrl' | 'onStoreError'> {
  const offered: RateLimitStoreKind[] = runtime
    ? ['memory', SHARED_STORE[runtime]]
    : ['memory', 'redis', 'durable-object'];
  const raw = get('RATE_LIMIT_STORE') ?? 'memory';
  let store: RateLimitStoreKind = 'memory';
  if ((offered as string[]).includes(raw)) store = raw as RateLimitStoreKind;
  else if (raw === 'redis' || raw === 'durable-object')
    problems.push(
      `RATE_LIMIT_STORE "${raw}" is not available on ${runtime ?? 'this runtime'}; use ${offered.join(' or ')}`,
    );
  else problems.push(`RATE_LIMIT_STORE must be ${offered.map((kind) => `"${kind}"`).join(' or ')}`);

  const redisUrl = get('REDIS_URL');
  // A URL without the store, or the store without a URL, is a deployment that believes it shares limits and does not.
  if (redisUrl !== undefined && store !== 'redis')
    problems.push('REDIS_URL is read only with RATE_LIMIT_STORE=redis');
  if (redisUrl === undefined && store === 'redis')
    problems.push('REDIS_URL is required with RATE_LIMIT_STORE=redis');
  if (redisUrl !== undefined && store === 'redis') {
    let protocol = '';
    try {
      protocol = new URL(redisUrl).protocol;
    } catch {
      // Reported below, without the value: it may carry a password.
    }
    if (protocol !== 'redis:' && protocol !== 'rediss:')
      problems.push('REDIS_URL must be a redis: or rediss: URL');
    else if (production && protocol === 'redis:')
      problems.push(
        'REDIS_URL must use rediss: (TLS) with NODE_ENV=production (redis: is for local development only)',
      );
  }

  const onStoreError = get('RATE_LIMIT_ON_STORE_ERROR');
  if (onStoreError !== undefined && onStoreError !== 'closed' && onStoreError !== 'open')
    problems.push('RATE_LIMIT_ON_STORE_ERROR must be "closed" or "open"');
  else if (onStoreError !== undefined && store === 'memory')
    problems.push(
      'RATE_LIMIT_ON_STORE_ERROR applies only to a shared RATE_LIMIT_STORE (redis or durable-object)',
    );
  return {
    store,
    ...(store === 'redis' && redisUrl !== undefined ? { redisUrl } : {}),
    onStoreError: onStoreError === 'open' ? 'open' : 'closed',
  };
}

function isExactOrigin(origin: string): boolean {
  try {
    const url = new URL(origin);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === origin;
  } catch {
    return false;
  }
}

function decodeBase64(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return undefined;
  try {
    return Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
  } catch {
    return undefined;
  }
}
