// The sender's card held at a time. No DOM and no E3Kit instance: the widget's E3Kit adapter and the organization's
// export (api/tools/record) choose cards by the same rule.
import type { ICard } from 'virgil-sdk';
import type { KeyValidity } from '../core/ports.js';

/** Card creation times are whole seconds. */
export const CARD_TIME_PRECISION_MS = 1000;

/**
 * The sender's card at `at` and the period it was current: the newest card created by then, else the oldest one
 * (nothing else could sign before it). Like E3Kit's own choice, without its error for times before the first card.
 */
export function cardAt(card: ICard, at: Date): { card: ICard; valid: KeyValidity } {
  let current = card;
  let successor: ICard | undefined;
  while (current.previousCard && current.createdAt.getTime() > at.getTime()) {
    successor = current;
    current = current.previousCard;
  }
  const valid: KeyValidity = {};
  if (current.previousCard) valid.from = current.createdAt.getTime();
  if (successor) valid.until = successor.createdAt.getTime() + CARD_TIME_PRECISION_MS;
  return { card: current, valid };
}
