// Where the browser has no passkey that can protect the key (WebKitGTK has no WebAuthn at all; headless Firefox and
// Chromium have no platform authenticator), the widget offers none and the conversation works as usual.
// The offer itself is tested in Chromium with a virtual authenticator (passkey.test.ts).
import { expect } from '@open-wc/testing';
import { skipBecause } from './engine.js';
import { shadow, subject, textOf, waitForMessage, WIDGET_ENTRY, widgetMounter } from './stack-helpers.js';

await import(WIDGET_ENTRY);
const mountWidget = widgetMounter();

/** The browser's own answer to what the widget asks before offering: a platform passkey with PRF. */
async function platformPasskeyWithPrf(): Promise<boolean> {
  const pkc = (globalThis as { PublicKeyCredential?: { getClientCapabilities?: () => Promise<object> } })
    .PublicKeyCredential;
  const caps = ((await pkc?.getClientCapabilities?.().catch(() => undefined)) ?? {}) as Record<
    string,
    boolean
  >;
  return (
    caps['extension:prf'] === true &&
    (caps.passkeyPlatformAuthenticator || caps.userVerifyingPlatformAuthenticator) === true
  );
}

describe('<secure-chat> in a browser without a passkey for the key', function () {
  this.timeout(120_000);

  it('offers no passkey, keeps the device key, and the conversation works', async function () {
    if (await platformPasskeyWithPrf())
      skipBecause(this, 'here: this browser has a platform passkey with PRF, so the widget offers one');
    const alice = { sub: subject('alice'), name: 'Alice Patient' };
    const bob = { sub: subject('bob'), name: 'Dr Bob' };
    const a = await mountWidget(alice, { peers: [bob], peer: bob.sub });
    const b = await mountWidget(bob, { peers: [alice], peer: alice.sub });
    const id = await a.send('No passkey on this device');
    expect(textOf(await waitForMessage(b, id))).to.equal('No passkey on this device');
    // The passkey check runs once the conversation is open; give it time to (not) show its offer.
    await new Promise((r) => setTimeout(r, 1_000));
    await a.updateComplete;
    expect(shadow(a).querySelector('[part~="passkey-offer"], [part~="passkey-menu"]')).to.equal(null);
    expect(shadow(a).querySelector('[part~="composer"]')).to.not.equal(null);
  });
});
