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
