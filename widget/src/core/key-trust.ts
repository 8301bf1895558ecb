/**
 * Trust on first use (TOFU) for every contact, together with verification by safety codes, for the signed-in user on
 * this device. The first key fingerprint seen for a contact is pinned; a later different key is a key change,
 * whether or not the user ever verified them: their messages (and conversation-list previews) are not trusted until
 * the user accepts the new key, which pins it, or verifies it. A verified contact whose key changed stays distrusted
 * until verified again, or accepted (and then unverified). Only ids and SHA-256 key fingerprints are stored.
 */
import type { VerificationState } from './audit.js';
import { trustFor, type ContactTrust, type VerifiedContacts } from './verification.js';

/** The first key fingerprint seen for each contact (the port; `adapters/idb-verified-contacts.ts` keeps them). */
export interface PinnedKeys {
  /** Every contact of `owner` with a pinned fingerprint. */
  pins(owner: string): Promise<Map<string, string>>;
  pin(owner: string, contact: string, fingerprint: string): Promise<void>;
}

/** One contact's current key, as this device judges it. */
export interface ContactKeyState {
  trust: ContactTrust;
  /** SHA-256 (hex) of the current public key; absent when the contact has no key. */
  fingerprint?: string;
  /** The user had verified a key of this contact (a change then reads "since you verified it"). */
  wasVerified: boolean;
}

export interface KeyTrustDeps {
  /** The signed-in user's chat id: pins and verifications are theirs. */
  owner: string;
  verified: VerifiedContacts;
  pinned: PinnedKeys;
  /** The contact's current key fingerprint (undefined: no key); `refresh` looks their key up again. */
  fingerprint(contact: string, refresh: boolean): Promise<string | undefined>;
  /** A contact's state changed; `audit` names the change for the audit trail when there is one to record. */
  onChange(contact: string, audit?: VerificationState): void;
}

interface Stored {
  verified: Map<string, string>;
  pins: Map<string, string>;
}

export class KeyTrust {
  /** Contacts whose key changed and whose new key the user has not accepted or verified: not trusted. */
  readonly changed = new Set<string>();
  readonly #states = new Map<string, ContactKeyState>();
  readonly #checks = new Map<string, Promise<ContactKeyState | undefined>>();
  #load: Promise<Stored> | undefined;
  /** The stored maps, once loaded (read synchronously when the card cache reports a new key). */
  #stored: Stored | undefined;
  #closed = false;

  constructor(private readonly deps: KeyTrustDeps) {}

  get owner(): string {
    return this.deps.owner;
  }

  /** The contact's key state, once checked in this session. */
  state(contact: string): ContactKeyState | undefined {
    return this.#states.get(contact);
  }

