// The backup password guards the private key against anyone who can reach the key backup (the key directory, or
// someone who holds its credentials) and guess offline-rate-limited; a length rule alone lets "password123" through.

import type * as Estimator from './password-estimator.js';

export const MIN_BACKUP_PASSWORD_LENGTH = 8;
/** zxcvbn's "safely unguessable" level: about 10^10 guesses and more. */
export const MIN_BACKUP_PASSWORD_SCORE = 3;

export type PasswordVerdict = 'ok' | 'too-short' | 'too-guessable';

let estimator: Promise<typeof Estimator> | undefined;

function loadEstimator(): Promise<typeof Estimator> {
  estimator ??= import('./password-estimator.js').catch((error: unknown) => {
    estimator = undefined; // a failed load (offline, the page leaving) is tried again on the next check
    throw error;
  });
  return estimator;
}

/** Starts loading the estimator (when the backup screen shows), so checking on submit does not wait for it. */
export function preloadPasswordEstimator(): void {
  // Only a head start: judgeBackupPassword loads it again if this failed, and reports a failure there.
  loadEstimator().catch(() => {});
}

/** Judges a new backup password; `related` are words an attacker knows (the user's name and id, the product). */
export async function judgeBackupPassword(
  password: string,
  related: readonly string[],
): Promise<PasswordVerdict> {
  if (password.length < MIN_BACKUP_PASSWORD_LENGTH) return 'too-short';
  const { passwordScore } = await loadEstimator();
  return passwordScore(password, knownWords(related)) >= MIN_BACKUP_PASSWORD_SCORE ? 'ok' : 'too-guessable';
}

/** "Alice Patient" is known as itself, "alicepatient", "alice" and "patient". */
function knownWords(related: readonly string[]): string[] {
  const words = new Set<string>();
  for (const phrase of related) {
    const lower = phrase.toLowerCase();
    const parts = lower.split(/[^\p{L}\p{N}]+/u).filter((part) => part.length > 2);
    for (const word of [lower, parts.join(''), ...parts]) if (word) words.add(word);
  }
  return [...words];
}
