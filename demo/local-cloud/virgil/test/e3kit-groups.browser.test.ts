import { expect } from '@open-wc/testing';
import { inspectVirgil, registeredDevice, rejectionName } from './e3kit-browser.js';

describe('E3Kit against the local Virgil cloud: groups', () => {
  it('creates, loads, adds, updates, removes, encrypts and decrypts', async () => {
    const [alice, bob, carol] = await Promise.all([
      registeredDevice('alice'),
      registeredDevice('bob'),
      registeredDevice('carol'),
    ]);
    const groupId = `care-team-${crypto.randomUUID()}`;
    const aliceGroup = await alice.eThree.createGroup(groupId, await alice.eThree.findUsers([bob.identity]));
    // Keyknox answers 50010 for an existing epoch 0, which E3Kit reports as this error.
    const again = alice.eThree.createGroup(groupId, await alice.eThree.findUsers([bob.identity]));
    expect(await rejectionName(again)).to.equal('GroupTicketAlreadyExistsError');
    const aliceCard = await bob.eThree.findUsers(alice.identity);
    const bobGroup = await bob.eThree.loadGroup(groupId, aliceCard);
    expect([...bobGroup.participants].sort()).to.deep.equal([alice.identity, bob.identity].sort());
    const first = await aliceGroup.encrypt('care plan v1');
    expect(await bobGroup.decrypt(first, aliceCard)).to.equal('care plan v1');

    // Adding carol must leave bob able to update (one Keyknox copy per recipient).
    await aliceGroup.add(await alice.eThree.findUsers(carol.identity));
    const carolGroup = await carol.eThree.loadGroup(groupId, await carol.eThree.findUsers(alice.identity));
    await bobGroup.update();
    expect([...bobGroup.participants].sort()).to.deep.equal(
      [alice.identity, bob.identity, carol.identity].sort(),
    );
    const fromBob = await bobGroup.encrypt('noted');
    expect(await carolGroup.decrypt(fromBob, await carol.eThree.findUsers(bob.identity))).to.equal('noted');
    expect(await carolGroup.decrypt(first, await carol.eThree.findUsers(alice.identity))).to.equal(
      'care plan v1',
    );

    await aliceGroup.remove(await alice.eThree.findUsers(bob.identity));
    const second = await aliceGroup.encrypt('care plan v2');
    await carolGroup.update();
    expect(await carolGroup.decrypt(second, await carol.eThree.findUsers(alice.identity))).to.equal(
      'care plan v2',
    );
    expect(await rejectionName(bobGroup.update())).to.equal('GroupError');
    expect(await rejectionName(bobGroup.decrypt(second, aliceCard))).to.not.equal('');

    const entries = (await inspectVirgil()).keyknoxV2.filter((e) => e.owner === alice.identity);
    expect(entries.map((e) => e.key).sort()).to.deep.equal(['0', '1']);
    expect(entries.every((e) => e.copies.every((c) => c.identity !== bob.identity))).to.equal(true);
  });
});
