import { describe, expect, it, vi } from 'vitest';
import { en } from './en.js';
import { Localizer } from './localize.js';

// The lazily loaded Spanish chunk fails, as it would offline or behind a blocking proxy.
vi.mock('./es.js', () => {
  throw new Error('chunk failed to load');
});

describe('Localizer when a catalogue cannot load', () => {
  it('falls back to English strings but keeps the locale for dates and numbers', async () => {
    const l = new Localizer();
    await l.setLocale('es');
    expect(l.t('status.loading')).toBe(en['status.loading']);
    expect(l.locale).toBe('es');
    expect(l.number(1234.5)).toBe(new Intl.NumberFormat('es').format(1234.5));
  });
});
