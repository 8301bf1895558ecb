// The organization recipient: with a pinned organization key every envelope, edit, tombstone and file is sealed to
// it as well; a directory answering with another card for the organization's identity makes the send fail, and
// nothing reaches the chat service.
import { describe, expect, it } from 'vitest';
import {
  FakeApi,
  FakeChat,
  FakeChatServer,
  FakeCrypto,
  FakeDevice,
  FakeDirectory,
  conversationOf,
  sessionInfo,
  startSession,
} from '../../test/fakes/fake-ports.js';
import { SecureChatError } from './errors.js';
import { parseOrganization, type OrganizationKey } from './organization.js';

const CID = 'messaging:care';
const ORG = 'organization';
/** The fake directory's card for version 1 of the organization's key: id "1", key bytes "organization#1". */
const PINNED: OrganizationKey = {
  identity: ORG,
  cardId: '1',
  publicKey: Buffer.from(`${ORG}#1`).toString('base64'),
  name: 'Sunrise Clinic',
};

async function alice(org: OrganizationKey | undefined) {
  const server = new FakeChatServer();
  server.addChannel(CID, ['alice', 'bob']);
  const dir = new FakeDirectory();
  dir.versions.set('bob', 1);
  dir.versions.set(ORG, 1);
  const crypto = new FakeCrypto('alice', dir, new FakeDevice());
  const info = { ...sessionInfo('alice', 'Alice'), ...(org ? { organization: org } : {}) };
  const session = await startSession({
    id: 'alice',
    channel: CID,
    chat: new FakeChat(server),
    crypto,
    api: new FakeApi(info),
  });
  return { server, dir, crypto, session, sender: conversationOf(session).sender };
}

describe('the organization recipient', () => {
  it('is sealed to with every message, edit, tombstone and file when pinned', async () => {
    const { crypto, sender, server } = await alice(PINNED);
    const id = await sender.send('hello', {
      files: [new File(['x-ray'], 'scan.png', { type: 'image/png' })],
    });
    await sender.edit(id, 'hello again');
    await sender.deleteMessage(id);
    // File, envelope, edit, tombstone: four seals, each to Alice, Bob and the organization.
    expect(crypto.sealedTo).toEqual(Array(4).fill(['alice', 'bob', ORG]));
    expect(server.channels.get(CID)?.messages.length).toBe(1);
  });

  it('is not sealed to when the deployment pins none', async () => {
    const { crypto, sender } = await alice(undefined);
    await sender.send('hello');
    expect(crypto.sealedTo).toEqual([['alice', 'bob']]);
  });

  it('refuses to send when the directory holds another organization card, and sends nothing', async () => {
    const { dir, sender, server, crypto, session } = await alice(PINNED);
    dir.versions.set(ORG, 2); // the directory now answers with a key nobody pinned
    const sent = sender.send('for the patient only');
    await expect(sent).rejects.toBeInstanceOf(SecureChatError);
    await expect(sent).rejects.toMatchObject({ code: 'forbidden' });
    expect(server.channels.get(CID)?.messages.length ?? 0).toBe(0);
    expect(crypto.sealedTo).toEqual([]);
    const failed = conversationOf(session).timeline.main().at(-1);
    expect(failed?.kind === 'message' && failed.failed).toBe(true);
  });

  it('refuses files too, and when the organization has no card at all', async () => {
    const { dir, sender, crypto } = await alice(PINNED);
    dir.versions.delete(ORG);
    const file = new File(['x-ray'], 'scan.png', { type: 'image/png' });
    await expect(sender.send('', { files: [file] })).rejects.toMatchObject({ code: 'forbidden' });
    expect(crypto.sealedTo).toEqual([]);
  });
});

describe('parseOrganization', () => {
  it('keeps a complete key and its name, and rejects a malformed one', () => {
    expect(parseOrganization(undefined)).toBeUndefined();
    expect(parseOrganization(PINNED)).toEqual(PINNED);
    expect(() => parseOrganization({ identity: ORG, cardId: '' })).toThrow(SecureChatError);
  });
});
