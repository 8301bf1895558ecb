/**
 * The one localization layer: picks a catalogue from the `lang` attribute or the document language, fills
 * `{placeholders}`, and formats dates and numbers with `Intl` in the same locale.
 */
import { en, type Catalogue, type MessageKey } from './en.js';

export type { MessageKey } from './en.js';

const LOADERS: Record<string, () => Promise<Catalogue>> = {
  es: async () => (await import('./es.js')).es,
};

const RTL_LANGUAGES = new Set(['ar', 'fa', 'he', 'ur', 'yi', 'ps', 'sd', 'ug']);

/** The base language of a BCP 47 tag: "es-MX" → "es". */
export const baseLanguage = (tag: string) => tag.toLowerCase().split('-')[0] ?? 'en';

/**
 * `tag` if Intl accepts it. WebKitGTK reports the POSIX locale as `navigator.language` ("C" under LANG=C), which
 * is no BCP 47 tag: used as `lang` it fails validation, and Intl formatters throw on it.
 */
function wellFormed(tag: string): string | undefined {
  try {
    return Intl.getCanonicalLocales(tag).length ? tag : undefined;
  } catch {
    return undefined;
  }
}

/** Languages the widget ships strings for. */
export const SUPPORTED_LANGUAGES = ['en', ...Object.keys(LOADERS)] as const;

export class Localizer {
  #catalogue: Catalogue = en;
  #locale = 'en';

  /** The BCP 47 locale in use, e.g. "es-MX" (dates and numbers follow it even where strings fall back to English). */
  get locale(): string {
    return this.#locale;
  }

  /** Text direction for the locale. */
  get dir(): 'ltr' | 'rtl' {
    return RTL_LANGUAGES.has(baseLanguage(this.#locale)) ? 'rtl' : 'ltr';
  }

  /** Switches language; unknown languages use English strings. Resolves once the catalogue is loaded. */
  async setLocale(tag: string): Promise<void> {
    const locale = wellFormed(tag) ?? 'en';
    const load = LOADERS[baseLanguage(locale)];
    let catalogue = en;
    try {
      if (load) catalogue = await load();
    } catch {
      // The catalogue chunk could not load (offline, blocked): English strings beat a widget that never renders.
    }
    this.#locale = locale;
    this.#catalogue = catalogue;
  }

  /** The string for `key`, with `{name}` placeholders replaced from `params`. */
  t(key: MessageKey, params: Record<string, string | number> = {}): string {
    const template = this.#catalogue[key] ?? en[key];
    return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
      name in params ? this.#formatParam(params[name]!) : whole,
    );
  }

  /** Time of day in the user's locale. */
  time(date: Date): string {
    return this.#formats().time.format(date);
  }

  /** A day heading in the user's locale. */
  day(date: Date): string {
    return this.#formats().day.format(date);
  }

  number(value: number): string {
    return this.#formats().number.format(value);
  }

  /**
   * How long ago `date` was, for lists: "now", "5 min. ago", "yesterday", "3 days ago"; a week or more back, the
   * date itself ("Mar 3", with the year when it is not this year's). `now` is a parameter so tests can fix it.
   */
  relative(date: Date, now: Date = new Date()): string {
    const f = this.#formats();
    const seconds = (now.getTime() - date.getTime()) / 1000;
    if (seconds < 45) return f.relative.format(0, 'second');
    if (seconds < 45 * 60) return f.relative.format(-Math.round(seconds / 60), 'minute');
    const days = calendarDays(date, now);
    if (days === 0) return f.relative.format(-Math.round(seconds / 3600), 'hour');
    if (days < 7) return f.relative.format(-days, 'day');
    return (date.getFullYear() === now.getFullYear() ? f.monthDay : f.date).format(date);
  }

  /**
   * Building an Intl formatter is costly and the message list formats several values per row on every render
   * (it made each render a long task), so one of each is kept per locale.
   */
  #cached?: {
    locale: string;
    time: Intl.DateTimeFormat;
    day: Intl.DateTimeFormat;
    number: Intl.NumberFormat;
    relative: Intl.RelativeTimeFormat;
    monthDay: Intl.DateTimeFormat;
    date: Intl.DateTimeFormat;
  };

  #formats() {
    const locale = this.#locale;
    if (this.#cached?.locale !== locale) {
      this.#cached = {
        locale,
        time: new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit' }),
        day: new Intl.DateTimeFormat(locale, { dateStyle: 'full' }),
        number: new Intl.NumberFormat(locale),
        relative: new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: 'short' }),
        monthDay: new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric' }),
        date: new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }),
      };
    }
    return this.#cached;
  }

  #formatParam(value: string | number): string {
    return typeof value === 'number' ? this.number(value) : value;
  }
}

/** Whole calendar days from `from` to `to` in local time (23:50 to 00:10 is one day, "yesterday"). */
function calendarDays(from: Date, to: Date): number {
  const start = new Date(from.getFullYear(), from.getMonth(), from.getDate());
  const end = new Date(to.getFullYear(), to.getMonth(), to.getDate());
  return Math.round((end.getTime() - start.getTime()) / 86_400_000);
}

/** The language for an element: its own `lang`, else the nearest ancestor's, else the document's. */
export function languageFor(element: Element): string {
  return (
    element.closest('[lang]')?.getAttribute('lang') || document.documentElement.lang || navigator.language
  );
}
