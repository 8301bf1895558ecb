// DOM-free view-model rules of the conversation list: avatars (initials and a colour from the id, never an image),
// the name search, and which contacts the new-conversation picker offers. Part of the lazy list chunk.

/**
 * Avatar backgrounds. Each keeps white initials at 4.5:1 or more (WCAG AA for text), so one palette serves both
 * themes; `conversation-list-model.test.ts` checks the ratios.
 */
export const AVATAR_COLOURS = [
  '#1d4ed8',
  '#047857',
  '#7e22ce',
  '#be185d',
  '#0f766e',
  '#c2410c',
  '#4338ca',
  '#a21caf',
] as const;

/** Up to two initials from a display name ("Dr. Ana María López" → "AL"); "?" when there is no name. */
export function initials(name: string | undefined): string {
  const words = (name ?? '')
    .split(/[\s\-_.,]+/u)
    .map((w) => w.replace(/[^\p{L}\p{N}]/gu, ''))
    .filter((w) => w && !/^(dr|mr|mrs|ms|prof|sr|sra|srta|dra)$/iu.test(w));
  const first = words[0];
  if (!first) return '?';
  const last = words.length > 1 ? words[words.length - 1] : undefined;
  // Array.from keeps a letter outside the BMP whole instead of cutting a surrogate pair.
  const letter = (w: string) => Array.from(w)[0] ?? '';
  return (letter(first) + (last ? letter(last) : '')).toLocaleUpperCase();
}

/**
 * A stable palette index for an id (FNV-1a): the same person keeps the same colour on every device. An index, not a
 * colour, because the view sets it as a class: a strict CSP blocks style attributes.
 */
export function avatarTone(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % AVATAR_COLOURS.length;
}

/** Folds case and accents, so "jose" finds "José" and "ANA" finds "Ana". */
export function foldForSearch(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase().trim();
}

/** True when every word of `query` starts a word of `name` or occurs in it ("ana lo" matches "Ana López"). */
export function matchesName(name: string, query: string): boolean {
  const wanted = foldForSearch(query).split(/\s+/u).filter(Boolean);
  if (!wanted.length) return true;
  const folded = foldForSearch(name);
  return wanted.every((word) => folded.includes(word));
}

/** The rows whose member names match the search; all rows for an empty query. Order is kept. */
export function filterByName<T>(items: readonly T[], query: string, names: (item: T) => string): T[] {
  return items.filter((item) => matchesName(names(item), query));
}

export interface PickerContact {
  readonly sub: string;
  readonly name: string | undefined;
}

/** The contacts the picker lists for `query`: those matching by name, in the portal's order (chosen ones too). */
export function pickerOptions<C extends PickerContact>(
  contacts: readonly C[],
  query: string,
  unknownName: string,
): C[] {
  return contacts.filter((c) => matchesName(c.name ?? unknownName, query));
}
