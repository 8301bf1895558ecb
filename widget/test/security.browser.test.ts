import { expect } from '@open-wc/testing';
import type { SecureChatElement } from '../src/secure-chat.js';
import type * as E3Vendor from './vendor/e3kit.js';
import {
  buttonByText,
  confirmNewKeyWithBackup,
  chatUserId,
  fillAndSubmit,
  screenshot,
  serverSend,
  shadow,
  skipBackup,
  stackConfig,
  streamServer,
  subject,
  textOf,
  waitFor,
  waitForMessage,
  waitForScreen,
  waitForStatus,
  type Person,
  WIDGET_ENTRY,
  widgetMounter,
  acceptNewKey,
} from './stack-helpers.js';

const e3kitVendor = '/dist/test-vendor/e3kit.js';
await import(WIDGET_ENTRY);

const open = widgetMounter();

function flipByte(b64: string): string {
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const i = Math.floor(bytes.length * 0.75);
  bytes[i] = (bytes[i] ?? 0) ^ 0x5a;
  return btoa(String.fromCharCode(...bytes));
}

async function openChannel(apiUrl: string, me: Person, peers: Person[]): Promise<string> {
  const token = await (
    await fetch(
      `/__stack/session-token?sub=${me.sub}&peers=${peers.map((p) => `${p.sub}:${p.name}`).join(',')}`,
    )
  ).text();
  const res = await fetch(`${apiUrl}/v1/channels`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ peers: peers.map((p) => p.sub) }),
  });
  if (!res.ok) throw new Error(`channels ${res.status}`);
  return ((await res.json()) as { cid: string }).cid;
}

