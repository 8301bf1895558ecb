// Membership pinning: the widget encrypts to the members the user agreed to, not to whatever member list the chat
// service reports. Fakes play a server that adds and removes members; FakeCrypto records who each message was
// sealed to.
import { describe, expect, it } from 'vitest';
import {
  FakeApi,
  FakeChat,
  FakeChatServer,
  FakeConversationSource,
  FakeCrypto,
  FakeDevice,
  FakeDirectory,
  MemoryPinnedMembers,
  conversationOf,
  sessionInfo,
  startSession,
  MemoryRevisionLedger,
} from '../../test/fakes/fake-ports.js';
import { conversationView } from '../controllers/conversation-view.js';
import { ConversationList } from './conversations.js';
import { Membership, portalConfirmed } from './membership.js';
import { declaredName, senderName } from './people.js';
import type { ChatSession } from './session.js';

const CID = 'messaging:care';
const settle = async () => {
  for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 0));
};

/** A chat service with the 1:1 conversation of alice and bob; eve exists (has a key) but is not in it. */
function world() {
  const dir = new FakeDirectory();
  const server = new FakeChatServer();
  server.addChannel(CID, ['alice', 'bob']);
  server.addChannel('messaging:eve-home', ['eve']);
  return { dir, server };
}

type World = ReturnType<typeof world>;

/** Alice's portal names Bob; Eve's own session calls her "Dr. Lee Chen". */
const NAMES: Record<string, string> = { alice: 'Ana García', bob: 'Dr. Bob Ruiz', eve: 'Dr. Lee Chen' };
const CONTACTS = [{ id: 'bob', sub: 'bob-sub', name: 'Dr. Bob Ruiz' }];

async function join(
  w: World,
  id: string,
  opts: { channel?: string; pinned?: MemoryPinnedMembers; api?: FakeApi; device?: FakeDevice } = {},
) {
  const device = opts.device ?? new FakeDevice();
  const crypto = new FakeCrypto(id, w.dir, device);
  const pinned = opts.pinned ?? new MemoryPinnedMembers();
  const api = opts.api ?? new FakeApi(sessionInfo(id, NAMES[id] ?? id, id === 'alice' ? CONTACTS : []));
  const session = await startSession({
    id,
    channel: opts.channel ?? CID,
    chat: new FakeChat(w.server),
    crypto,
    api,
    pinned,
  });
  return { session, crypto, pinned, device };
}

const view = (session: ChatSession) =>
  conversationView(conversationOf(session), {
    me: session.user?.id ?? '',
    connected: true,
    nameOf: (id) => session.nameOf(id),
  });

const lastSeal = (crypto: FakeCrypto) => crypto.sealedTo.at(-1);

