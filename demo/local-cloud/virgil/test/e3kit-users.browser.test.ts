import { expect } from '@open-wc/testing';
import {
  fetchToken,
  inspectVirgil,
  openDevice,
  registeredDevice,
  rejectionName,
  restartVirgil,
  uniqueIdentity,
  virgilApiUrl,
} from './e3kit-browser.js';

describe('E3Kit against the local Virgil cloud: users and messages', () => {
  it('registers a user and finds them from another user', async () => {
    const alice = await registeredDevice('alice');
    const bob = await registeredDevice('bob');
    const card = await bob.eThree.findUsers(alice.identity);
    expect(card.identity).to.equal(alice.identity);
    expect(await rejectionName(alice.eThree.register())).to.equal('IdentityAlreadyExistsError');
    expect(await rejectionName(bob.eThree.findUsers(uniqueIdentity('ghost')))).to.equal('UsersNotFoundError');
    const stored = (await inspectVirgil()).cards.filter((c) => c.identity === alice.identity);
    expect(stored).to.have.length(1);
  });

  it('authEncrypts and authDecrypts both ways, and no plaintext reaches the stand-in', async () => {
    const alice = await registeredDevice('alice');
    const bob = await registeredDevice('bob');
    const bobCard = await alice.eThree.findUsers(bob.identity);
    const aliceCard = await bob.eThree.findUsers(alice.identity);
    const toBob = await alice.eThree.authEncrypt('lab results are ready', bobCard);
    expect(await bob.eThree.authDecrypt(toBob, aliceCard)).to.equal('lab results are ready');
    const toAlice = await bob.eThree.authEncrypt('thanks, doctor', aliceCard);
    expect(await alice.eThree.authDecrypt(toAlice, bobCard)).to.equal('thanks, doctor');
    // A third user cannot read it.
    const eve = await registeredDevice('eve');
    expect(await rejectionName(eve.eThree.authDecrypt(toBob, aliceCard))).to.not.equal('');
    const bodies = (await inspectVirgil()).requests.map((r) => r.body).join('\n');
    expect(bodies).to.not.contain('lab results');
    expect(bodies).to.not.contain('thanks, doctor');
  });

  it('rotates a private key: the old card is superseded and others find the new one', async () => {
    const alice = await registeredDevice('alice');
    const bob = await registeredDevice('bob');
    const before = await bob.eThree.findUsers(alice.identity);
    await alice.eThree.cleanup();
    await alice.eThree.rotatePrivateKey();
    const after = await bob.eThree.findUsers(alice.identity);
    expect(after.id).to.not.equal(before.id);
    expect(after.previousCardId).to.equal(before.id);
    const old = await bob.eThree.cardManager.getCard(before.id);
    expect(old.isOutdated).to.equal(true);
    const stored = (await inspectVirgil()).cards.find((c) => c.id === before.id);
    expect(stored?.supersededBy).to.equal(after.id);
    const message = await bob.eThree.authEncrypt('after rotation', after);
    expect(await alice.eThree.authDecrypt(message, await alice.eThree.findUsers(bob.identity))).to.equal(
      'after rotation',
    );
  });

  it('unregisters and registers again', async () => {
    const alice = await registeredDevice('alice');
    await alice.eThree.cleanup();
    await alice.eThree.rotatePrivateKey();
    await alice.eThree.unregister();
    expect(await alice.eThree.hasLocalPrivateKey()).to.equal(false);
    const bob = await registeredDevice('bob');
    expect(await rejectionName(bob.eThree.findUsers(alice.identity))).to.equal('UsersNotFoundError');
    await alice.eThree.register();
    const card = await bob.eThree.findUsers(alice.identity);
    expect(card.previousCardId).to.equal(undefined);
  });

  it('asks for a new token when the current one expires mid-run', async () => {
    const identity = uniqueIdentity('short');
    // Every token lives 2 s (the test stand-in allows 1 s of clock leeway).
    const alice = await openDevice(identity, { ttl: () => 2 });
    await alice.eThree.register();
    const firstToken = await fetchToken(identity, 2);
    await new Promise((resolve) => setTimeout(resolve, 3500));
    const stale = await fetch(`${await virgilApiUrl()}/card/v5/actions/search`, {
      method: 'POST',
      headers: { authorization: `Virgil ${firstToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ identities: [identity] }),
    });
    expect(stale.status).to.equal(401);
    expect(await stale.json()).to.include({ code: 20304 });
    const callsBefore = alice.tokenCalls();
    const card = await alice.eThree.findUsers(identity);
    expect(card.identity).to.equal(identity);
    expect(alice.tokenCalls()).to.be.greaterThan(callsBefore);
  });

  it('keeps working across a stand-in restart in the middle of a test', async () => {
    const alice = await registeredDevice('alice');
    const bob = await registeredDevice('bob');
    const message = await alice.eThree.authEncrypt(
      'before restart',
      await alice.eThree.findUsers(bob.identity),
    );
    await restartVirgil();
    const aliceCard = await bob.eThree.findUsers(alice.identity);
    expect(await bob.eThree.authDecrypt(message, aliceCard)).to.equal('before restart');
    const carol = await registeredDevice('carol');
    const reply = await carol.eThree.authEncrypt(
      'after restart',
      await carol.eThree.findUsers(alice.identity),
    );
    expect(await alice.eThree.authDecrypt(reply, await alice.eThree.findUsers(carol.identity))).to.equal(
      'after restart',
    );
  });
});
