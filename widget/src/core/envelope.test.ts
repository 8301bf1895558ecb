import { describe, expect, it } from 'vitest';
import { encodeEnvelope, envelopeMatches, parseEnvelope, type Envelope } from './envelope.js';

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

  it('matches its own message', () => {
    expect(envelopeMatches(envelope, wire)).toBe(true);
  });
});
