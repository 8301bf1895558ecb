// The only code that talks to the secure-chat token API. Maps HTTP failures to ErrorCode in one place.
import { SecureChatError, type ErrorCode } from '../core/errors.js';
import { parseOrganization } from '../core/organization.js';
import type { ApiPort, SessionInfo, StreamCredentials, VirgilCredentials } from '../core/ports.js';
import type { ServerClock } from '../core/server-clock.js';

export interface TokenApiOptions {
  /** Base URL of the token API, without a trailing slash. */
  apiUrl: string;
  /** Returns the portal session token; called before every request so the portal can refresh it. */
  sessionToken: () => Promise<string>;
  fetch?: typeof fetch;
  /** Learns the server's time from each answer (`serverTime`, else a readable `Date` header). */
  clock?: ServerClock;
}

/** The server's time in an answer and its resolution: `serverTime` (ms), else the `Date` header (whole seconds). */
function serverTimeOf(body: unknown, response: Response): { ms: number; resolutionMs: number } {
  const field = (body as { serverTime?: unknown } | null)?.serverTime;
  if (typeof field === 'string' || typeof field === 'number')
    return { ms: new Date(field).getTime(), resolutionMs: 0 };
  // Cross-origin, `Date` is readable only when the API exposes it.
  const header = response.headers.get('date');
  return { ms: header ? Date.parse(header) : Number.NaN, resolutionMs: 1000 };
}

/** Maps a token API response status (and its JSON error code) to the widget's error codes. */
export function errorCodeForStatus(status: number): ErrorCode {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 429) return 'rate-limited';
  return 'token-fetch-failed';
}

const MESSAGES: Partial<Record<ErrorCode, string>> = {
  unauthorized: 'Your portal session has ended. Sign in to the portal again to use secure chat.',
  forbidden: 'Secure chat refused this request: this site or this conversation is not allowed.',
  'rate-limited': 'Too many requests to secure chat. Wait a moment and try again.',
  'token-fetch-failed': 'Secure chat could not get its credentials. Try again later.',
};

/**
 * Creates an ApiPort over `fetch`.
 * @example
 * const api = createTokenApi({ apiUrl: 'https://chat-api.example', sessionToken: async () => portalJwt });
 * const { user, stream, virgil } = await api.session();
 */
export function createTokenApi(opts: TokenApiOptions): ApiPort {
  const base = opts.apiUrl.replace(/\/+$/, '');
  const doFetch = opts.fetch ?? globalThis.fetch.bind(globalThis);

  async function post<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T> {
    const token = await opts.sessionToken();
    if (!token) throw new SecureChatError('config', 'The portal did not provide a session token.');
    let response: Response;
    const sentAt = Date.now();
    try {
      response = await doFetch(`${base}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body ?? {}),
        ...(signal ? { signal } : {}),
      });
    } catch (cause) {
      if (signal?.aborted) throw new SecureChatError('aborted', 'The request was cancelled.', { cause });
      // A refused origin fails the CORS preflight, which the browser reports exactly like a network error.
      throw new SecureChatError(
        'network',
        'Secure chat could not reach its service, or the service does not accept requests from this site.',
        { cause, recoverable: true },
      );
    }
    if (!response.ok) {
      const code = errorCodeForStatus(response.status);
      throw new SecureChatError(code, MESSAGES[code] ?? 'Secure chat failed.', {
        recoverable: code === 'rate-limited' || code === 'token-fetch-failed',
      });
    }
    try {
      const body = (await response.json()) as T;
      const server = serverTimeOf(body, response);
      opts.clock?.observe(server.ms, sentAt, Date.now(), server.resolutionMs);
      return body;
    } catch (cause) {
      throw new SecureChatError('token-fetch-failed', 'Secure chat got an unreadable answer.', { cause });
    }
  }

  return {
    async session(signal) {
      const info = await post<SessionInfo>('/v1/session', {}, signal);
      if (!info?.user?.id || !info.stream?.token || !info.virgil?.token) {
        throw new SecureChatError('token-fetch-failed', 'Secure chat got an incomplete session.');
      }
      // The organization recipient, when the deployment pins one: its card is checked before every send.
      const { organization: raw, ...rest } = info;
      const organization = parseOrganization(raw);
      return {
        ...rest,
        contacts: Array.isArray(info.contacts) ? info.contacts : [],
        ...(organization ? { organization } : {}),
      };
    },
    async streamToken() {
      return (await post<StreamCredentials>('/v1/stream-credentials', {})).token;
    },
    async virgilToken() {
      return (await post<VirgilCredentials>('/v1/virgil-credentials', {})).token;
    },
    async openChannel(peers, signal) {
      return post<{ cid: string; members: string[] }>('/v1/channels', { peers }, signal);
    },
  };
}
