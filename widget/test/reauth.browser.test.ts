// Key changes noticed for every contact (trust on first use), unlocking as a re-authentication, the key wipe on lock
// and a download dropped by a lock: real clients and the built widget against the local stack.
import { expect } from '@open-wc/testing';
import { openDB } from 'idb';
import type { CryptoPort } from '../src/core/ports.js';
import type { SecureChatElement } from '../src/secure-chat.js';
import {
  buttonByText,
  chatUserId,
  mount,
  sessionToken,
  shadow,
  skipBackup,
  stackConfig,
  subject,
  textOf,
  waitFor,
  waitForMessage,
  waitForScreen,
  waitForStatus,
  WIDGET_ENTRY,
  type MountOptions,
  type Person,
} from './stack-helpers.js';

await import(WIDGET_ENTRY);

const mounted: SecureChatElement[] = [];
afterEach(() => {
  for (const el of mounted.splice(0)) el.remove();
});

/** Mounts a widget (with `services` set before it connects, when given) and, on a first device, skips the backup. */
async function open(
  me: Person,
  opts: MountOptions,
  extra: { setup?: 'skip' | 'none'; services?: SecureChatElement['services'] } = {},
) {
  const holder = document.createElement('div');
  const el = await mount(me, { ...opts, container: holder });
  if (extra.services) el.services = extra.services;
  document.body.append(holder);
  mounted.push(el);
  if ((extra.setup ?? 'skip') === 'skip') await skipBackup(el);
  return el;
}

/** The decryption worker's last report once it was terminated (after its wipe). */
const workerEnded = (port: CryptoPort) =>
  waitFor('the decryption worker to end', () => {
    const worker = port.keyMaterial().worker;
    return worker?.running === false ? worker : undefined;
  });

const part = (el: Element, name: string) => shadow(el).querySelector<HTMLElement>(`[part~="${name}"]`);
const suffix = () => Math.random().toString(36).slice(2, 10);

/** The key fingerprints this device pinned for `owner` (IndexedDB `<storage>-verified`, store `pinned`). */
async function pinned(storage: string, owner: string): Promise<Record<string, string>> {
  // Never create the database here: the widget creates it with its schema.
  const known = await indexedDB.databases();
  if (!known.some((info) => info.name === `${storage}-verified`)) return {};
  const db = await openDB(`${storage}-verified`);
  try {
    if (!db.objectStoreNames.contains('pinned')) return {};
    const rows = (await db.getAll('pinned')) as { owner: string; contact: string; fingerprint: string }[];
    return Object.fromEntries(rows.filter((r) => r.owner === owner).map((r) => [r.contact, r.fingerprint]));
  } finally {
    db.close();
  }
}

