// Cache of members' public-key cards.
//
// Refresh policy (documented in docs/element.md, "Card cache policy"):
// 1. A card is reused for encryption for at most `ttlMs` (default 5 minutes) after it was fetched; older entries are
//    fetched again before the next message is encrypted. A member who rotates their key therefore stops receiving
//    messages for the old key within `ttlMs`.
// 2. When a message from a member fails to verify, that member's card is fetched again at once and decryption is
//    retried once (a new key shows up as soon as its first message arrives).
// 3. A refetch that returns a card with a different id reports a key change through `onKeyChange`.
// 4. Concurrent lookups for the same member share one request.

export interface CardCacheOptions<Card> {
  fetch: (ids: readonly string[]) => Promise<Map<string, Card>>;
  cardId: (card: Card) => string;
  ttlMs?: number;
  now?: () => number;
  onKeyChange?: (userId: string) => void;
}

interface Entry<Card> {
  card: Card;
  fetchedAt: number;
}

export const DEFAULT_CARD_TTL_MS = 5 * 60_000;

export class CardCache<Card> {
  readonly #entries = new Map<string, Entry<Card>>();
  readonly #inflight = new Map<string, Promise<void>>();
  readonly #ttl: number;
  readonly #now: () => number;

  constructor(private readonly opts: CardCacheOptions<Card>) {
    this.#ttl = opts.ttlMs ?? DEFAULT_CARD_TTL_MS;
    this.#now = opts.now ?? Date.now;
  }

  /** Returns cards for `ids`, fetching those missing, stale, or listed in `refresh`. Missing users are absent. */
  async get(ids: readonly string[], refresh: readonly string[] = []): Promise<Map<string, Card>> {
    const now = this.#now();
    const wanted = [...new Set(ids)];
    const toFetch = wanted.filter((id) => {
      if (this.#inflight.has(id)) return false;
      const entry = this.#entries.get(id);
      return !entry || refresh.includes(id) || now - entry.fetchedAt >= this.#ttl;
    });
    if (toFetch.length > 0) {
      const request = this.#fetch(toFetch);
      for (const id of toFetch) this.#inflight.set(id, request);
    }
    await Promise.all(wanted.map((id) => this.#inflight.get(id)));
    const result = new Map<string, Card>();
    for (const id of wanted) {
      const entry = this.#entries.get(id);
      if (entry) result.set(id, entry.card);
    }
    return result;
  }

  invalidate(id: string): void {
    this.#entries.delete(id);
  }

  clear(): void {
    this.#entries.clear();
  }

  async #fetch(ids: readonly string[]): Promise<void> {
    try {
      const cards = await this.opts.fetch(ids);
      const fetchedAt = this.#now();
      for (const id of ids) {
        const card = cards.get(id);
        const previous = this.#entries.get(id);
        if (!card) {
          this.#entries.delete(id);
          continue;
        }
        if (previous && this.opts.cardId(previous.card) !== this.opts.cardId(card))
          this.opts.onKeyChange?.(id);
        this.#entries.set(id, { card, fetchedAt });
      }
    } finally {
      for (const id of ids) this.#inflight.delete(id);
    }
  }
}
