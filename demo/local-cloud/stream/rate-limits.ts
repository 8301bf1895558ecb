/**
 * Stream's rate limits: per endpoint and platform, an app-wide limit per window (one minute), plus a per-user limit
 * (60 per minute per endpoint) for user-side calls; server-side calls are subject to the app limit only. Every
 * limited response carries `X-RateLimit-Limit`, `X-RateLimit-Remaining` and `X-RateLimit-Reset` (epoch seconds);
 * a request over a limit answers 429 with code 9 and is not counted.
 */
import { badInput, StreamApiError } from './errors.js';

export interface EndpointLimit {
  /** Requests per window for the whole app, per platform. */
  limit: number;
  /** Requests per window for one user, per platform (user-side calls only). */
  userLimit: number;
  windowSeconds: number;
}
/** Per endpoint name; `*` applies to every endpoint (a named entry wins over it). */
export type RateLimitOverrides = Record<string, Partial<EndpointLimit>>;

/** Stream's documented default per-user limit: 60 requests per minute per endpoint and platform. */
const USER_LIMIT = 60;
const WINDOW_SECONDS = 60;

/**
 * Per-minute app limits from Stream's chat rate-limit table (self-serve plans). Endpoints the table does not list
 * (marked "≈") take the limit of their closest sibling; see the README.
 */
export const DEFAULT_APP_LIMITS: Record<string, number> = {
  GetOrCreateChannel: 10_000,
  GetApp: 10_000,
  MarkChannelsRead: 10_000, // "Mark All Read" in the table
  MarkRead: 10_000,
  MarkUnread: 10_000, // ≈ MarkRead
  MarkDelivered: 10_000, // ≈ MarkRead
  QueryChannels: 10_000,
  SendEvent: 10_000,
  DeleteMessage: 1_000,
  DeleteReaction: 1_000,
  GetMessage: 1_000,
  GetManyMessages: 1_000, // ≈ GetMessage
  GetReplies: 1_000,
  QueryUsers: 1_000,
  SendMessage: 1_000,
  SendReaction: 1_000,
  StopWatchingChannel: 1_000,
  UpdateMessage: 1_000,
  UpdateMessagePartial: 1_000, // ≈ UpdateMessage
  UploadFile: 1_000,
  UploadImage: 1_000,
  UnreadCounts: 1_000, // ≈ GetMessage
  HideChannel: 300,
  Search: 300,
  ShowChannel: 300,
  UpdateChannel: 300,
  UpdateUsers: 300,
  UpdateUsersPartial: 300,
  DeleteChannel: 60,
  DeleteFile: 60,
  DeleteImage: 60, // ≈ DeleteFile
  GetChannelType: 60,
  UpdateChannelType: 60,
  GetRateLimits: 60, // ≈ GetChannelType
};
/** Endpoints the stand-in does not implement still get headers, from this bucket. */
const OTHER = 'Other';
const OTHER_LIMIT = 1_000;

const ROUTES: Array<[method: string, pattern: RegExp, endpoint: string]> = [
  ['POST', /^\/channels$/, 'QueryChannels'],
  ['POST', /^\/channels\/delivered$/, 'MarkDelivered'],
  ['POST', /^\/channels\/read$/, 'MarkChannelsRead'],
  ['POST', /^\/channels\/[^/]+(\/[^/]+)?\/query$/, 'GetOrCreateChannel'],
  ['POST', /^\/channels\/[^/]+\/[^/]+\/message$/, 'SendMessage'],
  ['GET', /^\/channels\/[^/]+\/[^/]+\/messages$/, 'GetManyMessages'],
  ['POST', /^\/channels\/[^/]+\/[^/]+\/event$/, 'SendEvent'],
  ['POST', /^\/channels\/[^/]+\/[^/]+\/read$/, 'MarkRead'],
  ['POST', /^\/channels\/[^/]+\/[^/]+\/unread$/, 'MarkUnread'],
  ['POST', /^\/channels\/[^/]+\/[^/]+\/hide$/, 'HideChannel'],
  ['POST', /^\/channels\/[^/]+\/[^/]+\/show$/, 'ShowChannel'],
  ['POST', /^\/channels\/[^/]+\/[^/]+\/stop-watching$/, 'StopWatchingChannel'],
  ['POST', /^\/channels\/[^/]+\/[^/]+\/file$/, 'UploadFile'],
  ['POST', /^\/channels\/[^/]+\/[^/]+\/image$/, 'UploadImage'],
  ['DELETE', /^\/channels\/[^/]+\/[^/]+\/file$/, 'DeleteFile'],
  ['DELETE', /^\/channels\/[^/]+\/[^/]+\/image$/, 'DeleteImage'],
  ['POST', /^\/channels\/[^/]+\/[^/]+$/, 'UpdateChannel'],
  ['DELETE', /^\/channels\/[^/]+\/[^/]+$/, 'DeleteChannel'],
  ['GET', /^\/messages\/[^/]+\/replies$/, 'GetReplies'],
  ['POST', /^\/messages\/[^/]+\/reaction$/, 'SendReaction'],
  ['DELETE', /^\/messages\/[^/]+\/reaction\/[^/]+$/, 'DeleteReaction'],
  ['GET', /^\/messages\/[^/]+$/, 'GetMessage'],
  ['POST', /^\/messages\/[^/]+$/, 'UpdateMessage'],
  ['PUT', /^\/messages\/[^/]+$/, 'UpdateMessagePartial'],
  ['DELETE', /^\/messages\/[^/]+$/, 'DeleteMessage'],
  ['GET', /^\/users$/, 'QueryUsers'],
  ['POST', /^\/users$/, 'UpdateUsers'],
  ['PATCH', /^\/users$/, 'UpdateUsersPartial'],
  ['GET', /^\/search$/, 'Search'],
  ['GET', /^\/app$/, 'GetApp'],
  ['GET', /^\/unread$/, 'UnreadCounts'],
  ['GET', /^\/channeltypes\/[^/]+$/, 'GetChannelType'],
  ['PUT', /^\/channeltypes\/[^/]+$/, 'UpdateChannelType'],
  ['GET', /^\/rate_limits$/, 'GetRateLimits'],
];