describe('<secure-chat> security (real clients, local stack)', function () {
  this.timeout(240_000);

  it('shows tampered, re-attributed, replayed and copied messages as unverifiable', async () => {
    const { apiUrl } = await stackConfig();
    const alice = { sub: subject('alice'), name: 'Alice' };
    const bob = { sub: subject('bob'), name: 'Bob' };
    const carol = { sub: subject('carol'), name: 'Carol' };
    const a = await open(alice, { peers: [bob, carol], peer: bob.sub });
    const b = await open(bob, { peers: [alice, carol], peer: alice.sub });
    const [aliceId, bobId] = await Promise.all([chatUserId(alice.sub), chatUserId(bob.sub)]);

    const good = await a.send('genuine message');
    await waitForMessage(b, good);
    const original = await streamServer<{ message: Record<string, unknown> }>('getMessage', good);
    const e2ee = original.message.e2ee as { v: 1; ct: string };
    const channelCid = original.message.cid as string;

    // 1. The server flips a byte of the stored ciphertext.
    const victim = await a.send('soon to be tampered');
    await waitForMessage(b, victim);
    await streamServer(
      'partialUpdateMessage',
      victim,
      { set: { e2ee: { v: 1, ct: flipByte(e2ee.ct) } } },
      aliceId,
    );
    await waitForMessage(b, victim, /^(tampered|unverified-sender)$/);

    // 2. The server claims Bob sent Alice's ciphertext.
    const swapped = crypto.randomUUID();
    await serverSend(channelCid, { id: swapped, text: 'New secure message', e2ee, user_id: bobId });
    await waitForMessage(a, swapped, 'unverified-sender');

    // 3. The server re-posts Alice's old ciphertext as a new message.
    const replayed = crypto.randomUUID();
    await serverSend(channelCid, { id: replayed, text: 'New secure message', e2ee, user_id: aliceId });
    await waitForMessage(b, replayed, 'misplaced');

    // 4. The server copies the message into another conversation Bob is in.
    const groupCid = await openChannel(apiUrl, alice, [bob, carol]);
    const inGroup = await open(bob, { peers: [alice, carol], channel: groupCid }, 'none');
    await waitForStatus(inGroup, 'ready');
    const copied = crypto.randomUUID();
    await serverSend(groupCid, { id: copied, text: 'New secure message', e2ee, user_id: aliceId });
    await waitForMessage(inGroup, copied, 'misplaced');
    await screenshot(b, 'messages-unverifiable');

    // Each failure has words, and the genuine message is still trusted.
    for (const id of [victim, replayed]) {
      const node = await waitForMessage(b, id, /./);
      expect(node.textContent?.trim().length).to.be.greaterThan(20);
      expect(node.querySelector('.text')).to.equal(null);
    }
    expect(textOf(await waitForMessage(b, good))).to.equal('genuine message');
    await expect(b).to.be.accessible();
  });

  it('second device restores with the password (wrong password first); forgot password rotates after a warning', async () => {
    const alice = { sub: subject('alice'), name: 'Alice' };
    const bob = { sub: subject('bob'), name: 'Bob' };
    const suffix = Math.random().toString(36).slice(2);
    const b = await open(bob, { peers: [alice], peer: alice.sub });

    // Device 1 registers and backs up.
    const one = await open(alice, { peers: [bob], peer: bob.sub, storage: `dev1-${suffix}` }, 'none');
    await waitForScreen(one, /key is ready/);
    await screenshot(one, 'key-offer-backup');
    await expect(one).to.be.accessible();
    await fillAndSubmit(one, { password: 'short', confirm: 'short' }, 'Save backup');
    expect(shadow(one).querySelector('[role="alert"]')?.textContent).to.match(/at least 8/);
    await fillAndSubmit(
      one,
      { password: 'correct horse battery', confirm: 'correct horse battery' },
      'Save backup',
    );
    await waitForStatus(one, 'ready');
    const before = await one.send('sent before the second device');
    const fromBob = await b.send('bob wrote this before the rotation');
    await waitForMessage(one, fromBob);
    one.remove();

    // Device 2: wrong password, then the right one; the history is readable.
    const two = await open(alice, { peers: [bob], peer: bob.sub, storage: `dev2-${suffix}` }, 'none');
    await waitForScreen(two, /Restore your/);
    await expect(two).to.be.accessible();
    await fillAndSubmit(two, { password: 'wrong password!' }, 'Restore');
    await waitFor('wrong-password message', () =>
      /did not work/.test(shadow(two).querySelector('[role="alert"]')?.textContent ?? ''),
    );
    await screenshot(two, 'key-restore-wrong-password');
    await expect(two).to.be.accessible();
    await fillAndSubmit(two, { password: 'correct horse battery' }, 'Restore');
    await waitForStatus(two, 'ready');
    expect(textOf(await waitForMessage(two, before))).to.equal('sent before the second device');
    expect(textOf(await waitForMessage(two, fromBob))).to.equal('bob wrote this before the rotation');
    two.remove();

    // Device 3: forgot the password → explicit warning → new key. Old messages show "previous key".
    const three = await open(alice, { peers: [bob], peer: bob.sub, storage: `dev3-${suffix}` }, 'none');
    await waitForScreen(three, /Restore your/);
    buttonByText(three, 'I forgot my password').click();
    await waitForScreen(three, /Create a new key/);
    expect(shadow(three).textContent).to.match(/cannot be undone/);
    await screenshot(three, 'key-confirm-rotate');
    await expect(three).to.be.accessible();
    await confirmNewKeyWithBackup(three, 'a brand new password');
    await waitForMessage(three, fromBob, 'previous-key');
    await screenshot(three, 'message-previous-key');
    // Alice's first message with the new key makes Bob refresh her card; his reply then reaches the new key.
    const after = await three.send('first message with my new key');
    // Bob's device first saw Alice's old key: the new one is a key change until he accepts it (trust on first use).
    await waitForMessage(b, after, 'key-changed');
    await acceptNewKey(b);
    expect(textOf(await waitForMessage(b, after))).to.equal('first message with my new key');
    const reply = await b.send('got it');
    expect(textOf(await waitForMessage(three, reply))).to.equal('got it');
  });

  it('sign-out with "don\'t keep my key" removes the key and all decrypted text', async () => {
    const alice = { sub: subject('alice'), name: 'Alice' };
    const bob = { sub: subject('bob'), name: 'Bob' };
    const storage = `signout-${Math.random().toString(36).slice(2)}`;
    const a = await open(alice, { peers: [bob], peer: bob.sub, storage });
    await a.send('private words');
    // From the conversation's menu, after the confirmation that says what is lost.
    (shadow(a).querySelector('[part~="menu-button"]') as HTMLElement).click();
    await a.updateComplete;
    buttonByText(a, 'Forget my key on this device').click();
    await a.updateComplete;
    buttonByText(a, 'Forget my key and sign out').click();
    await waitForStatus(a, 'signed-out');
    expect(shadow(a).textContent).to.not.contain('private words');
    expect(shadow(a).textContent).to.match(/key was removed/);
    await screenshot(a, 'signed-out');
    await expect(a).to.be.accessible();
    a.remove();
    // The same device now has no key: it must restore (or rotate) again.
    const again = await open(alice, { peers: [bob], peer: bob.sub, storage }, 'none');
    await waitForScreen(again, /Restore your/);
  });

  it('two tabs registering the same new user at once end with one working key', async () => {
    const alice = { sub: subject('alice'), name: 'Alice' };
    const bob = { sub: subject('bob'), name: 'Bob' };
    const storage = `tabs-${Math.random().toString(36).slice(2)}`;
    const b = await open(bob, { peers: [alice], peer: alice.sub });
    const tabs = await Promise.all(
      [1, 2].map(() => open(alice, { peers: [bob], peer: bob.sub, storage }, 'none')),
    );
    await waitFor(
      'both tabs past setup',
      () => tabs.every((t) => t.status === 'ready' || t.status === 'key-setup'),
      60_000,
    );
    for (const tab of tabs) {
      if (tab.status === 'key-setup') await skipBackup(tab);
      await waitForStatus(tab, 'ready');
    }
    // Bob encrypts to Alice's one card; both tabs hold the matching key.
    const id = await b.send('for both tabs');
    for (const tab of tabs) expect(textOf(await waitForMessage(tab, id))).to.equal('for both tabs');
    const mine = await (tabs[1] as SecureChatElement).send('from the second tab');
    expect(textOf(await waitForMessage(b, mine))).to.equal('from the second tab');
  });

  it('a 20,000-character message round-trips in a 20-member conversation', async () => {
    const { apiUrl } = await stackConfig();
    const me = { sub: subject('pat'), name: 'Pat' };
    const team = Array.from({ length: 19 }, (_, i) => ({ sub: subject(`m${i}`), name: `Member ${i}` }));
    const { EThree } = (await import(e3kitVendor)) as typeof E3Vendor;
    // Register the other members' keys directly with E3Kit (each has its own key store).
    await Promise.all(
      team.map(async (m) => {
        const token = await (await fetch(`/__stack/session-token?sub=${m.sub}`)).text();
        const getToken = async () =>
          (
            (await (
              await fetch(`${apiUrl}/v1/virgil-credentials`, {
                method: 'POST',
                headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
                body: '{}',
              })
            ).json()) as { token: string }
          ).token;
        const session = (await (
          await fetch(`${apiUrl}/v1/session`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: '{}',
          })
        ).json()) as { virgil: { apiUrl: string } };
        const e3 = await EThree.initialize(getToken, {
          apiUrl: session.virgil.apiUrl,
          storageName: `team-${m.sub}`,
        });
        await e3.register();
      }),
    );
    const cid = await openChannel(apiUrl, me, team);
    const reader = team[0] as Person;
    const p = await open(me, { peers: team, channel: cid });
    // The reader's key is already on this "device", in the store E3Kit used above.
    const r = await open(
      reader,
      { peers: [me, ...team.slice(1)], channel: cid, storage: `team-${reader.sub}` },
      'none',
    );
    await waitForStatus(r, 'ready');
    const big = Array.from({ length: 2500 }, (_, i) => `line${String(i).padStart(4, '0')}`)
      .join(' ')
      .slice(0, 20_000);
    expect(big.length).to.equal(20_000);
    const id = await p.send(big);
    expect(textOf(await waitForMessage(r, id, 'verified', 60_000))).to.equal(big);
    const stored = await streamServer<{ message: Record<string, unknown> }>('getMessage', id);
    const e2ee = stored.message.e2ee as { att?: number; sha256?: string; ct?: string };
    // Sent through the channel upload: e2ee points at the message's attachment holding the envelope.
    expect(e2ee.ct).to.equal(undefined);
    expect(e2ee.att, 'sent through the channel upload').to.equal(0);
    expect((stored.message.attachments as unknown[]).length).to.equal(1);
    expect(JSON.stringify(stored)).to.not.contain('line0001');
  });

  it('a page on an origin the API does not allow shows a clear error', async () => {
    const { apiUrl } = await stackConfig();
    const alice = subject('alice');
    const frame = document.createElement('iframe');
    const origin = `http://127.0.0.1:${location.port}`;
    const q = new URLSearchParams({ sub: alice, peer: subject('bob'), api: apiUrl });
    const result = new Promise<{ detail: { code: string }; text: string }>((resolve) => {
      addEventListener('message', (e) => {
        if (e.origin === origin && e.data?.type === 'secure-chat-error') resolve(e.data);
      });
    });
    frame.src = `${origin}/widget/test/fixtures/embed.html?${q}`;
    frame.title = 'wrong origin embed';
    document.body.append(frame);
    const { detail, text } = await result;
    frame.remove();
    expect(detail.code).to.be.oneOf(['network', 'forbidden']);
    expect(text).to.match(/does not accept requests from this site|not allowed/);
  });
});
