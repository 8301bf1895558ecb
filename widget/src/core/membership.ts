// Who is in a conversation, as the user agreed: the members pinned on this device. Stream reports the current
// members, but whoever holds Stream's server credentials can change them. A member Stream reports that is not pinned
// is "unconfirmed": nothing is encrypted to them until the user confirms. A pinned member Stream no longer reports is
// "removed": nothing is encrypted to them either. See docs/security-model.md ("Conversation membership").
import type { Person, PinnedMembers } from './ports.js';

/** Where a conversation's pinned members came from when it opened. */
export type PinSource =
  | 'portal' // the token API's /v1/channels answer, for the portal's own peers
  | 'stored' // pinned earlier on this device
  | 'first-use'; // first open on this device: what Stream reported (trust on first use)

export interface MembershipDeps {
  cid: string;
  /** The user's own id: always a member, never unconfirmed. */
  me: string;
  store: PinnedMembers;
  /** Members confirmed by the `/v1/channels` answer the conversation was opened with (see `portalConfirmed`). */
  confirmed?: readonly string[];
}

export class Membership {
  #pinned: ReadonlySet<string> | undefined;
  /** How the pin was established; undefined until `load` ran. */
  source: PinSource | undefined;

  constructor(private readonly deps: MembershipDeps) {}

  /** The pinned ids (the user included), sorted; undefined until `load` ran. */
  get pinned(): readonly string[] | undefined {
    return this.#pinned ? [...this.#pinned].sort() : undefined;
  }

  /**
   * Establishes the pin when the conversation opens: the portal's confirmation if there is one, else what this
   * device pinned before, else (first open on this device) the members Stream reports now.
   */
  async load(current: readonly string[]): Promise<PinSource> {
    const { confirmed, store, me, cid } = this.deps;
    if (confirmed) {
      await this.#pin(confirmed);
      return (this.source = 'portal');
    }
    // An unreadable store counts as a first open: the pin then lasts for this session.
    const stored = await store.get(me, cid).catch(() => undefined);
    if (stored) {
      this.#pinned = new Set([...stored, me]);
      return (this.source = 'stored');
    }
    await this.#pin(current);
    return (this.source = 'first-use');
  }

  /** True for the user and pinned members; false for everyone else, and for everyone before `load`. */
  isPinned(id: string): boolean {
    return this.#pinned !== undefined && (id === this.deps.me || this.#pinned.has(id));
  }

  /** Members Stream reports that the user has not agreed to. */
  unconfirmed(current: readonly string[]): string[] {
    const pinned = this.#pinned;
    return pinned ? current.filter((id) => id !== this.deps.me && !pinned.has(id)) : [];
  }

  /** Pinned members Stream no longer reports. */
  removed(current: readonly string[]): string[] {
    const pinned = this.#pinned;
    return pinned ? [...pinned].filter((id) => id !== this.deps.me && !current.includes(id)).sort() : [];
  }

  /** Who a message is sealed to: pinned members Stream still reports, and the user; undefined before `load`. */
  recipients(current: readonly string[]): string[] | undefined {
    const pinned = this.#pinned;
    if (!pinned) return undefined;
    const me = this.deps.me;
    return [me, ...current.filter((id) => id !== me && pinned.has(id))];
  }

  /** The user agreed to these members: they are pinned, and sealed to from now on. */
  confirm(ids: readonly string[]): Promise<void> {
    return this.#pin([...(this.#pinned ?? []), ...ids]);
  }

  /** The user took note that these members left: they are no longer pinned. */
  forget(ids: readonly string[]): Promise<void> {
    return this.#pin([...(this.#pinned ?? [])].filter((id) => !ids.includes(id)));
  }

  /** A new `/v1/channels` answer for this conversation: its members become the pin, without asking. */
  confirmFromPortal(ids: readonly string[]): Promise<void> {
    this.source = 'portal';
    return this.#pin(ids);
  }

  /** In memory at once; stored on this device as well as it can be (a failed write keeps the pin for this session). */
  async #pin(ids: readonly string[]): Promise<void> {
    const { store, me, cid } = this.deps;
    const next = new Set([...ids, me]);
    this.#pinned = next;
    await store.set(me, cid, [...next].sort()).catch(() => undefined);
  }
}

/**
 * The members a `/v1/channels` answer confirms: the ids it lists that are the user, or a requested peer the portal
 * names as a contact (its `sub` is among `peers`). The answer's other ids are not confirmed: they came from the chat
 * service, not from the portal's peers.
 * @example portalConfirmed(['me', 'bob', 'eve'], ['bob-sub'], 'me', [{ id: 'bob', sub: 'bob-sub' }]) // ['me', 'bob']
 */
export function portalConfirmed(
  answer: readonly string[],
  peers: readonly string[],
  me: string,
  contacts: readonly Person[],
): string[] {
  const expected = new Set([
    me,
    ...contacts.filter((c) => c.sub !== undefined && peers.includes(c.sub)).map((c) => c.id),
  ]);
  return [...new Set(answer)].filter((id) => expected.has(id));
}