/** Stream's endpoint name for a request (the names the rate-limit table and `GET /rate_limits` use). */
export function endpointOf(method: string, path: string): string {
  return ROUTES.find(([m, pattern]) => m === method && pattern.test(path))?.[2] ?? OTHER;
}

/** Stream counts per platform: server-side, or the SDK platform named in `X-Stream-Client`. */
export function platformOf(isServer: boolean, streamClient: string | undefined): string {
  if (isServer) return 'server_side';
  const ua = (streamClient ?? '').toLowerCase();
  if (ua.includes('android')) return 'android';
  if (ua.includes('ios') || ua.includes('swift')) return 'ios';
  return 'web';
}

export interface RateLimitState {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Epoch seconds when the binding window ends. */
  reset: number;
}

interface Window {
  start: number;
  count: number;
}

export class RateLimiter {
  #overrides: RateLimitOverrides;
  readonly #windows = new Map<string, Window>();

  constructor(overrides: RateLimitOverrides = {}) {
    this.#overrides = validOverrides(overrides);
  }

  /** Replaces the overrides and starts every window afresh. */
  configure(overrides: RateLimitOverrides): void {
    this.#overrides = validOverrides(overrides);
    this.#windows.clear();
  }

  limitFor(endpoint: string): EndpointLimit {
    return {
      limit: DEFAULT_APP_LIMITS[endpoint] ?? OTHER_LIMIT,
      userLimit: USER_LIMIT,
      windowSeconds: WINDOW_SECONDS,
      ...this.#overrides['*'],
      ...this.#overrides[endpoint],
    };
  }

  /** Counts one request unless a limit is reached; the headers describe the tighter of the app and user limits. */
  take(endpoint: string, platform: string, userId: string | null, now = Date.now()): RateLimitState {
    const spec = this.limitFor(endpoint);
    const buckets = [{ window: this.#window(`app|${platform}|${endpoint}`, spec, now), limit: spec.limit }];
    if (userId && platform !== 'server_side') {
      buckets.push({
        window: this.#window(`user|${platform}|${endpoint}|${userId}`, spec, now),
        limit: spec.userLimit,
      });
    }
    const allowed = buckets.every((b) => b.window.count < b.limit);
    if (allowed) for (const b of buckets) b.window.count += 1;
    const binding = buckets.reduce((a, b) => (b.limit - b.window.count < a.limit - a.window.count ? b : a));
    return {
      allowed,
      limit: binding.limit,
      remaining: Math.max(0, binding.limit - binding.window.count),
      reset: Math.ceil((binding.window.start + spec.windowSeconds * 1000) / 1000),
    };
  }

  /** Usage of the app-wide windows, as `GET /rate_limits` reports it. */
  usage(
    platform: string,
    endpoint: string,
    now = Date.now(),
  ): { limit: number; remaining: number; reset: number } {
    const spec = this.limitFor(endpoint);
    const window = this.#window(`app|${platform}|${endpoint}`, spec, now);
    return {
      limit: spec.limit,
      remaining: Math.max(0, spec.limit - window.count),
      reset: Math.ceil((window.start + spec.windowSeconds * 1000) / 1000),
    };
  }

  #window(key: string, spec: EndpointLimit, now: number): Window {
    let window = this.#windows.get(key);
    if (!window || now >= window.start + spec.windowSeconds * 1000) {
      window = { start: now, count: 0 };
      this.#windows.set(key, window);
    }
    return window;
  }
}

export function rateLimitHeaders(state: RateLimitState): Record<string, string> {
  return {
    'X-RateLimit-Limit': String(state.limit),
    'X-RateLimit-Remaining': String(state.remaining),
    'X-RateLimit-Reset': String(state.reset),
  };
}

export const tooManyRequests = (endpoint: string) =>
  new StreamApiError(
    429,
    9,
    `${endpoint} failed with error: "Too many requests, check response headers for more information."`,
  );

/** `LOCAL_STREAM_RATE_LIMITS`: JSON like `{"SendMessage":{"userLimit":2,"windowSeconds":5}}`. */
export function rateLimitsFromEnv(raw: string | undefined): RateLimitOverrides {
  if (!raw) return {};
  try {
    return validOverrides(JSON.parse(raw) as RateLimitOverrides);
  } catch (err) {
    throw new Error(
      `LOCAL_STREAM_RATE_LIMITS is not valid: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

function validOverrides(overrides: RateLimitOverrides): RateLimitOverrides {
  if (!overrides || typeof overrides !== 'object' || Array.isArray(overrides))
    throw badInput(
      'RateLimits',
      'rate limits must be a map of endpoint to {limit, userLimit, windowSeconds}',
    );
  for (const [endpoint, spec] of Object.entries(overrides)) {
    for (const [key, value] of Object.entries(spec ?? {})) {
      if (!['limit', 'userLimit', 'windowSeconds'].includes(key))
        throw badInput('RateLimits', `${endpoint}.${key} is not a rate-limit setting`);
      if (typeof value !== 'number' || !(value > 0))
        throw badInput('RateLimits', `${endpoint}.${key} must be a positive number`);
    }
  }
  return overrides;
}
