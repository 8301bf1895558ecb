// In-memory stand-in of the device's verified contacts and pinned keys (adapters/idb-verified-contacts.ts keeps them
// in IndexedDB), for DOM-free tests of key trust.
import type { PinnedKeys } from '../../src/core/key-trust.js';
import type { VerifiedContacts } from '../../src/core/verification.js';

export class MemoryKeyStore implements VerifiedContacts, PinnedKeys {
  /** `owner/contact` → fingerprint. */
  readonly verified = new Map<string, string>();
  readonly pinned = new Map<string, string>();
  writes = 0;

  async all(owner: string): Promise<Map<string, string>> {
    return ofOwner(this.verified, owner);
  }
  async set(owner: string, contact: string, fingerprint: string): Promise<void> {
    this.writes++;
    this.verified.set(`${owner}/${contact}`, fingerprint);
  }
  async remove(owner: string, contact: string): Promise<void> {
    this.writes++;
    this.verified.delete(`${owner}/${contact}`);
  }
  async pins(owner: string): Promise<Map<string, string>> {
    return ofOwner(this.pinned, owner);
  }
  async pin(owner: string, contact: string, fingerprint: string): Promise<void> {
    this.writes++;
    this.pinned.set(`${owner}/${contact}`, fingerprint);
  }
}

function ofOwner(rows: Map<string, string>, owner: string): Map<string, string> {
  const prefix = `${owner}/`;
  return new Map(
    [...rows].filter(([key]) => key.startsWith(prefix)).map(([key, fp]) => [key.slice(prefix.length), fp]),
  );
}