describe('membership pinning', () => {
  it('pins what the chat service reports on the first open of a conversation on this device (trust on first use)', async () => {
    const w = world();
    const alice = await join(w, 'alice');
    const conversation = conversationOf(alice.session);
    expect(conversation.membership.source).toBe('first-use');
    expect(alice.pinned.records.get(`alice ${CID}`)).toEqual(['alice', 'bob']);
    expect(view(alice.session)).toMatchObject({ unconfirmed: [], removed: [], composerBlocked: undefined });
    await join(w, 'bob');
    await conversation.sender.send('hello');
    expect(lastSeal(alice.crypto)).toEqual(['alice', 'bob']);

    // Opened again on the same device: the stored pin is used, not what the service reports now.
    w.server.setMembers(CID, ['alice', 'bob', 'eve']);
    const again = await join(w, 'alice', { pinned: alice.pinned, device: alice.device });
    expect(conversationOf(again.session).membership.source).toBe('stored');
    expect(conversationOf(again.session).unconfirmed).toEqual(['eve']);
  });

  it('encrypts nothing to a member the server added until the user confirms them', async () => {
    const w = world();
    const eveHome = await join(w, 'eve', { channel: 'messaging:eve-home' }); // Eve has a key
    const alice = await join(w, 'alice');
    await join(w, 'bob');
    const conversation = conversationOf(alice.session);

    w.server.setMembers(CID, ['alice', 'bob', 'eve']); // member.added, by whoever holds the server credentials
    expect(conversation.members).toEqual(['alice', 'bob', 'eve']);
    expect(conversation.unconfirmed).toEqual(['eve']);
    expect(view(alice.session).composerBlocked).toEqual({ reason: 'unconfirmed-members', members: ['eve'] });

    const before = await conversation.sender.send('my biopsy results');
    expect(lastSeal(alice.crypto)).toEqual(['alice', 'bob']);

    // Eve's own widget opens the conversation: the message was not encrypted for her.
    const eve = await join(w, 'eve', { pinned: eveHome.pinned, device: eveHome.device });
    expect(conversationOf(eve.session).timeline.get(before)).toMatchObject({
      kind: 'undecryptable',
      reason: 'not-for-this-device',
    });

    await conversation.confirmMembers(['eve']);
    expect(alice.pinned.records.get(`alice ${CID}`)).toEqual(['alice', 'bob', 'eve']);
    expect(view(alice.session)).toMatchObject({ unconfirmed: [], composerBlocked: undefined });
    const after = await conversation.sender.send('welcome, Eve');
    expect(lastSeal(alice.crypto)).toEqual(['alice', 'bob', 'eve']);
    await settle();
    expect(conversationOf(eve.session).timeline.get(after)).toMatchObject({
      kind: 'message',
      text: 'welcome, Eve',
    });
  });

  it('seals files, edits and retries to the confirmed members only', async () => {
    const w = world();
    await join(w, 'eve', { channel: 'messaging:eve-home' });
    const alice = await join(w, 'alice');
    await join(w, 'bob');
    const conversation = conversationOf(alice.session);
    w.server.setMembers(CID, ['alice', 'bob', 'eve']);
    const count = alice.crypto.sealedTo.length;
    const id = await conversation.sender.send('with a file', {
      files: [new File(['x-ray'], 'scan.txt', { type: 'text/plain' })],
    });
    await conversation.sender.edit(id, 'with a file (edited)');
    const seals = alice.crypto.sealedTo.slice(count);
    expect(seals.length).toBeGreaterThanOrEqual(3); // the file, the envelope, the edit
    for (const to of seals) expect(to).toEqual(['alice', 'bob']);
  });

  it('a member already in the conversation when it opens, but not pinned, is unconfirmed', async () => {
    const w = world();
    const pinned = new MemoryPinnedMembers();
    await pinned.set('alice', CID, ['alice', 'bob']);
    w.server.setMembers(CID, ['alice', 'bob', 'eve']);
    const alice = await join(w, 'alice', { pinned });
    expect(conversationOf(alice.session).unconfirmed).toEqual(['eve']);
    expect(view(alice.session).composerBlocked?.members).toEqual(['eve']);
  });

  it('the /v1/channels answer confirms the portal peers, not extra members the chat service lists', async () => {
    const w = world();
    w.server.setMembers(CID, ['alice', 'bob', 'eve']);
    // The API echoes the chat service's member list, which the server can change.
    const api = new FakeApi(
      sessionInfo('alice', 'Ana García', CONTACTS),
      () => CID,
      () => ['alice', 'bob', 'eve'],
    );
    const pinned = new MemoryPinnedMembers();
    const session = await startSession({
      id: 'alice',
      channel: '',
      chat: new FakeChat(w.server),
      crypto: new FakeCrypto('alice', w.dir, new FakeDevice()),
      api,
      pinned,
    });
    const cid = await session.startConversation(['bob-sub']);
    expect(cid).toBe(CID);
    const conversation = conversationOf(session);
    expect(conversation.membership.source).toBe('portal');
    expect(pinned.records.get(`alice ${CID}`)).toEqual(['alice', 'bob']);
    expect(conversation.unconfirmed).toEqual(['eve']); // even on the first open on this device
  });

  it('a new /v1/channels answer for the open conversation confirms its members without a prompt', async () => {
    const w = world();
    const contacts = [...CONTACTS, { id: 'carol', sub: 'carol-sub', name: 'Carol Díaz' }];
    const api = new FakeApi(
      sessionInfo('alice', 'Ana García', contacts),
      () => CID,
      () => ['alice', 'bob', 'carol'],
    );
    const alice = await join(w, 'alice', { api });
    w.server.setMembers(CID, ['alice', 'bob', 'carol']);
    expect(conversationOf(alice.session).unconfirmed).toEqual(['carol']);
    await alice.session.startConversation(['bob-sub', 'carol-sub']); // the portal's own flow, same conversation
    expect(conversationOf(alice.session).unconfirmed).toEqual([]);
    expect(alice.pinned.records.get(`alice ${CID}`)).toEqual(['alice', 'bob', 'carol']);
  });

  it('a pinned member the server removed is reported, no longer encrypted to, and forgotten once acknowledged', async () => {
    const w = world();
    w.server.setMembers(CID, ['alice', 'bob', 'carol']);
    const alice = await join(w, 'alice');
    await join(w, 'bob');
    await join(w, 'carol');
    const conversation = conversationOf(alice.session);
    w.server.setMembers(CID, ['alice', 'bob']); // member.removed
    expect(view(alice.session)).toMatchObject({ removed: ['carol'], composerBlocked: undefined });
    await conversation.sender.send('after carol left');
    expect(lastSeal(alice.crypto)).toEqual(['alice', 'bob']);
    await conversation.acknowledgeRemoved(['carol']);
    expect(view(alice.session).removed).toEqual([]);
    expect(alice.pinned.records.get(`alice ${CID}`)).toEqual(['alice', 'bob']);
  });

  it('flags every message from a sender who is not a confirmed member; names come from the portal', async () => {
    const w = world();
    const eveHome = await join(w, 'eve', { channel: 'messaging:eve-home' });
    const alice = await join(w, 'alice');
    const bob = await join(w, 'bob');
    w.server.setMembers(CID, ['alice', 'bob', 'eve']);
    const eve = await join(w, 'eve', { pinned: eveHome.pinned, device: eveHome.device });
    const fromEve = await conversationOf(eve.session).sender.send('I am your doctor');
    const fromBob = await conversationOf(bob.session).sender.send('I am your doctor, really');
    await settle();

    const v = view(alice.session);
    const eveEntry = v.entry(fromEve);
    const bobEntry = v.entry(fromBob);
    expect(eveEntry).toMatchObject({ kind: 'message', senderName: 'Dr. Lee Chen' });
    expect(v.senderFlag('eve')).toBe('not-a-member');
    expect(v.senderFlag('bob')).toBeUndefined();
    expect(v.senderFlag('alice')).toBeUndefined();
    // Eve's envelope name is never shown as the portal's: marked self-declared. Bob's comes from the portal.
    expect(eveEntry && v.senderName(eveEntry)).toEqual({ name: 'Dr. Lee Chen', source: 'self-declared' });
    expect(bobEntry && v.senderName(bobEntry)).toEqual({ name: 'Dr. Bob Ruiz', source: 'portal' });
    // Header, "seen by" and typing use nameOf: the portal's names only.
    expect(v.nameOf('eve')).toBeUndefined();

    await conversationOf(alice.session).confirmMembers(['eve']);
    expect(view(alice.session).senderFlag('eve')).toBeUndefined();
    expect(view(alice.session).senderName(eveEntry as never)).toMatchObject({ source: 'self-declared' });

    // Conversation list rows: the portal's names only.
    const list = new ConversationList({
      revisions: new MemoryRevisionLedger(),
      chat: new FakeChat(w.server),
      crypto: alice.crypto,
      source: new FakeConversationSource(w.server, 'alice'),
      me: { id: 'alice', name: 'Ana García' },
      contacts: CONTACTS,
    });
    await list.load();
    expect(list.rows.find((r) => r.cid === CID)?.names).toEqual(['Dr. Bob Ruiz', undefined]);
  });

  it('keeps the pin for the session when the device store cannot be read or written', async () => {
    const w = world();
    const broken = {
      get: () => Promise.reject(new Error('IndexedDB unavailable')),
      set: () => Promise.reject(new Error('IndexedDB unavailable')),
    };
    const session = await startSession({
      id: 'alice',
      channel: CID,
      chat: new FakeChat(w.server),
      crypto: new FakeCrypto('alice', w.dir, new FakeDevice()),
      pinned: broken,
    });
    const conversation = conversationOf(session);
    expect(conversation.membership.pinned).toEqual(['alice', 'bob']);
    w.server.setMembers(CID, ['alice', 'bob', 'eve']);
    expect(conversation.unconfirmed).toEqual(['eve']);
    await conversation.confirmMembers(['eve']);
    expect(conversation.unconfirmed).toEqual([]);
  });
});

