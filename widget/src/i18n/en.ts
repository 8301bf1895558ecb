/**
 * English strings: the source catalogue. Every user-visible string in the widget comes from here through
 * `Localizer.t()`. Keys are grouped by screen; `{name}` placeholders are filled from the params.
 * Add a key here and to every other catalogue (es.ts) in the same change: the Catalogue type enforces it.
 */
export const en = {
  'status.connecting': 'Connecting securely…',
  'status.loading': 'Loading…',
} satisfies Record<string, string>;

export type MessageKey = keyof typeof en;
export type Catalogue = Record<MessageKey, string>;
