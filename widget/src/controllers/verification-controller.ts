// Key verification for the session: trust on first use for every contact and verified contacts (core/key-trust.ts),
// the safety codes of the open conversation's members, and the key-change notices.
import {
  html,
  nothing,
  type ReactiveController,
  type ReactiveControllerHost,
  type TemplateResult,
} from 'lit';
import type { VerificationState } from '../core/audit.js';
import { KeyTrust, type PinnedKeys } from '../core/key-trust.js';
import type { CryptoPort } from '../core/ports.js';
import { formatSafetyCode, keyFingerprintHex, safetyCode } from '../core/safety-code.js';
import type { ContactTrust, VerifiedContacts } from '../core/verification.js';
import type { Localizer } from '../i18n/localize.js';
import type * as VerificationViews from '../ui/verification.js';

/** What verification needs from the crypto port: whose keys, and members' public keys. */
export type KeyDirectory = Pick<CryptoPort, 'identity' | 'publicKey'>;

export interface ContactKey {
  id: string;
  trust: ContactTrust;
  /** 60 digits, grouped in fives; absent while computing or when the contact has no key. */
  code?: string;
  fingerprint?: string;
  /** The user had verified this contact before (a key change then reads "since you verified it"). */
  wasVerified?: boolean;
}

const NONE: ReadonlySet<string> = new Set();

