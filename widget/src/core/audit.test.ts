import { describe, expect, it } from 'vitest';
import { auditDetail, ReadLog } from './audit.js';

describe('audit events', () => {
  it('carry the type, an ISO time and only the known id fields', () => {
    const detail = auditDetail(
      'message-read',
      { userId: 'u1', cid: 'messaging:c1', messageId: 'm1', contactId: 'u2', text: 'secret' } as never,
      () => Date.UTC(2026, 0, 2, 3, 4, 5),
    );
    expect(detail).toEqual({
      type: 'message-read',
      at: '2026-01-02T03:04:05.000Z',
      userId: 'u1',
      cid: 'messaging:c1',
      messageId: 'm1',
      contactId: 'u2',
    });
  });

  it('leave out empty ids', () => {
    expect(auditDetail('locked', { cid: '', reason: 'idle' }, () => 0)).toEqual({
      type: 'locked',
      at: '1970-01-01T00:00:00.000Z',
      reason: 'idle',
    });
  });
});

describe('ReadLog', () => {
  it('reports each id once and forgets the oldest beyond its bound', () => {
    const log = new ReadLog(2);
    expect(log.first('a')).toBe(true);
    expect(log.first('a')).toBe(false);
    expect(log.first('b')).toBe(true);
    expect(log.first('c')).toBe(true);
    expect(log.first('a')).toBe(true);
    log.clear();
    expect(log.first('c')).toBe(true);
  });
});
