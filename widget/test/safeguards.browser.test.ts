// Healthcare safeguards in a real browser against the local stack: automatic logoff, protected key at rest,
// key verification with key-change warnings, the audit trail, and metadata minimization.
import { expect } from '@open-wc/testing';
import { openDB } from 'idb';
import { passkeyWrappingKey, WrappedKeyStorage } from '../src/adapters/wrapped-key-storage.js';
import type { SecureChatElement } from '../src/secure-chat.js';
import type * as E3Vendor from './vendor/e3kit.js';
import {
  $,
  buttonByText,
  chatUserId,
  inspectStack,
  mount,
  screenshot,
  shadow,
  skipBackup,
  stackConfig,
  subject,
  textOf,
  waitFor,
  waitForMessage,
  waitForScreen,
  waitForStatus,
  type MountOptions,
  type Person,
} from './stack-helpers.js';
import { NO_WEBAUTHN, skipIn } from './engine.js';

const entry = '/dist/widget/secure-chat.js';
await import(entry);
const e3kitVendor = '/dist/test-vendor/e3kit.js';

interface Audit {
  type: string;
  at: string;
  [id: string]: string;
}

const mounted: SecureChatElement[] = [];
afterEach(() => {
  for (const el of mounted.splice(0)) el.remove();
});

/** Mounts with extra attributes set before the element connects (the idle timers read them on connect). */
async function open(
  me: Person,
  opts: MountOptions,
  attrs: Record<string, string> = {},
  setup: 'skip' | 'none' = 'skip',
) {
  const holder = document.createElement('div');
  const el = await mount(me, { ...opts, container: holder });
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, value);
  const audits: Audit[] = [];
  el.addEventListener('secure-chat-audit', (e) => audits.push(e.detail as unknown as Audit));
  document.body.append(holder);
  mounted.push(el);
  if (setup === 'skip') await skipBackup(el);
  return { el, audits };
}

const part = (el: Element, name: string) => shadow(el).querySelector<HTMLElement>(`[part~="${name}"]`);

/** Opens the safety codes panel and returns the code shown for one contact. */
async function codeFor(el: SecureChatElement, contact: string): Promise<string> {
  await waitFor('conversation menu', () => part(el, 'menu-button'));
  if (!part(el, 'verification')) {
    part(el, 'menu-button')!.click();
    await el.updateComplete;
    (shadow(el).querySelector('#conversation-menu [data-menu="safety"]') as HTMLElement).click();
  }
  const node = await waitFor('safety code', () =>
    shadow(el).querySelector<HTMLElement>(`.contact[data-contact="${contact}"] .code`),
  );
  return node.textContent?.trim() ?? '';
}

