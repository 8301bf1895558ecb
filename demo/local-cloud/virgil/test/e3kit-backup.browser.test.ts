import { expect } from '@open-wc/testing';
import {
  inspectVirgil,
  openDevice,
  registeredDevice,
  rejectionName,
  restartVirgil,
} from './e3kit-browser.js';

describe('E3Kit against the local Virgil cloud: password backups', () => {
  it('backs up, restores on a second device, changes the password and resets the backup', async () => {
    const password = `pw-${crypto.randomUUID()}`;
    const newPassword = `pw2-${crypto.randomUUID()}`;
    const alice = await registeredDevice('alice');
    const bob = await registeredDevice('bob');
    await alice.eThree.backupPrivateKey(password);
    expect(await rejectionName(alice.eThree.backupPrivateKey(password))).to.not.equal('');
    const forAlice = await bob.eThree.authEncrypt(
      'see you at 3pm',
      await bob.eThree.findUsers(alice.identity),
    );

    // The Pythia secret survives a restart, so the same password still opens the backup.
    await restartVirgil();
    const laptop = await openDevice(alice.identity);
    expect(await rejectionName(laptop.eThree.restorePrivateKey('wrong password'))).to.equal(
      'WrongKeyknoxPasswordError',
    );
    await laptop.eThree.restorePrivateKey(password);
    const bobCard = await laptop.eThree.findUsers(bob.identity);
    expect(await laptop.eThree.authDecrypt(forAlice, bobCard)).to.equal('see you at 3pm');

    await alice.eThree.changePassword(password, newPassword);
    const tablet = await openDevice(alice.identity);
    expect(await rejectionName(tablet.eThree.restorePrivateKey(password))).to.equal(
      'WrongKeyknoxPasswordError',
    );
    await tablet.eThree.restorePrivateKey(newPassword);
    expect(await tablet.eThree.authDecrypt(forAlice, bobCard)).to.equal('see you at 3pm');

    await alice.eThree.resetPrivateKeyBackup();
    const phone = await openDevice(alice.identity);
    expect(await rejectionName(phone.eThree.restorePrivateKey(newPassword))).to.equal(
      'PrivateKeyNoBackupError',
    );

    const state = await inspectVirgil();
    expect(state.secrets.pythiaSecretStored).to.equal(true);
    expect(state.keyknoxV1.find((entry) => entry.identity === alice.identity)?.value).to.equal('');
    const bodies = state.requests.map((r) => r.body).join('\n');
    expect(bodies).to.not.contain(password);
    expect(bodies).to.not.contain(newPassword);
    expect(bodies).to.not.contain('see you at 3pm');
  });

  it('keeps named backups in Keyknox v2 and restores them by name', async () => {
    const alice = await registeredDevice('alice');
    await alice.eThree.backupPrivateKey('named secret', 'work');
    const laptop = await openDevice(alice.identity);
    // E3Kit surfaces a wrong password on a named restore as the raw decryption error.
    expect(await rejectionName(laptop.eThree.restorePrivateKey('other secret', 'work'))).to.equal(
      'FoundationError',
    );
    await laptop.eThree.restorePrivateKey('named secret', 'work');
    expect(await laptop.eThree.hasLocalPrivateKey()).to.equal(true);
    const entry = (await inspectVirgil()).keyknoxV2.find(
      (e) => e.owner === alice.identity && e.root === 'e3kit',
    );
    expect(entry).to.include({ path: 'backup', key: 'work' });
    await alice.eThree.resetPrivateKeyBackupWithKeyName('work');
    const phone = await openDevice(alice.identity);
    expect(await rejectionName(phone.eThree.restorePrivateKey('named secret', 'work'))).to.not.equal('');
  });
});
