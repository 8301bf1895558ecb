// The conversation list's DOM-free rules: avatars, the name search, the picker's options and relative times.
import { describe, expect, it } from 'vitest';
import { Localizer } from '../i18n/localize.js';
import {
  AVATAR_COLOURS,
  avatarTone,
  filterByName,
  initials,
  matchesName,
  pickerOptions,
} from './conversation-list-model.js';

/** WCAG relative luminance of a #rrggbb colour. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

describe('avatars', () => {
  it('takes the first and last initials of the portal name, skipping titles and punctuation', () => {
    expect(initials('Ana María López')).toBe('AL');
    expect(initials('Dr. Gregory House')).toBe('GH');
    expect(initials('carol')).toBe('C');
    expect(initials('  O’Brien-Smith ')).toBe('OS');
    expect(initials('Ümit Özdemir')).toBe('ÜÖ');
    expect(initials('𝐀lex 𝐁ell')).toBe('𝐀𝐁');
    expect(initials(undefined)).toBe('?');
    expect(initials('   ')).toBe('?');
  });

  it('gives an id the same colour every time, spread over the palette', () => {
    expect(avatarTone('user-123')).toBe(avatarTone('user-123'));
    const used = new Set(Array.from({ length: 64 }, (_, i) => avatarTone(`user-${i}`)));
    expect(used.size).toBeGreaterThanOrEqual(6);
    for (const tone of used) expect(AVATAR_COLOURS[tone]).toBeDefined();
  });

  it('keeps white initials at 4.5:1 or more on every avatar colour', () => {
    for (const colour of AVATAR_COLOURS) {
      const ratio = (1 + 0.05) / (luminance(colour) + 0.05);
      expect(ratio, colour).toBeGreaterThanOrEqual(4.5);
    }
  });
});

describe('search by name', () => {
  it('ignores case and accents and matches every word', () => {
    expect(matchesName('José Núñez', 'jose')).toBe(true);
    expect(matchesName('José Núñez', 'NUN')).toBe(true);
    expect(matchesName('Ana López', 'ana lo')).toBe(true);
    expect(matchesName('Ana López', 'ana x')).toBe(false);
    expect(matchesName('Ana López', '   ')).toBe(true);
  });

  it('filters rows by their members’ names, keeping their order', () => {
    const rows = [
      { cid: 'a', names: ['Bob Chen'] },
      { cid: 'b', names: ['Carol Díaz', 'Dave Obi'] },
      { cid: 'c', names: ['Dave Obi'] },
    ];
    const names = (r: (typeof rows)[number]) => r.names.join(' ');
    expect(filterByName(rows, 'dave', names).map((r) => r.cid)).toEqual(['b', 'c']);
    expect(filterByName(rows, 'diaz', names).map((r) => r.cid)).toEqual(['b']);
    expect(filterByName(rows, '', names)).toHaveLength(3);
    expect(filterByName(rows, 'zed', names)).toHaveLength(0);
  });

  it('offers the contacts that match, unnamed ones under the fallback name', () => {
    const contacts = [
      { sub: 'bob', name: 'Bob Chen' },
      { sub: 'carol', name: 'Carol Díaz' },
      { sub: 'x', name: undefined },
    ];
    expect(pickerOptions(contacts, '', 'Unknown member')).toHaveLength(3);
    expect(pickerOptions(contacts, 'car', 'Unknown member').map((c) => c.sub)).toEqual(['carol']);
    expect(pickerOptions(contacts, 'unknown', 'Unknown member').map((c) => c.sub)).toEqual(['x']);
  });
});

describe('relative times', () => {
  const now = new Date(2026, 2, 18, 12, 0, 0); // local noon, 18 March 2026
  const ago = (ms: number) => new Date(now.getTime() - ms);
  const MIN = 60_000;

  it('says how long ago in English', async () => {
    const l = new Localizer();
    await l.setLocale('en');
    expect(l.relative(ago(10_000), now)).toBe('now');
    expect(l.relative(ago(5 * MIN), now)).toBe('5 min. ago');
    expect(l.relative(ago(3 * 60 * MIN), now)).toBe('3 hr. ago');
    expect(l.relative(new Date(2026, 2, 17, 23, 50), now)).toBe('yesterday');
    expect(l.relative(new Date(2026, 2, 15, 9, 0), now)).toBe('3 days ago');
    expect(l.relative(new Date(2026, 1, 2, 9, 0), now)).toBe('Feb 2');
    expect(l.relative(new Date(2025, 11, 24, 9, 0), now)).toBe(
      new Intl.DateTimeFormat('en', { dateStyle: 'medium' }).format(new Date(2025, 11, 24, 9, 0)),
    );
  });

  it('says how long ago in Spanish', async () => {
    const l = new Localizer();
    await l.setLocale('es');
    expect(l.relative(ago(10_000), now)).toBe('ahora');
    expect(l.relative(ago(5 * MIN), now)).toBe('hace 5 min');
    expect(l.relative(new Date(2026, 2, 17, 23, 50), now)).toBe('ayer');
    expect(l.relative(new Date(2026, 2, 15, 9, 0), now)).toBe('hace 3 d');
    expect(l.relative(new Date(2026, 1, 2, 9, 0), now)).toMatch(/^2 feb/);
  });
});
