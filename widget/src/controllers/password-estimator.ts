// zxcvbn-ts with the heads of its ranked dictionaries (widget/scripts/password-lists.ts cuts them at build time): a
// lazy chunk, fetched only while a backup password is chosen.
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs } from '@zxcvbn-ts/language-common';
import lists from 'virtual:password-lists';

const zxcvbn = new ZxcvbnFactory({ dictionary: lists, graphs: adjacencyGraphs });

/** zxcvbn's score, 0 (guessed at once) to 4 (very hard to guess); `related` words count as known to an attacker. */
export function passwordScore(password: string, related: readonly string[]): number {
  return zxcvbn.check(password, [...related]).score;
}
