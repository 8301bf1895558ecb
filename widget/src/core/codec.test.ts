// openMessage's rules for signing time and for uploads held as attachments, with a crypto fake whose keys have
// creation times (like Virgil cards linked to their previous card). Not encryption: JSON with a key version.
import { describe, expect, it } from 'vitest';
import { encodeEnvelope, SIGNED_TIME_TOLERANCE_MS, type Envelope } from './envelope.js';
import { openMessage, sealMessage, type OpenOptions } from './codec.js';
import { sha256 } from './files.js';
import type { ChatPort, CryptoPort, DecryptResult, KeyValidity, WireMessage } from './ports.js';

const MIN = 60_000;
const T0 = Date.parse('2026-06-01T12:00:00Z');

/** Alice's keys: the first from T0, the second (a rotation) from T0 + 60 min. */
const KEYS = [
  { version: 1, createdAt: T0 },
  { version: 2, createdAt: T0 + 60 * MIN },
];

/** The key held at `at`, and its period: the newest created by then, else the oldest. */
function keyAt(at: number): { version: number; valid: KeyValidity } {
  let i = KEYS.length - 1;
  while (i > 0 && KEYS[i]!.createdAt > at) i--;
  const valid: KeyValidity = {};
  if (i > 0) valid.from = KEYS[i]!.createdAt;
  if (i < KEYS.length - 1) valid.until = KEYS[i + 1]!.createdAt;
  return { version: KEYS[i]!.version, valid };
}

const seal = (envelope: Envelope, version: number) =>
  JSON.stringify({ pt: encodeEnvelope(envelope), version });

function open(ct: string, at: Date): DecryptResult {
  const { pt, version } = JSON.parse(ct) as { pt: string; version: number };
  const key = keyAt(at.getTime());
  return key.version === version
    ? { ok: true, plaintext: pt, keyValid: key.valid }
    : { ok: false, reason: 'unverified-sender' };
}

const crypto = {
  identity: 'bob',
  decrypt: async (ct: string, _from: string, at: Date) => open(ct, at),
  decryptBlob: async (blob: Blob, _from: string, at: Date) => open(await blob.text(), at),
  lookup: async (ids: readonly string[]) => ({ ids, handle: null }),
  encrypt: async (pt: string) => JSON.stringify({ pt, version: 2 }),
  encryptToBlob: async (pt: string) => new Blob([JSON.stringify({ pt, version: 2 })]),
} as unknown as CryptoPort;

/** Uploads by link; `download` serves them, like the CDN. */
function cdn() {
  const files = new Map<string, Blob>();
  const chat = {
    upload: async (_cid: string, blob: Blob) => {
      const url = `https://cdn.test/${files.size}?sig=fresh`;
      files.set(url, blob);
      return url;
    },
    download: async (url: string) => {
      const blob = files.get(url);
      if (!blob) throw new Error('403');
      return blob;
    },
  } as unknown as ChatPort;
  return { chat, files };
}

const envelope = (ts: number, more: Partial<Envelope> = {}): Envelope => ({
  v: 1,
  cid: 'messaging:care',
  mid: 'm1',
  from: 'alice',
  ts,
  content: { text: 'Potassium 5.9' },
  ...more,
});

const wire = (ct: string, createdAt: number, more: Partial<WireMessage> = {}): WireMessage => ({
  id: 'm1',
  cid: 'messaging:care',
  senderId: 'alice',
  createdAt: new Date(createdAt),
  deleted: false,
  secure: { v: 1, ct },
  ...more,
});

const trust = async (w: WireMessage, chat = cdn().chat, opts: OpenOptions = {}) => {
  const entry = await openMessage(crypto, chat, w, opts);
  return entry.kind === 'undecryptable' ? entry.reason : entry.kind;
};

