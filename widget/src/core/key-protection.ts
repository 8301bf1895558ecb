// The passkey offer's view of this identity's stored key (the key protected at rest). Implemented by the E3Kit
// adapter over WrappedKeyStorage; used by the element's PasskeyController. Pure types: no SDK or Lit imports.

/** `device`: wrapped under the device key; `passkey`: under a passkey's PRF; `declined`: device key, offer refused. */
export type KeyProtectionState = 'device' | 'passkey' | 'declined';

export interface KeyProtection {
  /** Whether a passkey with PRF can be offered here, and how the key is wrapped now. */
  status(): Promise<{ supported: boolean; state: KeyProtectionState }>;
  /**
   * Creates a passkey (label: what the passkey manager shows, never a person's name) and re-wraps the stored key
   * under its PRF-derived key. Rejects with `PasskeyPrfUnavailableError` when the passkey has no PRF.
   */
  protect(label: string): Promise<void>;
  /** Keeps the device key and remembers not to offer again for this identity. */
  decline(): Promise<void>;
}

/** The user chose to restore from the backup password instead of unlocking with the passkey. */
export class PasskeySkippedError extends Error {
  override readonly name = 'PasskeySkippedError';
  constructor() {
    super('The passkey was skipped; the key will be restored from the backup.');
  }
}
