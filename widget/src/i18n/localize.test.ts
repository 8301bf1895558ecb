import { describe, expect, it } from 'vitest';
import { en } from './en.js';
import { es } from './es.js';
import { Localizer, baseLanguage } from './localize.js';

describe('Localizer', () => {
  it('uses English by default and Spanish when asked', async () => {
    const l = new Localizer();
    expect(l.t('status.connecting')).toBe(en['status.connecting']);
    await l.setLocale('es-MX');
    expect(l.t('status.connecting')).toBe(es['status.connecting']);
    expect(l.locale).toBe('es-MX');
  });

  it('falls back to English strings for unknown languages but keeps their locale and direction', async () => {
    const l = new Localizer();
    await l.setLocale('ar');
    expect(l.t('status.loading')).toBe(en['status.loading']);
    expect(l.dir).toBe('rtl');
    await l.setLocale('fr');
    expect(l.dir).toBe('ltr');
  });

  it('uses English for a language that is no BCP 47 tag, such as the POSIX "C" WebKitGTK can report', async () => {
    const l = new Localizer();
    await l.setLocale('C');
    expect(l.locale).toBe('en');
    expect(l.time(new Date(0))).toBe(
      new Intl.DateTimeFormat('en', { hour: 'numeric', minute: '2-digit' }).format(0),
    );
  });

  it('formats numbers with Intl in the locale', async () => {
    const l = new Localizer();
    await l.setLocale('es');
    expect(l.number(1234.5)).toBe(new Intl.NumberFormat('es').format(1234.5));
  });

  it('has the same keys in every catalogue', () => {
    expect(Object.keys(es).sort()).toEqual(Object.keys(en).sort());
    expect(baseLanguage('ES-mx')).toBe('es');
  });
});