  /**
   * Looks up the contact's current key and judges it against the verified and pinned ones, pinning it when it is the
   * first key seen. Once per session per contact (concurrent calls share it), unless `refresh`.
   */
  check(contact: string, refresh = false): Promise<ContactKeyState | undefined> {
    const pending = this.#checks.get(contact);
    if (pending && !refresh) return pending;
    const check = this.deps.fingerprint(contact, refresh).then((fp) => this.assess(contact, fp));
    this.#checks.set(contact, check);
    // A failed lookup is tried again on the next check.
    check.catch(() => this.#checks.get(contact) === check && this.#checks.delete(contact));
    return check;
  }

  /** Judges a fingerprint the caller already has (the safety-code panel computes them). */
  async assess(contact: string, fingerprint: string | undefined): Promise<ContactKeyState | undefined> {
    const { verified, pins } = await this.#stores();
    if (this.#closed) return undefined;
    const verifiedKey = verified.get(contact);
    let pinned = pins.get(contact) ?? verifiedKey;
    if (pinned === undefined && fingerprint !== undefined) {
      pinned = fingerprint;
      pins.set(contact, fingerprint);
      await this.deps.pinned.pin(this.deps.owner, contact, fingerprint).catch(() => undefined);
    }
    const state: ContactKeyState = {
      trust: trustFor(verifiedKey, fingerprint, pinned),
      ...(fingerprint !== undefined ? { fingerprint } : {}),
      wasVerified: verifiedKey !== undefined,
    };
    this.#set(contact, state);
    this.#checks.set(contact, Promise.resolve(state));
    return state;
  }

  /**
   * The card cache fetched a different key for `contact`: distrust at once (before the message that made it look is
   * shown) when a key of theirs was pinned or verified, then check the new key.
   */
  keyChanged(contact: string): void {
    const known = this.#stored;
    if (known?.pins.has(contact) || known?.verified.has(contact)) {
      // The new key's fingerprint is not known until the check below: none, so nothing can pin the old one.
      this.#set(contact, { trust: 'key-changed', wasVerified: known.verified.has(contact) });
    }
    this.check(contact, true).catch(() => undefined);
  }

  /** The user compared safety codes for the contact's current key: verified, and pinned. */
  async verify(contact: string): Promise<void> {
    const fingerprint = (await this.#current(contact))?.fingerprint;
    if (!fingerprint) return;
    const { verified, pins } = await this.#stores();
    await this.deps.verified.set(this.deps.owner, contact, fingerprint);
    await this.deps.pinned.pin(this.deps.owner, contact, fingerprint);
    verified.set(contact, fingerprint);
    pins.set(contact, fingerprint);
    this.#set(contact, { trust: 'verified', fingerprint, wasVerified: true }, 'verified');
  }

  /**
   * Removes a verification. With `acknowledged` the user accepts a changed key without comparing: it is pinned
   * as the contact's key, and the contact becomes unverified.
   */
  async unverify(contact: string, acknowledged = false): Promise<void> {
    const fingerprint = (await this.#current(contact))?.fingerprint;
    const { verified, pins } = await this.#stores();
    await this.deps.verified.remove(this.deps.owner, contact);
    verified.delete(contact);
    if (acknowledged && fingerprint) {
      await this.deps.pinned.pin(this.deps.owner, contact, fingerprint);
      pins.set(contact, fingerprint);
    }
    const state: ContactKeyState = {
      trust: trustFor(undefined, fingerprint, pins.get(contact)),
      ...(fingerprint !== undefined ? { fingerprint } : {}),
      wasVerified: false,
    };
    this.#set(contact, state, acknowledged ? 'acknowledged' : 'unverified');
  }

  /** Accepts a contact's changed key (see `unverify`). */
  acknowledge(contact: string): Promise<void> {
    return this.unverify(contact, true);
  }

  /** The session ended: forget everything in memory; late answers are ignored. */
  close(): void {
    this.#closed = true;
    this.#states.clear();
    this.#checks.clear();
    this.changed.clear();
  }

  /** The contact's state once a check in flight (a new key being looked up) has settled. */
  async #current(contact: string): Promise<ContactKeyState | undefined> {
    await this.#checks.get(contact)?.catch(() => undefined);
    return this.#states.get(contact);
  }

  #stores(): Promise<Stored> {
    this.#load ??= Promise.all([
      this.deps.verified.all(this.deps.owner),
      this.deps.pinned.pins(this.deps.owner),
    ]).then(
      ([verified, pins]) => (this.#stored = { verified, pins }),
      (error: unknown) => {
        this.#load = undefined; // read again next time
        throw error;
      },
    );
    return this.#load;
  }

  #set(contact: string, state: ContactKeyState, audit?: VerificationState): void {
    if (this.#closed) return;
    const before = this.#states.get(contact)?.trust;
    this.#states.set(contact, state);
    if (state.trust === 'key-changed') this.changed.add(contact);
    else this.changed.delete(contact);
    const changedNow = state.trust === 'key-changed' && before !== 'key-changed';
    this.deps.onChange(contact, audit ?? (changedNow ? 'key-changed' : undefined));
  }
}
