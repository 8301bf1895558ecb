import { expect } from '@open-wc/testing';
import { openDB } from 'idb';
import { WrappedKeyStorage } from '../src/adapters/wrapped-key-storage.js';

const RAW_KEY = 'MC4CAQAwBQYDK2VwBCIEIAAxN37Y2EnuqBmo7Sd+TSPKAIpcHas4j2ZPR9NW7b3X';

/** Every byte IndexedDB holds for the store, as the page (or a copied profile) would see it. */
async function rawRecords(databaseName: string) {
  const db = await openDB(databaseName);
  const entries = await db.getAll('entries');
  const wrappingKeys = await db.getAll('wrapping-keys');
  db.close();
  return { entries, wrappingKeys };
}

describe('WrappedKeyStorage (E3Kit keyEntryStorage)', () => {
  let databaseName: string;
  beforeEach(() => {
    databaseName = `wrapped-keys-test-${crypto.randomUUID()}`;
  });

  it('round-trips an entry without storing the raw key', async () => {
    const storage = new WrappedKeyStorage(databaseName);
    const saved = await storage.save({ name: 'alice', value: RAW_KEY });
    expect(saved.value).to.equal(RAW_KEY);
    expect(await storage.exists('alice')).to.equal(true);
    expect((await storage.load('alice'))?.value).to.equal(RAW_KEY);

    const { entries, wrappingKeys } = await rawRecords(databaseName);
    expect(entries).to.have.length(1);
    const stored = new Uint8Array(entries[0].sealed);
    const storedText = new TextDecoder('latin1').decode(stored);
    expect(storedText).not.to.contain(RAW_KEY);
    expect(JSON.stringify(entries[0])).not.to.contain(RAW_KEY);
    const rawKeyBytes = Uint8Array.from(atob(RAW_KEY), (c) => c.charCodeAt(0));
    expect(storedText).not.to.contain(new TextDecoder('latin1').decode(rawKeyBytes.slice(16)));

    // The wrapping key is a CryptoKey object that cannot be exported.
    expect(wrappingKeys[0]).to.be.instanceOf(CryptoKey);
    expect(wrappingKeys[0].extractable).to.equal(false);
    let exportError: unknown;
    try {
      await crypto.subtle.exportKey('raw', wrappingKeys[0]);
    } catch (error) {
      exportError = error;
    }
    expect(exportError).to.be.instanceOf(DOMException);
  });

  it('refuses a duplicate save, updates, lists and removes', async () => {
    const storage = new WrappedKeyStorage(databaseName);
    await storage.save({ name: 'alice', value: RAW_KEY });
    let duplicate: unknown;
    try {
      await storage.save({ name: 'alice', value: 'other' });
    } catch (error) {
      duplicate = error;
    }
    expect((duplicate as Error).name).to.equal('KeyEntryAlreadyExistsError');

    await storage.update({ name: 'alice', value: 'rotated' });
    expect((await storage.load('alice'))?.value).to.equal('rotated');
    expect((await storage.list()).map((entry) => entry.name)).to.deep.equal(['alice']);
    expect(await storage.remove('alice')).to.equal(true);
    expect(await storage.remove('alice')).to.equal(false);
    expect(await storage.load('alice')).to.equal(null);
  });

  it('cannot be read once cleared, and detects an entry moved to another name', async () => {
    const storage = new WrappedKeyStorage(databaseName);
    await storage.save({ name: 'alice', value: RAW_KEY });
    const db = await openDB(databaseName);
    const sealed = await db.get('entries', 'alice');
    await db.put('entries', { ...sealed, name: 'mallory' }, 'mallory');
    db.close();
    let swapped: unknown;
    try {
      await storage.load('mallory');
    } catch (error) {
      swapped = error;
    }
    expect(swapped).to.be.instanceOf(DOMException);

    await storage.clear();
    expect(await storage.exists('alice')).to.equal(false);
    expect((await rawRecords(databaseName)).wrappingKeys).to.have.length(0);
  });

  describe('passkey re-wrapping', () => {
    const record = {
      credentialId: new Uint8Array([9, 9, 9]).buffer,
      salt: new Uint8Array(32).fill(3).buffer,
    };
    const aesKey = () =>
      crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
    const failure = (promise: Promise<unknown>) =>
      promise.then(
        () => undefined,
        (error: unknown) => error,
      );

    it('opens a version 1 store (before the passkey records) without losing its entries', async () => {
      const v1 = await openDB(databaseName, 1, {
        upgrade(db) {
          db.createObjectStore('entries');
          db.createObjectStore('wrapping-keys');
        },
      });
      v1.close();
      const storage = new WrappedKeyStorage(databaseName);
      await storage.save({ name: 'alice', value: RAW_KEY });
      expect(await storage.protection('alice')).to.equal('device');
      expect((await new WrappedKeyStorage(databaseName).load('alice'))?.value).to.equal(RAW_KEY);
    });

    it('re-wraps under the passkey key: only that key opens it, and later saves stay under it', async () => {
      const passkeyKey = await aesKey();
      const storage = new WrappedKeyStorage(databaseName);
      await storage.save({ name: 'alice', value: RAW_KEY });
      await storage.protectWithPasskey('alice', record, passkeyKey);
      expect(await storage.protection('alice')).to.equal('passkey');
      expect((await storage.load('alice'))?.value).to.equal(RAW_KEY);

      // A new instance asks for the passkey (with the stored record) and opens it with the derived key only.
      const asked: unknown[] = [];
      const reopened = new WrappedKeyStorage(databaseName, undefined, undefined, {
        unlockPasskey: async (r) => (asked.push(r), passkeyKey),
      });
      expect((await reopened.load('alice'))?.value).to.equal(RAW_KEY);
      expect(asked).to.have.length(1);
      expect(new Uint8Array((asked[0] as typeof record).salt)).to.deep.equal(new Uint8Array(record.salt));
      const other = await aesKey();
      const wrong = new WrappedKeyStorage(databaseName, undefined, undefined, {
        unlockPasskey: async () => other,
      });
      expect(await failure(wrong.load('alice'))).to.be.instanceOf(DOMException);

      // Rotation (remove, then save) keeps the passkey; the device key does not open the new entry either.
      await reopened.remove('alice');
      await reopened.save({ name: 'alice', value: 'rotated key' });
      expect(await reopened.protection('alice')).to.equal('passkey');
      expect(await failure(wrong.load('alice'))).to.be.instanceOf(DOMException);
      const fresh = new WrappedKeyStorage(databaseName, undefined, undefined, {
        unlockPasskey: async () => passkeyKey,
      });
      expect((await fresh.load('alice'))?.value).to.equal('rotated key');

      // A refused passkey is asked again next time rather than remembered as failed.
      let calls = 0;
      const flaky = new WrappedKeyStorage(databaseName, undefined, undefined, {
        unlockPasskey: async () => {
          calls += 1;
          if (calls === 1) throw new DOMException('cancelled', 'NotAllowedError');
          return passkeyKey;
        },
      });
      expect(((await failure(flaky.load('alice'))) as DOMException).name).to.equal('NotAllowedError');
      expect((await flaky.load('alice'))?.value).to.equal('rotated key');

      // Sign-out with "don't keep my key": the entry and the passkey record go.
      await fresh.remove('alice');
      await fresh.forgetProtection('alice');
      expect(await fresh.protection('alice')).to.equal('device');
    });

    it('remembers a declined offer without touching the device-key entry', async () => {
      const storage = new WrappedKeyStorage(databaseName);
      await storage.save({ name: 'alice', value: RAW_KEY });
      await storage.declinePasskey('alice');
      expect(await storage.protection('alice')).to.equal('declined');
      expect((await new WrappedKeyStorage(databaseName).load('alice'))?.value).to.equal(RAW_KEY);
    });
  });
});
