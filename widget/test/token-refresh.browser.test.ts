import { expect } from '@open-wc/testing';
import type { SecureChatElement } from '../src/secure-chat.js';
import {
  mount,
  sessionToken,
  skipBackup,
  subject,
  textOf,
  waitForMessage,
  type Person,
} from './stack-helpers.js';

const entry = '/dist/widget/secure-chat.js';
await import(entry);

/** The shortest lifetimes the token API accepts (60 s) for both Stream and Virgil tokens. */
const TTL_S = 60;

describe('<secure-chat> token refresh', function () {
  this.timeout(180_000);

  it('keeps a conversation going while Stream and Virgil tokens expire', async () => {
    const { apiUrl } = (await (await fetch(`/__stack/api?streamTtl=${TTL_S}&virgilTtl=${TTL_S}`)).json()) as {
      apiUrl: string;
    };
    const alice = { sub: subject('alice'), name: 'Alice' };
    const bob = { sub: subject('bob'), name: 'Bob' };
    let calls = 0;
    const open = async (me: Person, other: Person): Promise<SecureChatElement> => {
      const el = await mount(me, { peers: [other], peer: other.sub, apiUrl });
      // Cards expire before the tokens do, so sends after expiry need both a Virgil and a Stream call.
      el.cardTtl = 30;
      el.getSessionToken = () => {
        calls++;
        return sessionToken(me.sub, me.name, [other]);
      };
      await skipBackup(el);
      return el;
    };
    const a = await open(alice, bob);
    const b = await open(bob, alice);
    const before = await a.send('before expiry');
    await waitForMessage(b, before);
    const callsBefore = calls;

    await new Promise((r) => setTimeout(r, (TTL_S + 6) * 1000));

    // A new member key lookup (Virgil) and sends (Stream) after expiry need fresh tokens.
    const after = await a.send('after expiry');
    expect(textOf(await waitForMessage(b, after))).to.equal('after expiry');
    const reply = await b.send('reply after expiry');
    expect(textOf(await waitForMessage(a, reply))).to.equal('reply after expiry');
    expect(calls, 'credentials were refreshed through the token API').to.be.greaterThan(callsBefore);
    const refreshed = performance.getEntriesByType('resource').map((r) => new URL(r.name).pathname);
    expect(refreshed).to.include('/v1/stream-credentials');
    expect(refreshed).to.include('/v1/virgil-credentials');
    expect(a.status).to.equal('ready');
    a.remove();
    b.remove();
  });
});
