// Display names: the one place that says who someone is called. Names come only from the portal (through the token
// API), never from Stream.
import type { Person } from './ports.js';

/** The user and the contacts the portal listed for them. */
export interface People {
  readonly me: Person;
  readonly contacts: readonly Person[];
}

/** The portal's name for `userId`, or undefined when the portal has none (the UI then says "unknown member"). */
export function nameOf(people: People, userId: string): string | undefined {
  if (userId === people.me.id) return people.me.name;
  return people.contacts.find((c) => c.id === userId)?.name;
}

/** A message sender's name: the portal's, or the one the sender wrote into its own envelope (never vouched for). */
export interface SenderName {
  name: string;
  source: 'portal' | 'self-declared';
}

/** Longest self-declared name shown; longer ones are cut. */
const MAX_DECLARED_NAME = 64;

/**
 * A self-declared name made safe to show next to a mark: no control or format characters (so no bidi overrides
 * that would reorder the mark), whitespace collapsed, at most 64 characters; undefined when nothing is left.
 * @example declaredName('  Dr.\u202e Lee   Chen ') // 'Dr. Lee Chen'
 */
export function declaredName(name: string | undefined): string | undefined {
  const clean = (name ?? '')
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '')
    .replace(/\s+/g, ' ')
    .trim();
  return clean ? [...clean].slice(0, MAX_DECLARED_NAME).join('') : undefined;
}

/**
 * The name to show for a sender: the portal's name when it has one, else the envelope's name marked self-declared,
 * else none (the UI says "unknown member").
 * @example senderName(undefined, 'Dr. Lee Chen') // { name: 'Dr. Lee Chen', source: 'self-declared' }
 */
export function senderName(portal: string | undefined, declared: string | undefined): SenderName | undefined {
  if (portal) return { name: portal, source: 'portal' };
  const own = declaredName(declared);
  return own ? { name: own, source: 'self-declared' } : undefined;
}