/** Like `waitFor`, for a check that has to await (IndexedDB). */
async function waitForAsync<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeout = 30_000,
): Promise<T> {
  const start = performance.now();
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (performance.now() - start > timeout) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Bob loses his device: on a new one he chooses "I forgot my password" and gets a new key. */
async function newKeyOnNewDevice(bob: Person, opts: MountOptions): Promise<SecureChatElement> {
  const b2 = await open(bob, opts, { setup: 'none' });
  await waitForScreen(b2, /Restore your/);
  buttonByText(b2, 'I forgot my password').click();
  await waitForScreen(b2, /Create a new key/);
  buttonByText(b2, 'Create a new key').click();
  await skipBackup(b2);
  return b2;
}

describe('re-authentication, key changes for everyone, key wipe (real clients, local stack)', function () {
  this.timeout(240_000);

  it("notices a never-verified contact's new key in the conversation and in the list, until it is accepted", async () => {
    const alice = { sub: subject('alice'), name: 'Alice' };
    const bob = { sub: subject('bob'), name: 'Bob' };
    const storage = `tofu-${suffix()}`;
    const a = await open(alice, { peers: [bob], peer: bob.sub, storage });
    const b = await open(bob, { peers: [alice], peer: alice.sub, storage: `bob1-${suffix()}` });
    const [aliceId, bobId] = await Promise.all([chatUserId(alice.sub), chatUserId(bob.sub)]);
    const audits: { type: string; verification?: string; contactId?: string }[] = [];
    a.addEventListener('secure-chat-audit', (e) => audits.push(e.detail));

    const before = await b.send('before the key change');
    expect(textOf(await waitForMessage(a, before))).to.equal('before the key change');
    // Alice never compares safety codes; the first key her device saw for Bob is pinned.
    const firstPin = await waitForAsync('pinned key', async () => (await pinned(storage, aliceId))[bobId]);
    expect(firstPin).to.match(/^[0-9a-f]{64}$/);
    expect(part(a, 'key-change-warning')).to.equal(null);

    b.remove();
    const b2 = await newKeyOnNewDevice(bob, {
      peers: [alice],
      peer: alice.sub,
      storage: `bob2-${suffix()}`,
    });
    const reported = new Map<string, string>();
    a.addEventListener('secure-chat-message', (e) => reported.set(e.detail.id, e.detail.trust));
    const after = await b2.send('after the key change');

    // The notice names Bob and offers to compare safety codes; his messages are not shown as trusted.
    const notice = await waitFor('key change notice', () => part(a, 'key-change-warning'));
    expect(notice.textContent).to.match(/Bob's security key has changed/);
    expect(notice.textContent).to.match(/not the key you verified or first saw/);
    expect(buttonByText(a, 'Compare safety codes')).to.not.equal(undefined);
    const hidden = await waitForMessage(a, after, 'key-changed');
    expect(hidden.querySelector('.text')).to.equal(null);
    expect(shadow(a).innerHTML).to.not.contain('after the key change');
    await waitFor('message event', () => reported.get(after));
    expect(reported.get(after)).to.equal('key-changed');
    expect(
      audits.some(
        (x) => x.type === 'verification-changed' && x.verification === 'key-changed' && x.contactId === bobId,
      ),
    ).to.equal(true);
    // Nothing is encrypted to the new key until Alice accepts or verifies it: the composer says why, and the
    // page's own send() is refused.
    const blocked = await waitFor('composer blocked', () => part(a, 'composer-blocked'));
    expect(blocked.textContent).to.match(/security key of Bob changed/);
    expect(
      shadow(a).querySelector<HTMLTextAreaElement>('[part~="input"]')?.closest('fieldset')?.disabled,
    ).to.equal(true);
    const refused = await a.send('to the new key').then(
      () => undefined,
      (error: { code?: string }) => error.code,
    );
    expect(refused).to.equal('forbidden');
    await expect(a).to.be.accessible();

    // The same device in list mode: Bob's latest message is the preview, shown as a key change, never as text.
    const list = await open(alice, { peers: [bob], storage }, { setup: 'none' });
    await waitForStatus(list, 'ready');
    const row = await waitFor(
      'key-changed preview',
      () => shadow(list).querySelector<HTMLElement>('button.conversation[data-preview="key-changed"]'),
      30_000,
    );
    expect(row.textContent).to.match(/Security key changed/);
    expect(shadow(list).innerHTML).to.not.contain('after the key change');
    await expect(list).to.be.accessible();

    // Accepting the new key shows the message (Bob stays unverified) and pins the new key.
    buttonByText(a, 'Accept the new key').click();
    expect(textOf(await waitForMessage(a, after))).to.equal('after the key change');
    expect(part(a, 'key-change-warning')).to.equal(null);
    await waitFor('composer open again', () => !part(a, 'composer-blocked'));
    expect(textOf(await waitForMessage(a, await a.send('to the accepted key')))).to.equal(
      'to the accepted key',
    );
    const newPin = await waitForAsync('re-pinned', async () => {
      const pin = (await pinned(storage, aliceId))[bobId];
      return pin !== firstPin ? pin : undefined;
    });
    expect(newPin).to.match(/^[0-9a-f]{64}$/);
    expect(audits.some((x) => x.verification === 'acknowledged' && x.contactId === bobId)).to.equal(true);
  });

  it('without a hook nothing unlocks: no unlock button, attribute changes and reconnect() stay locked', async () => {
    const alice = { sub: subject('alice'), name: 'Alice' };
    const bob = { sub: subject('bob'), name: 'Bob' };
    const carol = { sub: subject('carol'), name: 'Carol' };
    const a = await open(alice, { peers: [bob, carol], peer: bob.sub });
    await a.send('locked away plaintext');
    let tokens = 0;
    const original = a.getSessionToken as () => Promise<string>;
    a.getSessionToken = () => {
      tokens++;
      return original();
    };
    a.lock();
    expect(a.status).to.equal('locked');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const screen = part(a, 'locked') as HTMLElement;
    expect(screen.textContent).to.match(/sign in again through the portal/);
    expect(screen.querySelector('button')).to.equal(null);
    expect(part(a, 'unlock-button')).to.equal(null);
    await expect(a).to.be.accessible();

    // A new conversation target waits for the unlock; it does not start a session.
    a.setAttribute('peer', carol.sub);
    a.setAttribute('api-url', `${(await stackConfig()).apiUrl}/`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(a.status).to.equal('locked');
    let error: { code?: string } | undefined;
    await a.reconnect().catch((e: { code?: string }) => (error = e));
    expect(error?.code).to.equal('unauthorized');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(a.status).to.equal('locked');
    expect(tokens).to.equal(0);
    expect(shadow(a).innerHTML).to.not.contain('locked away plaintext');
  });

  it('with the hook, unlocking uses its fresh token for /v1/session; a rejected hook keeps the lock', async () => {
    const alice = { sub: subject('alice'), name: 'Alice' };
    const bob = { sub: subject('bob'), name: 'Bob' };
    const { apiUrl } = await stackConfig();
    const b = await open(bob, { peers: [alice], peer: alice.sub });
    const a = await open(alice, { peers: [bob], peer: bob.sub });
    const sent = await b.send('read again after signing in');
    expect(textOf(await waitForMessage(a, sent))).to.equal('read again after signing in');

    let asked = 0;
    a.reauthenticate = async () => {
      asked++;
      throw new Error('the user closed the sign-in');
    };
    a.dispatchEvent(new Event('secure-chat-logout'));
    expect(a.status).to.equal('locked');
    const unlock = await waitFor('unlock button', () => part(a, 'unlock-button'));
    expect(unlock.textContent?.trim()).to.equal('Sign in again');
    unlock.click();
    const alert = await waitFor('failure message', () => part(a, 'locked')?.querySelector('[role="alert"]'));
    expect(alert.textContent).to.match(/not signed in again/);
    expect(asked).to.equal(1);
    expect(a.status).to.equal('locked');
    await expect(a).to.be.accessible();

    // The portal's sign-in succeeds: its token (minted now, with its own lifetime) opens the new session.
    const fresh = await sessionToken(alice.sub, alice.name, [bob], 1234);
    a.reauthenticate = async () => fresh;
    const sessionAuth: string[] = [];
    const realFetch = window.fetch;
    window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
      const url = input instanceof Request ? input.url : String(input);
      if (url === `${apiUrl}/v1/session`)
        sessionAuth.push(new Headers(init?.headers).get('authorization') ?? '');
      return realFetch(input, init);
    };
    const startedAt = new Date(Date.now() - 1_000).toISOString();
    try {
      await a.reconnect(); // while locked: the same re-authentication as the button
      await waitForStatus(a, 'ready');
    } finally {
      window.fetch = realFetch;
    }
    expect(sessionAuth).to.deep.equal([`Bearer ${fresh}`]);
    // The token API issued that session (its audit log), for Alice, after the unlock began.
    const aliceId = await chatUserId(alice.sub);
    const issued = (await (await fetch('/__stack/audit')).json()) as {
      time: string;
      userId?: string;
      route: string;
      outcome: string;
    }[];
    expect(
      issued.some(
        (x) =>
          x.route === 'POST /v1/session' &&
          x.outcome === 'issued' &&
          x.userId === aliceId &&
          x.time >= startedAt,
      ),
    ).to.equal(true);
    expect(textOf(await waitForMessage(a, sent))).to.equal('read again after signing in');
  });

  it('lock and sign-out dispose every key object and drop the E3Kit instance', async () => {
    const alice = { sub: subject('alice'), name: 'Alice' };
    const bob = { sub: subject('bob'), name: 'Bob' };
    const ports: CryptoPort[] = [];
    const services = { inspectCrypto: (port: CryptoPort) => ports.push(port) };
    const b = await open(bob, { peers: [alice], peer: alice.sub });
    const a = await open(alice, { peers: [bob], peer: bob.sub }, { services });
    const sent = await b.send('decrypted with the private key');
    await waitForMessage(a, sent);
    await a.send('signed with the private key');
    const live = ports[0]!.keyMaterial();
    expect(live.instance).to.equal(true);
    // The private key, Alice's and Bob's card keys, the public keys extracted while encrypting.
    expect(live.keys).to.be.greaterThan(2);
    expect(live.live).to.be.greaterThan(0);
    // The decryption worker: this device's private key and Bob's public key.
    expect(live.worker).to.deep.include({ running: true, privateKey: true });
    expect(live.worker!.live).to.be.at.least(2);

    a.lock();
    // Synchronously, before lock() returns.
    const wiped = ports[0]!.keyMaterial();
    expect(wiped).to.deep.include({ instance: false, keys: wiped.keys, live: 0 });
    expect(wiped.keys).to.be.at.least(live.keys);
    // The worker confirms its own wipe (every key object disposed, the private key gone), then is terminated.
    const worker = await workerEnded(ports[0]!);
    expect(worker).to.deep.equal({ running: false, keys: worker.keys, live: 0, privateKey: false });
    expect(worker.keys).to.be.at.least(live.worker!.keys);

    // After a re-authentication, a new instance; signing out wipes it too.
    a.reauthenticate = a.getSessionToken as () => Promise<string>;
    await a.updateComplete;
    buttonByText(a, 'Sign in again').click();
    await waitForStatus(a, 'ready');
    await waitForMessage(a, sent);
    expect(ports).to.have.length(2);
    expect(ports[1]!.keyMaterial().live).to.be.greaterThan(0);
    await a.signOut();
    expect(ports[1]!.keyMaterial()).to.include({ instance: false, live: 0 });
    expect(await workerEnded(ports[1]!)).to.include({ running: false, live: 0, privateKey: false });
  });

  it('drops a download in flight when the widget locks: aborted, and its file never handed over', async () => {
    const alice = { sub: subject('alice'), name: 'Alice' };
    const bob = { sub: subject('bob'), name: 'Bob' };
    const ports: CryptoPort[] = [];
    const b = await open(bob, { peers: [alice], peer: alice.sub });
    const a = await open(
      alice,
      { peers: [bob], peer: bob.sub },
      { services: { inspectCrypto: (port) => ports.push(port) } },
    );
    const name = `scan-${suffix()}.bin`;
    const file = new File([new Uint8Array(12 * 1024 * 1024).fill(7)], name, {
      type: 'application/octet-stream',
    });
    await b.send('the scan', { files: [file] });
    const button = await waitFor(
      'download button',
      () =>
        [...shadow(a).querySelectorAll<HTMLButtonElement>('[part~="download-button"]')].find((x) =>
          x.textContent?.includes(name),
        ),
      120_000,
    );

    let handedOver = 0;
    const realCreate = URL.createObjectURL;
    URL.createObjectURL = (blob: Blob | MediaSource) => {
      handedOver++;
      return realCreate(blob);
    };
    const downloaded: unknown[] = [];
    const onDownloaded = (e: Event) => downloaded.push(e);
    document.addEventListener('secure-chat-file-downloaded', onDownloaded);
    const errors: unknown[] = [];
    const onError = (e: ErrorEvent | PromiseRejectionEvent) => errors.push(e);
    window.addEventListener('error', onError);
    window.addEventListener('unhandledrejection', onError);
    try {
      button.click();
      // Lock while the file is being fetched or decrypted.
      await waitFor('download under way', () => {
        const progress = part(a, 'download-progress') as HTMLProgressElement | null;
        return progress !== null && progress.value > 0;
      });
      a.lock();
      expect(ports[0]!.keyMaterial().live).to.equal(0);
      await new Promise((resolve) => setTimeout(resolve, 3_000));
    } finally {
      URL.createObjectURL = realCreate;
      document.removeEventListener('secure-chat-file-downloaded', onDownloaded);
      window.removeEventListener('error', onError);
      window.removeEventListener('unhandledrejection', onError);
    }
    expect(handedOver).to.equal(0);
    expect(downloaded).to.deep.equal([]);
    expect(errors).to.deep.equal([]);
    expect(a.status).to.equal('locked');
  });
});
