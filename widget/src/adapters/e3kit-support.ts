// Helpers of the E3Kit adapter that need no E3Kit instance: choosing the sender's card for a time, classifying
// decryption failures, the cross-tab identity lock, and abort signals for E3Kit's streamed file operations.
import type { FailureReason } from '../core/ports.js';
export { CARD_TIME_PRECISION_MS, cardAt } from './card-at.js';
import type { DecryptFailureKind } from './crypto-worker-protocol.js';

export const errorName = (e: unknown) => (e as { name?: string } | undefined)?.name ?? '';

/** Runs `task` while holding a cross-tab lock, so two tabs never register or restore the same identity at once. */
export async function withIdentityLock<T>(identity: string, task: () => Promise<T>): Promise<T> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  if (!locks) return task();
  return locks.request(`secure-chat:identity:${identity}`, task) as Promise<T>;
}

/** A failure the decryption worker classified already (its errors do not cross the thread with their details). */
export class DecryptFailure extends Error {
  override readonly name = 'DecryptFailure';
  constructor(readonly kind: DecryptFailureKind) {
    super(`The message could not be decrypted or verified (${kind}).`);
  }
}

/** Classifies an authDecrypt failure into the reason the user sees. */
export function classifyDecryptError(error: unknown): 'recipient-missing' | FailureReason {
  if (error instanceof DecryptFailure) return error.kind;
  const name = errorName(error);
  const status = (error as { status?: string })?.status;
  const message = String((error as { message?: string })?.message ?? '');
  if (name === 'FoundationError' && /recipient .*not found/i.test(message)) return 'recipient-missing';
  if (name === 'MissingPrivateKeyError') return 'not-for-this-device';
  if (status === 'SIGNER_NOT_FOUND' || status === 'INVALID_SIGNATURE' || status === 'DATA_NOT_SIGNED') {
    return 'unverified-sender';
  }
  return 'tampered';
}

/**
 * Runs one streamed E3Kit file operation with a signal that aborts when any of `signals` does, and only while the
 * operation runs: E3Kit disposes its stream cipher on abort, and an abort after it finished would dispose it twice.
 */
export async function withAbort<T>(
  signals: readonly (AbortSignal | undefined)[],
  run: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const abort = () => controller.abort();
  const live = signals.filter((s): s is AbortSignal => s !== undefined);
  for (const s of live) {
    if (s.aborted) controller.abort();
    else s.addEventListener('abort', abort);
  }
  try {
    return await run(controller.signal);
  } finally {
    for (const s of live) s.removeEventListener('abort', abort);
  }
}