describe('healthcare safeguards (real clients, local stack)', function () {
  this.timeout(240_000);

  it('locks after the idle timeout, after a warning with "Stay signed in", and drops all decrypted text', async () => {
    const alice = { sub: subject('alice'), name: 'Alice' };
    const bob = { sub: subject('bob'), name: 'Bob' };
    const { el: b } = await open(bob, { peers: [alice], peer: alice.sub });
    const { el: a, audits } = await open(alice, { peers: [bob], peer: bob.sub }, { 'idle-timeout': '12' });
    const locked: string[] = [];
    a.addEventListener('secure-chat-locked', (e) => locked.push(e.detail.reason));
    // The portal re-authenticates on unlock (here: a fresh token for the same person).
    let signIns = 0;
    const original = a.getSessionToken as () => Promise<string>;
    a.reauthenticate = () => {
      signIns++;
      return original();
    };

    const mine = await a.send('idle plaintext from alice');
    const theirs = await b.send('idle plaintext from bob');
    expect(textOf(await waitForMessage(a, theirs))).to.equal('idle plaintext from bob');

    // The warning comes 3 s (timeout / 4) before the lock; "Stay signed in" restarts the idle period.
    await waitFor('idle warning', () => part(a, 'idle-warning'), 20_000);
    expect(part(a, 'idle-warning')?.textContent).to.match(/will lock in 3 seconds/);
    buttonByText(a, 'Stay signed in').click();
    await a.updateComplete;
    expect(part(a, 'idle-warning')).to.equal(null);
    expect(a.status).to.equal('ready');

    // The warning comes again after a full idle period; this time nobody answers it.
    await waitFor('idle warning again', () => part(a, 'idle-warning'), 20_000);
    await screenshot(a, 'idle-warning');
    // axe may run across the lock on a slow machine; both screens must pass.
    await expect(a).to.be.accessible();
    await waitForStatus(a, 'locked');
    expect(locked).to.deep.equal(['idle']);
    const html = shadow(a).innerHTML;
    for (const text of ['idle plaintext from alice', 'idle plaintext from bob'])
      expect(html).to.not.contain(text);
    expect(html).to.not.contain(mine);
    expect(part(a, 'locked')?.textContent).to.match(/no activity/);
    await screenshot(a, 'locked');
    await expect(a).to.be.accessible();
    // Moving the locked element in the page does not start a session behind the locked screen.
    const holder = a.parentElement as HTMLElement;
    holder.remove();
    document.body.append(holder);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(a.status).to.equal('locked');
    expect(part(a, 'locked')).to.not.equal(null);
    // The old session is gone: nothing can be sent through it.
    let sendError: unknown;
    await a.send('after the lock').catch((error: unknown) => (sendError = error));
    expect(sendError).to.be.instanceOf(Error);

    // Unlocking is a re-authentication and a fresh session; the key is still on the device, history decrypts again.
    expect(signIns).to.equal(0);
    buttonByText(a, 'Sign in again').click();
    await waitForStatus(a, 'ready');
    expect(signIns).to.equal(1);
    expect(textOf(await waitForMessage(a, theirs))).to.equal('idle plaintext from bob');

    const types = audits.map((x) => x.type);
    expect(types).to.include.members([
      'session-started',
      'key-registered',
      'message-sent',
      'message-read',
      'locked',
    ]);
    expect(audits.find((x) => x.type === 'locked')?.reason).to.equal('idle');
    const aliceId = await chatUserId(alice.sub);
    // Every entry names the user by chat id, even the key step before the conversation opened and the lock.
    expect(audits.every((x) => x.userId === aliceId)).to.equal(true);
    const read = audits.find((x) => x.type === 'message-read') as Audit;
    expect(read).to.include({ messageId: theirs, contactId: await chatUserId(bob.sub) });
    expect(read.at).to.match(/^\d{4}-\d\d-\d\dT/);
    const trail = JSON.stringify(audits);
    for (const secret of ['idle plaintext', 'Alice', 'Bob', alice.sub, bob.sub])
      expect(trail).to.not.contain(secret);
  });

  it("locks at once on lock(), on the portal's secure-chat-logout event and at the absolute session limit", async () => {
    const alice = { sub: subject('alice'), name: 'Alice' };
    const bob = { sub: subject('bob'), name: 'Bob' };
    const { el: a, audits } = await open(alice, { peers: [bob], peer: bob.sub });
    const sent = await a.send('manual lock plaintext');
    // The files feature's download event is mapped into the audit trail with its ids only.
    const cid = audits.find((x) => x.type === 'message-sent')?.cid as string;
    a.dispatchEvent(
      new CustomEvent('secure-chat-file-downloaded', {
        detail: { cid, messageId: sent, index: 0, name: 'lab-results.pdf' },
      }),
    );
    const download = audits.find((x) => x.type === 'file-downloaded') as Audit;
    expect(download).to.include({ cid, messageId: sent, userId: await chatUserId(alice.sub) });
    expect(JSON.stringify(download)).to.not.contain('lab-results');
    a.reauthenticate = a.getSessionToken as () => Promise<string>;
    a.lock();
    // Synchronous: the decrypted text is off the screen before lock() returns.
    expect(a.status).to.equal('locked');
    expect(shadow(a).innerHTML).to.not.contain('manual lock plaintext');
    expect(part(a, 'locked')?.textContent).to.match(/locked by the portal/);

    buttonByText(a, 'Sign in again').click();
    await waitForStatus(a, 'ready');
    const reasons: string[] = [];
    a.addEventListener('secure-chat-locked', (e) => reasons.push(e.detail.reason));
    a.dispatchEvent(new Event('secure-chat-logout'));
    expect(a.status).to.equal('locked');
    expect(reasons).to.deep.equal(['logout']);
    expect(audits.filter((x) => x.type === 'locked').map((x) => x.reason)).to.deep.equal([
      'manual',
      'logout',
    ]);
    expect(shadow(a).innerHTML).to.not.contain('manual lock plaintext');

    // Activity does not extend the absolute limit.
    const { el: b } = await open(bob, { peers: [alice], peer: alice.sub }, { 'session-limit': '12' });
    const started = performance.now();
    const poke = setInterval(() => document.dispatchEvent(new KeyboardEvent('keydown')), 500);
    try {
      await waitForStatus(b, 'locked');
    } finally {
      clearInterval(poke);
    }
    expect(performance.now() - started).to.be.lessThan(13_000);
    expect(part(b, 'locked')?.textContent).to.match(/time limit/);
  });

  it('stores the private key wrapped, migrates a plaintext E3Kit key, and still restores on another device', async () => {
    const { apiUrl } = await stackConfig();
    const carol = { sub: subject('carol'), name: 'Carol' };
    const dave = { sub: subject('dave'), name: 'Dave' };
    const storage = `legacy-${Math.random().toString(36).slice(2)}`;
    // An existing device: E3Kit's default store holds Carol's key as plain base64.
    const { EThree } = (await import(e3kitVendor)) as typeof E3Vendor;
    const token = await (await fetch(`/__stack/session-token?sub=${carol.sub}`)).text();
    const call = async (path: string) =>
      (await (
        await fetch(`${apiUrl}${path}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: '{}',
        })
      ).json()) as { token: string; virgil: { apiUrl: string } };
    const session = await call('/v1/session');
    const e3 = await EThree.initialize(async () => (await call('/v1/virgil-credentials')).token, {
      apiUrl: session.virgil.apiUrl,
      storageName: storage,
    });
    await e3.register();
    await e3.backupPrivateKey('carol backup password');
    const legacy = await openDB(storage);
    const [plainEntry] = (await legacy.getAll('keyvaluepairs')) as string[];
    legacy.close();
    const rawKey = (JSON.parse(plainEntry as string) as { value: string }).value;
    expect(rawKey).to.have.length.greaterThan(40);

    // The widget moves it into the wrapped store and deletes the plaintext copy.
    const { el: c } = await open(carol, { peers: [dave], peer: dave.sub, storage }, {}, 'none');
    await waitForStatus(c, 'ready');
    const after = await openDB(storage);
    expect(await after.getAll('keyvaluepairs')).to.deep.equal([]);
    after.close();
    const wrapped = await openDB(`${storage}-wrapped`);
    const entries = (await wrapped.getAll('entries')) as { sealed: ArrayBuffer; value?: unknown }[];
    const [wrappingKey] = (await wrapped.getAll('wrapping-keys')) as CryptoKey[];
    wrapped.close();
    expect(entries).to.have.length(1);
    expect(entries[0]?.value).to.equal(undefined);
    const rawBytes = Uint8Array.from(atob(rawKey), (ch) => ch.charCodeAt(0));
    const stored = new TextDecoder('latin1').decode(new Uint8Array(entries[0]!.sealed));
    expect(stored).to.not.contain(rawKey);
    expect(stored).to.not.contain(new TextDecoder('latin1').decode(rawBytes.slice(-32)));
    expect(wrappingKey?.extractable).to.equal(false);
    const sent = await c.send('readable after migration');

    // A second device restores from the password backup into its own wrapped store.
    const { el: second } = await open(
      carol,
      { peers: [dave], peer: dave.sub, storage: `${storage}-2` },
      {},
      'none',
    );
    await waitForScreen(second, /Restore your/);
    ($(second, 'input[name="password"]') as HTMLInputElement).value = 'carol backup password';
    buttonByText(second, 'Restore').click();
    await waitForStatus(second, 'ready');
    expect(textOf(await waitForMessage(second, sent))).to.equal('readable after migration');
  });

  it('a passkey PRF wrapping key seals entries that only the same PRF output opens (credentials API stubbed)', async function () {
    skipIn(this, ['webkit'], NO_WEBAUTHN);
    // No authenticator with PRF exists in headless Chromium: stub navigator.credentials.get to return PRF outputs.
    const get = navigator.credentials.get.bind(navigator.credentials);
    const prfOutput = crypto.getRandomValues(new Uint8Array(32));
    let asked: CredentialRequestOptions | undefined;
    const stub = (output: Uint8Array) => async (request?: CredentialRequestOptions) => {
      asked = request;
      return { getClientExtensionResults: () => ({ prf: { results: { first: output } } }) } as never;
    };
    const name = `prf-${Math.random().toString(36).slice(2)}`;
    const options = { credentialId: new Uint8Array([1, 2, 3]), salt: new Uint8Array(32).fill(7) };
    try {
      navigator.credentials.get = stub(prfOutput);
      const store = new WrappedKeyStorage(name, passkeyWrappingKey(options));
      await store.save({ name: 'me', value: 'private key base64' });
      expect((await store.load('me'))?.value).to.equal('private key base64');
      const prf = (asked?.publicKey?.extensions as { prf?: { eval?: { first?: Uint8Array } } }).prf;
      expect(prf?.eval?.first).to.deep.equal(options.salt);
      expect(asked?.publicKey?.userVerification).to.equal('required');

      // Another authenticator (another PRF output) cannot open the entry.
      navigator.credentials.get = stub(crypto.getRandomValues(new Uint8Array(32)));
      const other = new WrappedKeyStorage(name, passkeyWrappingKey(options));
      let error: unknown;
      await other.load('me').catch((e: unknown) => (error = e));
      expect(error).to.be.instanceOf(DOMException);
    } finally {
      navigator.credentials.get = get;
    }
  });

  it("shows safety codes (digits and QR) and warns when a verified contact's key changes", async () => {
    const alice = { sub: subject('alice'), name: 'Alice' };
    const bob = { sub: subject('bob'), name: 'Bob' };
    const suffix = Math.random().toString(36).slice(2);
    const { el: a, audits } = await open(alice, { peers: [bob], peer: bob.sub });
    const { el: b } = await open(bob, { peers: [alice], peer: alice.sub, storage: `bob1-${suffix}` });
    const [aliceId, bobId] = await Promise.all([chatUserId(alice.sub), chatUserId(bob.sub)]);

    const aliceSees = await codeFor(a, bobId);
    const bobSees = await codeFor(b, aliceId);
    expect(aliceSees).to.match(/^(\d{5} ){11}\d{5}$/);
    expect(bobSees).to.equal(aliceSees);
    const qr = shadow(a).querySelector(
      `.contact[data-contact="${bobId}"] svg[part="safety-qr"]`,
    ) as SVGElement;
    expect(qr.querySelectorAll('rect').length).to.be.greaterThan(100);
    await screenshot(a, 'safety-codes');
    await expect(a).to.be.accessible();

    buttonByText(a, 'Mark as verified').click();
    await waitFor('verified', () =>
      shadow(a).querySelector(`.contact[data-contact="${bobId}"][data-trust="verified"]`),
    );
    expect(audits.find((x) => x.type === 'verification-changed')).to.include({
      contactId: bobId,
      verification: 'verified',
      userId: aliceId,
    });
    const before = await b.send('before the key change');
    expect(textOf(await waitForMessage(a, before))).to.equal('before the key change');

    // Bob loses his device and creates a new key.
    b.remove();
    const { el: b2 } = await open(
      bob,
      { peers: [alice], peer: alice.sub, storage: `bob2-${suffix}` },
      {},
      'none',
    );
    await waitForScreen(b2, /Restore your/);
    buttonByText(b2, 'I forgot my password').click();
    await waitForScreen(b2, /Create a new key/);
    buttonByText(b2, 'Create a new key').click();
    await skipBackup(b2);
    const reported = new Map<string, string>();
    a.addEventListener('secure-chat-message', (e) => reported.set(e.detail.id, e.detail.trust));
    const afterChange = await b2.send('after the key change');

    // Alice sees the warning; the new message is not shown as trusted.
    const warning = await waitFor('key change warning', () => part(a, 'key-change-warning'));
    expect(warning.textContent).to.match(/Bob's security key has changed/);
    const hidden = await waitForMessage(a, afterChange, 'key-changed');
    expect(hidden.querySelector('.text')).to.equal(null);
    expect(shadow(a).innerHTML).to.not.contain('after the key change');
    // The portal is told the same: the message event does not say "verified".
    await waitFor('message event', () => reported.get(afterChange));
    expect(reported.get(afterChange)).to.equal('key-changed');
    expect(
      audits.some((x) => x.type === 'verification-changed' && x.verification === 'key-changed'),
    ).to.equal(true);
    await screenshot(a, 'key-changed-warning');
    await expect(a).to.be.accessible();

    // Accepting the change shows it (as an unverified contact); the code changed with the key.
    buttonByText(a, 'Accept the new key').click();
    expect(textOf(await waitForMessage(a, afterChange))).to.equal('after the key change');
    expect(part(a, 'key-change-warning')).to.equal(null);
    const newCode = await codeFor(a, bobId);
    expect(newCode).to.not.equal(aliceSees);
    expect(
      audits.some((x) => x.type === 'verification-changed' && x.verification === 'acknowledged'),
    ).to.equal(true);
  });

  it("a care-team conversation shows one safety code per member, matching each member's own view", async () => {
    const { apiUrl } = await stackConfig();
    const pat = { sub: subject('pat'), name: 'Pat' };
    const lee = { sub: subject('lee'), name: 'Lee' };
    const sam = { sub: subject('sam'), name: 'Sam' };
    const token = await (
      await fetch(`/__stack/session-token?sub=${pat.sub}&peers=${lee.sub}:Lee,${sam.sub}:Sam`)
    ).text();
    const res = await fetch(`${apiUrl}/v1/channels`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ peers: [lee.sub, sam.sub] }),
    });
    const { cid } = (await res.json()) as { cid: string };
    const [p, l, s] = await Promise.all([
      open(pat, { peers: [lee, sam], channel: cid }),
      open(lee, { peers: [pat, sam], channel: cid }),
      open(sam, { peers: [pat, lee], channel: cid }),
    ]);
    const [patId, leeId, samId] = await Promise.all([pat, lee, sam].map((x) => chatUserId(x.sub)));
    const patWithLee = await codeFor(p.el, leeId);
    const patWithSam = await codeFor(p.el, samId);
    expect(shadow(p.el).querySelectorAll('.safety .contact')).to.have.length(2);
    expect(patWithLee).to.not.equal(patWithSam);
    expect(await codeFor(l.el, patId)).to.equal(patWithLee);
    expect(await codeFor(s.el, patId)).to.equal(patWithSam);
  });

  it('stores no names and no plaintext at Stream or Virgil (demo personas)', async () => {
    const ana = { sub: subject('patient'), name: 'Ana García' };
    const lee = { sub: subject('clinician'), name: 'Dr. Lee Chen' };
    const { el: p } = await open(ana, { peers: [lee], peer: lee.sub });
    const { el: d } = await open(lee, { peers: [ana], peer: ana.sub });
    // The names do reach the widget (from the token API), so their absence below means something.
    await waitFor('names in the header', () => /Dr\. Lee Chen/.test(part(p, 'header')?.textContent ?? ''));
    const texts = ['My blood pressure was 150/95 this morning', 'Please take an extra 5 mg of lisinopril'];
    const first = await p.send(texts[0] as string);
    expect(textOf(await waitForMessage(d, first))).to.equal(texts[0]);
    const second = await d.send(texts[1] as string);
    expect(textOf(await waitForMessage(p, second))).to.equal(texts[1]);

    const stored = await inspectStack();
    expect(stored).to.contain(await chatUserId(ana.sub));
    for (const secret of [
      'Ana García',
      'Ana Garc',
      'Dr. Lee Chen',
      'Lee Chen',
      ana.sub,
      lee.sub,
      ...texts,
      'blood pressure',
      'lisinopril',
    ]) {
      expect(stored, secret).to.not.contain(secret);
    }
  });
});
