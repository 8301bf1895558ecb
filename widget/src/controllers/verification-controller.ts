// Key verification state for the open conversation: safety codes, verified contacts and key-change warnings.
import {
  html,
  nothing,
  type ReactiveController,
  type ReactiveControllerHost,
  type TemplateResult,
} from 'lit';
import type { VerificationState } from '../core/audit.js';
import type { CryptoPort } from '../core/ports.js';
import { formatSafetyCode, keyFingerprintHex, safetyCode } from '../core/safety-code.js';
import { trustFor, type ContactTrust, type VerifiedContacts } from '../core/verification.js';
import type { Localizer } from '../i18n/localize.js';
import type * as VerificationViews from '../ui/verification.js';

/** What verification needs from the crypto port: members' public keys. */
export type KeyDirectory = Pick<CryptoPort, 'publicKey'>;

export interface ContactKey {
  id: string;
  trust: ContactTrust;
  /** 60 digits, grouped in fives; absent while computing or when the contact has no key. */
  code?: string;
  fingerprint?: string;
}

export class VerificationController implements ReactiveController {
  /** Contacts whose verified key changed: their messages are not shown as trusted. */
  readonly changed = new Set<string>();
  contacts: ContactKey[] = [];
  #owner = '';
  #verified = new Map<string, string>();
  #keys: KeyDirectory | undefined;
  #generation = 0;
  /** The safety-code panel is open. */
  #panelOpen = false;
  #views: typeof VerificationViews | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly store: () => VerifiedContacts,
    private readonly onChange: (contact: string, state: VerificationState) => void,
  ) {
    host.addController(this);
  }

  /** Removed from the page: the session stops, and what it verified is forgotten with it. */
  hostDisconnected(): void {
    this.reset();
  }

  /** A new session's crypto port. */
  attach(port: KeyDirectory): void {
    this.#keys = port;
  }

  /** Forgets everything in memory (lock, sign-out, new session). */
  reset(): void {
    this.#generation++;
    this.#keys = undefined;
    this.#owner = '';
    this.#verified.clear();
    this.changed.clear();
    this.contacts = [];
    this.#panelOpen = false;
    this.host.requestUpdate();
  }

  /** The key-change warnings and the safety-code panel (a lazy chunk, loaded with the first conversation). */
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
      verify: (id) => void this.verify(id),
      unverify: (id) => void this.unverify(id),
      acknowledge: (id) => void this.unverify(id, true),
    };
    return html`<div class="safeguards">
      ${views.renderKeyChangeWarnings(this.contacts, actions)}${views.renderVerification(this.contacts, actions)}
    </div>`;
  }

  /** Loads the user's verifications and computes every member's current trust and safety code. */
  async load(owner: string, members: readonly string[]): Promise<void> {
    if (!this.#views) {
      void import('../ui/verification.js').then((views) => {
        this.#views = views;
        this.host.requestUpdate();
      });
    }
    const generation = this.#generation;
    this.#owner = owner;
    const verified = await this.store().all(owner);
    if (generation !== this.#generation) return;
    this.#verified = verified;
    await this.#compute(members.filter((m) => m !== owner));
  }

  /** Opening the panel: looks up members who had no key yet (they may have registered since). */
  async refreshMissing(members: readonly string[]): Promise<void> {
    const missing = members.filter(
      (m) => m !== this.#owner && !this.contacts.find((c) => c.id === m && c.fingerprint),
    );
    if (missing.length) await this.#compute(missing, true);
  }

  /** The card cache saw a new key for `contact`: distrust at once if they were verified, then re-check. */
  keyChanged(contact: string): void {
    if (this.#verified.has(contact)) {
      this.changed.add(contact);
      this.host.requestUpdate();
    }
    void this.#compute([contact], true);
  }

  /** The user compared the codes for the contact's current key. */
  async verify(contact: string): Promise<void> {
    const current = this.contacts.find((c) => c.id === contact)?.fingerprint;
    if (!current) return;
    await this.store().set(this.#owner, contact, current);
    this.#verified.set(contact, current);
    this.#setTrust(contact, 'verified');
    this.onChange(contact, 'verified');
  }

  /** Removes a verification, or accepts a changed key without comparing: the contact becomes unverified. */
  async unverify(contact: string, acknowledged = false): Promise<void> {
    await this.store().remove(this.#owner, contact);
    this.#verified.delete(contact);
    this.#setTrust(contact, 'unverified');
    this.onChange(contact, acknowledged ? 'acknowledged' : 'unverified');
  }

  /** Runs in the background: a closed session or a failed lookup leaves the codes unknown until the next look. */
  async #compute(ids: readonly string[], refresh = false): Promise<void> {
    try {
      await this.#computeCodes(ids, refresh);
    } catch {
      // Nothing to show yet; opening the safety-code panel retries (refreshMissing).
    }
  }

  async #computeCodes(ids: readonly string[], refresh: boolean): Promise<void> {
    const keys = this.#keys;
    const generation = this.#generation;
    if (!keys || !this.#owner) return;
    const ownKey = await keys.publicKey(this.#owner);
    for (const id of ids) {
      const theirKey = await keys.publicKey(id, refresh);
      if (generation !== this.#generation) return;
      const entry: ContactKey = { id, trust: 'unverified' };
      if (ownKey && theirKey) {
        entry.fingerprint = await keyFingerprintHex(theirKey);
        entry.code = formatSafetyCode(
          await safetyCode({ id: this.#owner, publicKey: ownKey }, { id, publicKey: theirKey }),
        );
      }
      if (generation !== this.#generation) return;
      entry.trust = trustFor(this.#verified.get(id), entry.fingerprint);
      const before = this.contacts.find((c) => c.id === id)?.trust;
      this.contacts = [...this.contacts.filter((c) => c.id !== id), entry];
      this.#setTrust(id, entry.trust);
      if (entry.trust === 'key-changed' && before !== 'key-changed') this.onChange(id, 'key-changed');
    }
  }

  #setTrust(contact: string, trust: ContactTrust): void {
    this.contacts = this.contacts.map((c) => (c.id === contact ? { ...c, trust } : c));
    if (trust === 'key-changed') this.changed.add(contact);
    else this.changed.delete(contact);
    this.host.requestUpdate();
  }
}