export class VerificationController implements ReactiveController {
  contacts: ContactKey[] = [];
  #keys: KeyDirectory | undefined;
  #trust: KeyTrust | undefined;
  #generation = 0;
  readonly #computing = new Set<string>();
  /** The safety-code panel is open. */
  #panelOpen = false;
  #views: typeof VerificationViews | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    /** The device's verified contacts and pinned keys (IndexedDB in the element). */
    private readonly store: () => VerifiedContacts & PinnedKeys,
    private readonly onChange: (contact: string, state: VerificationState) => void,
  ) {
    host.addController(this);
  }

  /** Removed from the page: the session stops, and what it verified is forgotten with it. */
  hostDisconnected(): void {
    this.reset();
  }

  /** Contacts whose key changed and was not accepted or verified again: their messages are not trusted. */
  get changed(): ReadonlySet<string> {
    return this.#trust?.changed ?? NONE;
  }

  /** The session's key trust (the conversation list checks preview senders through it). */
  get trust(): KeyTrust | undefined {
    return this.#trust;
  }

  /** A new session's crypto port: pins and verifications of its user start being checked. */
  attach(port: KeyDirectory): void {
    this.#trust?.close();
    this.#keys = port;
    const store = this.store();
    this.#trust = new KeyTrust({
      owner: port.identity,
      verified: store,
      pinned: store,
      fingerprint: async (id, refresh) => {
        const key = await port.publicKey(id, refresh);
        return key ? keyFingerprintHex(key) : undefined;
      },
      onChange: (contact, audit) => this.#changedTrust(contact, audit),
    });
  }

  /** Forgets everything in memory (lock, sign-out, new session). */
  reset(): void {
    this.#generation++;
    this.#keys = undefined;
    this.#trust?.close();
    this.#trust = undefined;
    this.contacts = [];
    this.#panelOpen = false;
    this.host.requestUpdate();
  }

  /** Opens the safety-code panel (from the conversation's menu) and computes any code still missing. */
  showPanel(members: readonly string[]): void {
    this.#panelOpen = true;
    this.host.requestUpdate();
    void this.refreshMissing(members);
  }

  /** The key-change notices and the safety-code panel (a lazy chunk, loaded with the first conversation). */
  render(
    i18n: Localizer,
    nameOf: (id: string) => string | undefined,
    members: readonly string[],
  ): TemplateResult | typeof nothing {
    const views = this.#views;
    if (!views) return nothing;
    const actions: VerificationViews.VerificationActions = {
      i18n,
      open: this.#panelOpen,
      nameOf: (id) => nameOf(id) ?? i18n.t('message.unknownMember'),
      toggle: (open) => {
        this.#panelOpen = open;
        this.host.requestUpdate();
        if (open) void this.refreshMissing(members);
      },
      verify: (id) => void this.#trust?.verify(id),
      unverify: (id) => void this.#trust?.unverify(id),
      acknowledge: (id) => void this.#trust?.acknowledge(id),
    };
    const shown = this.contacts.filter((c) => members.includes(c.id));
    return html`<div class="safeguards">
      ${views.renderKeyChangeWarnings(shown, actions)}${views.renderVerification(shown, actions)}
    </div>`;
  }

  /** The conversation opened: checks every member's key and computes their safety codes. */
  async load(owner: string, members: readonly string[]): Promise<void> {
    if (!this.#views) {
      void import('../ui/verification.js').then((views) => {
        this.#views = views;
        this.host.requestUpdate();
      });
    }
    await this.#compute(members.filter((m) => m !== owner));
  }

  /** Opening the panel: looks up members who had no key yet (they may have registered since). */
  async refreshMissing(members: readonly string[]): Promise<void> {
    const owner = this.#keys?.identity;
    const missing = members.filter(
      (m) => m !== owner && !this.contacts.find((c) => c.id === m && c.fingerprint),
    );
    if (missing.length) await this.#compute(missing, true);
  }

  /** A message from `contact` verified: if their key was not checked yet (they had none then), check it now. */
  seen(contact: string): void {
    const trust = this.#trust;
    if (trust && contact !== this.#keys?.identity && !trust.state(contact)?.fingerprint) {
      void this.#compute([contact]);
    }
  }

  /** The card cache saw a new key for `contact`: distrust at once if a key of theirs was known, then re-check. */
  keyChanged(contact: string): void {
    // The code shown was the old key's: it goes (with its notice) until the new one is computed; the contact's
    // messages are hidden at once.
    this.contacts = this.contacts.filter((c) => c.id !== contact);
    this.#trust?.keyChanged(contact);
    void this.#compute([contact], true);
  }

  /** Runs in the background: a closed session or a failed lookup leaves the codes unknown until the next look. */
  async #compute(ids: readonly string[], refresh = false): Promise<void> {
    // A contact already being computed is not computed twice at once (safety codes are costly), unless refreshed.
    const todo = refresh ? ids : ids.filter((id) => !this.#computing.has(id));
    for (const id of todo) this.#computing.add(id);
    try {
      await this.#computeCodes(todo, refresh);
    } catch {
      // Nothing to show yet; opening the safety-code panel retries (refreshMissing).
    } finally {
      for (const id of todo) this.#computing.delete(id);
    }
  }

  async #computeCodes(ids: readonly string[], refresh: boolean): Promise<void> {
    const keys = this.#keys;
    const trust = this.#trust;
    const generation = this.#generation;
    if (!keys || !trust) return;
    const owner = keys.identity;
    const ownKey = await keys.publicKey(owner);
    for (const id of ids) {
      const theirKey = await keys.publicKey(id, refresh);
      if (generation !== this.#generation) return;
      const entry: ContactKey = { id, trust: 'unverified' };
      if (theirKey) entry.fingerprint = await keyFingerprintHex(theirKey);
      // Judged (and pinned on first use) first: a changed key hides the contact's messages before the costly code.
      await trust.assess(id, entry.fingerprint);
      if (ownKey && theirKey) {
        entry.code = formatSafetyCode(
          await safetyCode({ id: owner, publicKey: ownKey }, { id, publicKey: theirKey }),
        );
      }
      if (generation !== this.#generation) return;
      this.contacts = [...this.contacts.filter((c) => c.id !== id), entry];
      this.#changedTrust(id);
    }
  }

  /** A contact's trust changed: the panel and notices follow it; changes worth recording go to the audit trail. */
  #changedTrust(contact: string, audit?: VerificationState): void {
    const state = this.#trust?.state(contact);
    if (state) {
      this.contacts = this.contacts.map((c) =>
        c.id === contact ? { ...c, trust: state.trust, wasVerified: state.wasVerified } : c,
      );
    }
    if (audit) this.onChange(contact, audit);
    this.host.requestUpdate();
  }
}
