import { describe, expect, it } from 'vitest';
import { buildRows, firstUnread, type TimelineEntry } from './timeline.js';

const at = (iso: string) => new Date(iso);
function msg(id: string, from: string, iso: string): TimelineEntry {
  return { id, cid: 'messaging:c', from, sentAt: at(iso), kind: 'message', text: id, edited: false, rev: 0 };
}

describe('message list rows', () => {
  const entries = [
    msg('a1', 'ann', '2026-03-01T10:00:00'),
    msg('a2', 'ann', '2026-03-01T10:01:00'),
    msg('b1', 'bob', '2026-03-01T10:02:00'),
    msg('b2', 'bob', '2026-03-01T10:30:00'),
    msg('b3', 'bob', '2026-03-02T09:00:00'),
  ];

  it('adds a heading per day and starts a group when the sender changes, pauses or the day changes', () => {
    const rows = buildRows(entries);
    expect(
      rows.map((r) => (r.kind === 'entry' ? `${r.entry.id}${r.groupStart ? '*' : ''}` : r.kind)),
    ).toEqual(['day', 'a1*', 'a2', 'b1*', 'b2*', 'day', 'b3*']);
  });

  it('ends a group (time and delivery line) when the sender, the minute or the day changes', () => {
    const rows = buildRows([
      msg('a1', 'ann', '2026-03-01T10:00:05'),
      msg('a2', 'ann', '2026-03-01T10:00:50'),
      msg('a3', 'ann', '2026-03-01T10:01:10'),
      msg('b1', 'bob', '2026-03-01T10:01:20'),
      msg('b2', 'bob', '2026-03-02T10:01:30'),
    ]);
    expect(rows.flatMap((r) => (r.kind === 'entry' && r.groupEnd ? [r.entry.id] : []))).toEqual([
      'a2',
      'a3',
      'b1',
      'b2',
    ]);
  });

  it('puts the "new messages" divider before the first unread message from someone else', () => {
    const id = firstUnread(entries, 'ann', at('2026-03-01T10:01:30'));
    expect(id).toBe('b1');
    const rows = buildRows(entries, id);
    expect(rows.findIndex((r) => r.kind === 'divider')).toBe(3);
    expect(firstUnread(entries, 'bob', at('2026-03-01T09:00:00'))).toBe('a1');
    expect(firstUnread(entries, 'ann', undefined)).toBeUndefined();
    expect(firstUnread(entries, 'ann', at('2026-03-03T00:00:00'))).toBeUndefined();
  });
});