describe('openMessage: signing time', () => {
  it('verifies with the key of the signed time, whatever updated_at a later reaction set', async () => {
    const sent = T0 + 10 * MIN;
    const ct = seal(envelope(sent + 2_000), 1);
    expect(await trust(wire(ct, sent))).toBe('message');
    // Alice rotated at T0 + 60 min; a reaction at T0 + 90 min moved updated_at past the rotation.
    expect(await trust(wire(ct, sent, { updatedAt: new Date(T0 + 90 * MIN) }))).toBe('message');
  });

  it('verifies an edit made after a key change with the new key', async () => {
    const created = T0 + 10 * MIN;
    const edited = T0 + 70 * MIN;
    const ct = seal(envelope(edited, { rev: 1 }), 2);
    const entry = await openMessage(crypto, cdn().chat, wire(ct, created, { updatedAt: new Date(edited) }));
    expect(entry).toMatchObject({ kind: 'message', edited: true, rev: 1 });
  });

  it('shows a message whose signed time disagrees with Stream as unverified (time-mismatch)', async () => {
    const sent = T0 + 10 * MIN;
    const late = sent + SIGNED_TIME_TOLERANCE_MS + 1_000;
    expect(await trust(wire(seal(envelope(late), 1), sent))).toBe('time-mismatch');
    expect(await trust(wire(seal(envelope(sent - SIGNED_TIME_TOLERANCE_MS - 1_000), 1), sent))).toBe(
      'time-mismatch',
    );
    // Within the tolerance (a sender's clock a few minutes off) it verifies.
    expect(await trust(wire(seal(envelope(sent + 5 * MIN), 1), sent))).toBe('message');
    // An edit signed before the message existed, or long after Stream last changed it.
    const edit = (ts: number, updated: number) =>
      wire(seal(envelope(ts, { rev: 1 }), 1), sent, { updatedAt: new Date(updated) });
    expect(await trust(edit(sent - 20 * MIN, sent + MIN))).toBe('time-mismatch');
    expect(await trust(edit(sent + 40 * MIN, sent + MIN))).toBe('time-mismatch');
    expect(await trust(edit(sent + 2 * MIN, sent + 30 * MIN))).toBe('message');
  });

  it('refuses a signature by a key the sender did not hold at the signed time', async () => {
    // The replaced key, used after the rotation (Stream's time and the signed time both after it).
    expect(await trust(wire(seal(envelope(T0 + 72 * MIN), 1), T0 + 66 * MIN))).toBe('unverified-sender');
    // The new key, claiming a time well before it existed (Stream's time just before the rotation).
    expect(await trust(wire(seal(envelope(T0 + 45 * MIN), 2), T0 + 50 * MIN))).toBe('unverified-sender');
  });

  it('accepts the replaced key for a message sent moments before the key change', async () => {
    // Sealed just before the rotation; Stream stored it a moment after the new card's (whole-second) time.
    const sealed = T0 + 60 * MIN - 300;
    expect(await trust(wire(seal(envelope(sealed), 1), T0 + 60 * MIN + 200))).toBe('message');
  });

  it("accepts the new key a little before its card time: card times are the rotating device's clock", async () => {
    // Rotated on a device whose clock ran 5 minutes fast: the card says T0 + 60 min, Stream says T0 + 56 min.
    expect(await trust(wire(seal(envelope(T0 + 56 * MIN), 2), T0 + 56 * MIN))).toBe('message');
  });
});

describe('openMessage: stale keys', () => {
  it('flags a live message that verifies only with a key replaced long before now (stale-key); history is not flagged', async () => {
    // Signed in key 1's period and stored with a matching time, but delivered live half an hour after the rotation:
    // a server holding it back, or backdating a forgery made with the replaced key.
    const sent = T0 + 50 * MIN;
    const old = wire(seal(envelope(sent), 1), sent);
    const now = T0 + 90 * MIN;
    expect(await trust(old, cdn().chat, { live: true, now })).toBe('stale-key');
    expect(await trust(old, cdn().chat, { now })).toBe('message');
    // Sent just before the rotation and delivered just after it: within the tolerance.
    expect(await trust(old, cdn().chat, { live: true, now: T0 + 65 * MIN })).toBe('message');
    // Signed with the sender's current key: never stale.
    const current = wire(seal(envelope(T0 + 89 * MIN), 2), T0 + 89 * MIN);
    expect(await trust(current, cdn().chat, { live: true, now })).toBe('message');
  });
});

