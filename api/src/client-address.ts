/**
 * @module
 * The client address the per-IP rate limit keys on. Every proxy appends the address it saw to `X-Forwarded-For`
 * (or the configured list header), so with `trustedProxyHops` proxies of our own in front of the API, the entry the
 * outermost of them appended (the N-th from the right) is the right-most one nobody else could write: the client.
 * Everything left of it is whatever the client sent, so keying on the left-most entry would let any client pick
 * its own key. With no trusted proxy, or a list too short to have passed through all of them, the header proves
 * nothing and the connection's address (the socket peer, or the runtime's client IP) is used.
 */

/** Longest key part taken from a request, so a huge header cannot bloat the rate-limit store. */
const MAX_ADDRESS_LENGTH = 64;

export interface ClientAddressInput {
  /** The forwarded list header as received (repeated headers arrive joined with `, `, in order). */
  readonly forwarded: string | undefined;
  readonly trustedProxyHops: number;
  /** The runtime's view of the peer: the socket address on Node, `CF-Connecting-IP` on Workers. */
  readonly connection: string | undefined;
}

/**
 * The address to rate-limit by, or `unknown` when the runtime knows none.
 * @example clientAddress({ forwarded: '1.1.1.1, 203.0.113.9', trustedProxyHops: 1, connection: '10.0.0.2' }) // '203.0.113.9'
 */
export function clientAddress({ forwarded, trustedProxyHops, connection }: ClientAddressInput): string {
  const fromProxies = trustedProxyHops > 0 ? forwardedEntry(forwarded, trustedProxyHops) : undefined;
  return (fromProxies || connection?.trim() || 'unknown').slice(0, MAX_ADDRESS_LENGTH);
}

/** The `hops`-th entry from the right, or undefined when the list has fewer entries. */
function forwardedEntry(list: string | undefined, hops: number): string | undefined {
  if (list === undefined) return undefined;
  const entries = list.split(',');
  return entries[entries.length - hops]?.trim();
}
