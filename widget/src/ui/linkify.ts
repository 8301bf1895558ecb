// Splits message text into plain strings and https links. Pure: the caller renders strings as text nodes and
// builds <a> elements itself, so message content never becomes HTML. Plain http: addresses stay text: a link in a
// medical conversation should not send the reader anywhere over an unencrypted, rewritable connection.

export interface LinkPart {
  href: string;
  text: string;
}

export type TextPart = string | LinkPart;

const CANDIDATE = /\bhttps:\/\/[^\s<>"'`]+/gi;
// Punctuation that usually ends a sentence rather than a URL.
const TRAILING = /[.,;:!?)\]}'"]+$/;

/** The URL's canonical form if it is an absolute https URL, else undefined. */
export function safeHref(candidate: string): string | undefined {
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return undefined;
  }
  return url.protocol === 'https:' ? url.href : undefined;
}

export function linkify(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(CANDIDATE)) {
    const start = match.index;
    const raw = match[0].replace(TRAILING, '');
    const href = safeHref(raw);
    if (!href) continue;
    if (start > last) parts.push(text.slice(last, start));
    parts.push({ href, text: raw });
    last = start + raw.length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}
