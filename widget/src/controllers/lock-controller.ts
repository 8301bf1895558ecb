// The locked state of automatic logoff, and unlocking as a re-authentication. After a lock (idle, session limit,
// `lock()`, the portal's logout) nothing decrypted comes back until the user proves again who they are: through the
// portal's `reauthenticate` hook (a fresh portal session token, obtained after the user entered their credentials
// again), or, when a passkey protects this device's key and the portal set no hook, through a user-verified passkey
// assertion. Without either the widget stays locked: the user signs in again through the portal. DOM-free.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { LockCause } from '../core/audit.js';
import { SecureChatError } from '../core/errors.js';

/** How the locked screen unlocks: the portal's hook, this device's passkey, not at all, or not known yet. */
export type UnlockMethod = 'portal' | 'passkey' | 'none' | 'checking';

/** What the locked screen shows. */
export interface LockState {
  reason: LockCause;
  method: UnlockMethod;
  /** Waiting for the portal's sign-in or the passkey. */
  working: boolean;
  /** The last attempt failed or was cancelled; still locked. */
  failed: boolean;
}

export interface LockControllerOptions {
  /** The portal's re-authentication hook (the element's `reauthenticate` property), read when it is needed. */
  reauthenticate(): (() => Promise<string>) | undefined;
  /** When a passkey protects `identity`'s key on this device: the user-verified assertion that unwraps it. */
  passkeyFor(identity: string): Promise<(() => Promise<CryptoKey>) | undefined>;
  /** Drops everything of the session at once: downloads, keys, decrypted text (the element's lock steps). */
  clear(reason: LockCause): void;
  /** Starts a new session, once the user re-authenticated. */
  start(): Promise<void>;
}

/** What the user proved on the locked screen, for the new session. */
type Proof = { kind: 'portal'; token: string } | { kind: 'passkey'; key: CryptoKey };

export class LockController implements ReactiveController {
  #reason: LockCause | undefined;
  #working = false;
  #failed = false;
  /** The assertion for this device's passkey: undefined while looking, null when none protects the key. */
  #passkey: (() => Promise<CryptoKey>) | null | undefined;
  #lookup: Promise<void> = Promise.resolve();
  #proof: Proof | undefined;
  #unlocking: Promise<void> | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly opts: LockControllerOptions,
  ) {
    host.addController(this);
  }

  /** Removed from the page: a proof not used yet (a passkey-derived key, a token) is not kept for later. */
  hostDisconnected(): void {
    this.#proof = undefined;
  }

  get locked(): boolean {
    return this.#reason !== undefined;
  }

  /** The locked screen's state, or undefined when not locked. */
  get state(): LockState | undefined {
    const reason = this.#reason;
    if (!reason) return undefined;
    const method: UnlockMethod = this.opts.reauthenticate()
      ? 'portal'
      : this.#passkey
        ? 'passkey'
        : this.#passkey === null
          ? 'none'
          : 'checking';
    return { reason, method, working: this.#working, failed: this.#failed };
  }

  /**
   * Locks at once (false when already locked): clears the session through `clear`, then looks up in the background
   * whether a passkey protects `identity`'s key here (the user signed in on this device).
   */
  lock(reason: LockCause, identity: string | undefined): boolean {
    if (this.#reason) return false;
    this.#reason = reason;
    this.#working = false;
    this.#failed = false;
    this.#passkey = undefined;
    this.#proof = undefined;
    this.opts.clear(reason);
    const lookup = identity
      ? this.opts.passkeyFor(identity).catch(() => undefined)
      : Promise.resolve(undefined);
    this.#lookup = lookup.then((assert) => {
      if (this.#reason !== reason || this.#passkey !== undefined) return;
      this.#passkey = assert ?? null;
      this.host.requestUpdate();
    });
    return true;
  }

  /**
   * Re-authenticates and, once that succeeded, starts a new session. The locked screen's button and `reconnect()`
   * while locked come here. Rejects with `unauthorized` (and stays locked) when there is no way to re-authenticate
   * here, or when the portal's hook or the passkey failed or was cancelled. Concurrent calls share one attempt.
   */
  unlock(): Promise<void> {
    if (!this.#reason) return Promise.resolve();
    this.#unlocking ??= this.#reauthenticate().finally(() => (this.#unlocking = undefined));
    return this.#unlocking;
  }

  /**
   * The portal token source for the session being created. After a portal re-authentication its token is the one
   * `POST /v1/session` gets (never a token cached from before the lock); later requests ask `getSessionToken`
   * when the page set it, else reuse that token, else the fixed `sessionToken`.
   */
  tokenSource(
    getSessionToken: () => Promise<string> | undefined,
    sessionToken: () => string | undefined,
  ): () => Promise<string> | string | undefined {
    const proof = this.#proof?.kind === 'portal' ? this.#proof.token : undefined;
    if (proof) this.#proof = undefined;
    let first = proof;
    return () => {
      const token = first;
      first = undefined;
      return token ?? getSessionToken() ?? proof ?? sessionToken();
    };
  }

  /** The key the locked screen's passkey assertion derived, once: the new session unwraps the stored key with it. */
  takePasskeyKey(): CryptoKey | undefined {
    const proof = this.#proof;
    if (proof?.kind !== 'passkey') return undefined;
    this.#proof = undefined;
    return proof.key;
  }

  async #reauthenticate(): Promise<void> {
    const hook = this.opts.reauthenticate();
    if (!hook) await this.#lookup;
    const passkey = this.#passkey;
    if (!hook && !passkey) {
      throw new SecureChatError('unauthorized', 'Secure chat is locked: sign in again through the portal.');
    }
    this.#set(true, false);
    let proof: Proof;
    try {
      proof = hook
        ? { kind: 'portal', token: await freshToken(hook) }
        : { kind: 'passkey', key: await (passkey as () => Promise<CryptoKey>)() };
    } catch (cause) {
      this.#set(false, true);
      throw new SecureChatError(
        'unauthorized',
        'Secure chat stays locked: re-authentication did not succeed.',
        {
          cause,
          recoverable: true,
        },
      );
    }
    this.#proof = proof;
    this.#reason = undefined;
    this.#set(false, false);
    await this.opts.start();
  }

  #set(working: boolean, failed: boolean): void {
    this.#working = working;
    this.#failed = failed;
    this.host.requestUpdate();
  }
}

async function freshToken(hook: () => Promise<string>): Promise<string> {
  const token: unknown = await hook();
  if (typeof token !== 'string' || !token) throw new Error('The portal returned no session token.');
  return token;
}
