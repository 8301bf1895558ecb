import { describe, expect, it } from 'vitest';
import {
  encodeEnvelope,
  envelopeMatches,
  parseEnvelope,
  signedTimeAgrees,
  SIGNED_TIME_TOLERANCE_MS,
  type Envelope,
} from './envelope.js';

const envelope: Envelope = {
  v: 1,
  cid: 'messaging:x',
  mid: 'm1',
  from: 'u1',
  ts: 1,
  content: { text: 'hi' },
};
const wire = { id: 'm1', cid: 'messaging:x', senderId: 'u1' };

describe('envelope', () => {
  it('round-trips', () => {
    expect(parseEnvelope(encodeEnvelope(envelope))).toEqual(envelope);
  });

  it.each([
    ['not JSON', '{'],
    ['wrong version', JSON.stringify({ ...envelope, v: 2 })],
    ['missing cid', JSON.stringify({ ...envelope, cid: undefined })],
    ['non-numeric ts', JSON.stringify({ ...envelope, ts: '1' })],
    ['bad rev', JSON.stringify({ ...envelope, rev: -1 })],
    ['text not a string', JSON.stringify({ ...envelope, content: { text: 5 } })],
    ['no content', JSON.stringify({ ...envelope, content: null })],
    ['non-numeric created', JSON.stringify({ ...envelope, rev: 1, created: '1' })],
    ['a tombstone of the original', JSON.stringify({ ...envelope, content: {}, deleted: true })],
    ['a tombstone with text', JSON.stringify({ ...envelope, rev: 1, deleted: true })],
    [
      'a tombstone with files',
      JSON.stringify({ ...envelope, rev: 1, deleted: true, content: { files: [] } }),
    ],
    ['deleted not true', JSON.stringify({ ...envelope, rev: 1, deleted: 'yes', content: {} })],
  ])('rejects %s', (_name, json) => {
    expect(parseEnvelope(json)).toBeUndefined();
  });

  it.each([
    ['another conversation', { ...wire, cid: 'messaging:y' }],
    ['another id (replay)', { ...wire, id: 'm2' }],
    ['another sender', { ...wire, senderId: 'u2' }],
    ['moved into a thread', { ...wire, parentId: 'p' }],
    ['a different quote', { ...wire, quotedId: 'q' }],
  ])('does not match %s', (_name, other) => {
    expect(envelopeMatches(envelope, other)).toBe(false);
  });

  it('accepts a tombstone: a later revision with only its thread and quote', () => {
    const tombstone: Envelope = {
      ...envelope,
      rev: 2,
      created: 1,
      deleted: true,
      content: { parent: 'p', quote: 'q' },
    };
    expect(parseEnvelope(encodeEnvelope(tombstone))).toEqual(tombstone);
  });

  it('an edit must carry the time of its original within the tolerance of created_at', () => {
    const createdAt = new Date(10 * 60_000);
    const edit = { ...envelope, rev: 1, ts: 11 * 60_000 };
    expect(signedTimeAgrees({ ...edit, created: 10 * 60_000 }, { createdAt })).toBe(true);
    expect(signedTimeAgrees(edit, { createdAt })).toBe(true); // sealed before `created` existed
    expect(
      signedTimeAgrees({ ...edit, created: 10 * 60_000 - SIGNED_TIME_TOLERANCE_MS - 1 }, { createdAt }),
    ).toBe(false);
  });

  it('matches its own message', () => {
    expect(envelopeMatches(envelope, wire)).toBe(true);
  });
});