describe('Membership', () => {
  it('knows nobody and seals to nobody before it is loaded', () => {
    const m = new Membership({ cid: CID, me: 'alice', store: new MemoryPinnedMembers() });
    expect(m.recipients(['alice', 'bob'])).toBeUndefined();
    expect(m.unconfirmed(['alice', 'bob'])).toEqual([]);
    expect(m.isPinned('alice')).toBe(false);
  });

  it('seals to pinned members the service still reports, and always to the user', async () => {
    const store = new MemoryPinnedMembers();
    await store.set('alice', CID, ['bob', 'carol']);
    const m = new Membership({ cid: CID, me: 'alice', store });
    await m.load(['alice', 'bob', 'eve']);
    expect(m.recipients(['alice', 'bob', 'eve'])).toEqual(['alice', 'bob']);
    expect(m.unconfirmed(['alice', 'bob', 'eve'])).toEqual(['eve']);
    expect(m.removed(['alice', 'bob', 'eve'])).toEqual(['carol']);
  });
});

describe('portalConfirmed', () => {
  it.each([
    ['the user and the requested contacts', ['me', 'bob'], ['bob-sub'], ['me', 'bob']],
    ['not members the chat service added', ['me', 'bob', 'eve'], ['bob-sub'], ['me', 'bob']],
    ['not contacts that were not requested', ['me', 'bob', 'carol'], ['bob-sub'], ['me', 'bob']],
    ['not requested peers the answer lacks', ['me'], ['bob-sub', 'carol-sub'], ['me']],
  ])('confirms %s', (_, answer, peers, expected) => {
    const contacts = [{ id: 'bob', sub: 'bob-sub' }, { id: 'carol', sub: 'carol-sub' }, { id: 'eve' }];
    expect(portalConfirmed(answer, peers, 'me', contacts)).toEqual(expected);
  });
});

describe('self-declared names', () => {
  it.each([
    ['Dr. Lee Chen', 'Dr. Lee Chen'],
    ['  Dr.\u202e Lee \n\t Chen\u200f ', 'Dr. Lee Chen'],
    ['\u0000\u202a', undefined],
    ['x'.repeat(100), 'x'.repeat(64)],
    [undefined, undefined],
  ])('%j is shown as %j', (input, expected) => {
    expect(declaredName(input)).toBe(expected);
  });

  it('the portal name wins; a self-declared one is marked; none is none', () => {
    expect(senderName('Dr. Bob Ruiz', 'Dr. Lee Chen')).toEqual({ name: 'Dr. Bob Ruiz', source: 'portal' });
    expect(senderName(undefined, 'Dr. Lee Chen')).toEqual({ name: 'Dr. Lee Chen', source: 'self-declared' });
    expect(senderName(undefined, undefined)).toBeUndefined();
  });
});