describe('openMessage: revisions and tombstones', () => {
  const sealed = (more: Partial<Parameters<typeof sealMessage>[2]>) =>
    sealMessage(crypto, cdn().chat, {
      cid: 'messaging:care',
      mid: 'm1',
      from: 'alice',
      members: ['alice', 'bob'],
      content: { text: 'Potassium 5.9', quote: 'q1' },
      rev: 0,
      now: T0 + 70 * MIN,
      ...more,
    });

  it("shows an edit at its original's signed time, and a tombstone as deleted, with no content sealed", async () => {
    const created = T0 + 62 * MIN;
    const edit = await sealed({ rev: 1, created: created + 1_000 });
    const opened = await openMessage(
      crypto,
      cdn().chat,
      wire(edit.secure.ct!, created, { updatedAt: new Date(T0 + 70 * MIN), quotedId: 'q1' }),
    );
    expect(opened).toMatchObject({
      kind: 'message',
      rev: 1,
      edited: true,
      sentAt: new Date(created + 1_000),
    });

    const tombstone = await sealed({ rev: 2, created: created + 1_000, deleted: true });
    const { pt } = JSON.parse(tombstone.secure.ct!) as { pt: string };
    expect(JSON.parse(pt)).toMatchObject({ rev: 2, deleted: true, content: { quote: 'q1' } });
    expect(pt).not.toContain('Potassium');
    const gone = await openMessage(
      crypto,
      cdn().chat,
      wire(tombstone.secure.ct!, created, { updatedAt: new Date(T0 + 70 * MIN), quotedId: 'q1' }),
    );
    expect(gone).toMatchObject({ kind: 'deleted', rev: 2, sentAt: new Date(created + 1_000) });
  });

  it("treats Stream's deleted flag as the server's word: removed-by-server", async () => {
    const stored = wire(seal(envelope(T0), 1), T0, { deleted: true });
    expect(await trust(stored)).toBe('removed-by-server');
  });
});

describe('openMessage: uploads held as attachments', () => {
  const long = async (chat: ChatPort, text = 'x'.repeat(10_000)) =>
    sealMessage(crypto, chat, {
      cid: 'messaging:care',
      mid: 'm1',
      from: 'alice',
      members: ['alice', 'bob'],
      content: { text },
      rev: 0,
      now: Date.now(),
    });
  const received = (sent: Awaited<ReturnType<typeof long>>, attachments = sent.attachments) =>
    wire('', Date.now(), { secure: sent.secure, ...(attachments ? { attachments } : {}) });

  it('points at the uploaded envelope by attachment index and hash, and opens it from the link Stream returns', async () => {
    const { chat, files } = cdn();
    const sent = await long(chat);
    expect(sent.secure).toEqual({ v: 1, att: 0, sha256: await sha256([...files.values()][0]!) });
    expect(sent.attachments).toEqual(['https://cdn.test/0?sig=fresh']);
    expect(await trust(received(sent), chat)).toBe('message');
  });

  it('shows a swapped upload as tampered, and a missing or expired one as unavailable', async () => {
    const { chat, files } = cdn();
    const sent = await long(chat);
    const other = await long(chat, 'y'.repeat(10_000)); // another upload of the same sender
    expect(await trust(received(sent, other.attachments), chat)).toBe('tampered');
    expect(await trust(received(sent, []), chat)).toBe('unavailable');
    files.clear();
    expect(await trust(received(sent), chat)).toBe('unavailable');
  });

  it('still opens the older format: the envelope upload link in e2ee.file, file links inside the envelope', async () => {
    const { chat } = cdn();
    const sent = Date.now();
    const legacy = envelope(sent, {
      content: { text: 'older', files: [{ url: 'https://cdn.test/f', name: 'a.pdf', type: 'x/y', size: 3 }] },
    });
    const url = await chat.upload('messaging:care', new Blob([seal(legacy, 2)]));
    const entry = await openMessage(crypto, chat, wire('', sent, { secure: { v: 1, file: url } }));
    expect(entry).toMatchObject({
      kind: 'message',
      text: 'older',
      files: [{ url: 'https://cdn.test/f', name: 'a.pdf' }],
    });
  });

  it('resolves files from the attachments Stream returns, with their hashes', async () => {
    const sent = Date.now();
    const env = envelope(sent, {
      content: {
        text: 'file',
        files: [{ att: 0, sha256: 'h', name: 'scan.png', type: 'image/png', size: 9 }],
      },
    });
    const fresh = 'https://cdn.test/9?sig=resigned';
    const entry = await openMessage(crypto, cdn().chat, wire(seal(env, 2), sent, { attachments: [fresh] }));
    expect(entry).toMatchObject({ files: [{ url: fresh, sha256: 'h', name: 'scan.png' }] });
    // Without the attachment the file is dropped, never shown with a made-up link.
    const none = await openMessage(crypto, cdn().chat, wire(seal(env, 2), sent));
    expect(none).toMatchObject({ kind: 'message', files: [] });
  });
});
