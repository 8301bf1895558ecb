// The widget with the browser's clock minutes off: `Date` is replaced before the bundle loads, so the widget, E3Kit
// and stream-chat all read the skewed clock, while the token API and the stand-ins keep the real one.
import { expect } from '@open-wc/testing';
import type { SecureChatElement } from '../src/secure-chat.js';
import {
  mount,
  sessionToken,
  skipBackup,
  stackConfig,
  subject,
  textOf,
  waitForMessage,
  type Person,
  WIDGET_ENTRY,
} from './stack-helpers.js';

const RealDate = Date;
let skewMs = 0;

class SkewedDate extends RealDate {
  constructor(...args: unknown[]) {
    if (args.length === 0) super(RealDate.now() + skewMs);
    else super(...(args as [number, number]));
  }

  static override now(): number {
    return RealDate.now() + skewMs;
  }
}
globalThis.Date = SkewedDate as DateConstructor;
// The checks below read every request's timing entry.
performance.setResourceTimingBufferSize(10_000);

await import(WIDGET_ENTRY);

const MIN = 60_000;
/** The shortest token lifetime the token API accepts. */
const TTL_S = 60;

describe('<secure-chat> with the browser clock off by 5 minutes', function () {
  this.timeout(300_000);
  const mounted: SecureChatElement[] = [];
  afterEach(() => {
    for (const el of mounted.splice(0)) el.remove();
    skewMs = 0;
  });

  async function open(me: Person, other: Person, apiUrl?: string): Promise<SecureChatElement> {
    const el = await mount(me, { peers: [other], peer: other.sub, ...(apiUrl ? { apiUrl } : {}) });
    mounted.push(el);
    // Cards expire before the tokens do, so a send after the wait needs Virgil again.
    el.cardTtl = 30;
    el.getSessionToken = () => sessionToken(me.sub, me.name, [other]);
    await skipBackup(el);
    return el;
  }

  async function exchange(a: SecureChatElement, b: SecureChatElement, label: string) {
    const there = await a.send(`${label}: from a`);
    expect(textOf(await waitForMessage(b, there))).to.equal(`${label}: from a`);
    const back = await b.send(`${label}: from b`);
    expect(textOf(await waitForMessage(a, back))).to.equal(`${label}: from b`);
  }

  it('5 minutes fast: connects, sends and reads, every message verified', async () => {
    skewMs = 5 * MIN;
    expect(Date.now() - RealDate.now()).to.be.at.least(5 * MIN - 1000);
    const alice = { sub: subject('alice'), name: 'Alice' };
    const bob = { sub: subject('bob'), name: 'Bob' };
    const a = await open(alice, bob);
    const b = await open(bob, alice);
    await exchange(a, b, 'fast clock');
    expect([a.status, b.status]).to.deep.equal(['ready', 'ready']);
  });

  it('5 minutes slow: renews Virgil tokens by the server clock, so sending and reading go on after they expire', async () => {
    skewMs = -5 * MIN;
    // 60 s tokens. A browser 5 minutes slow that trusted its own clock would think the first token good for 6
    // minutes: it would not renew it by the time the server's clock passes its expiry (the Virgil stand-in accepts
    // an expired token for 60 s more, so it would not be refused yet either), and it would be refused after 2.
    const { apiUrl } = (await (await fetch(`/__stack/api?streamTtl=${TTL_S}&virgilTtl=${TTL_S}`)).json()) as {
      apiUrl: string;
    };
    const alice = { sub: subject('alice'), name: 'Alice' };
    const bob = { sub: subject('bob'), name: 'Bob' };
    const a = await open(alice, bob, apiUrl);
    const b = await open(bob, alice, apiUrl);
    await exchange(a, b, 'slow clock');
    const { virgilUrl } = await stackConfig();
    const resources = () => performance.getEntriesByType('resource') as PerformanceResourceTiming[];
    const renewals = () => resources().filter((r) => r.name.endsWith('/v1/virgil-credentials')).length;
    const before = renewals();

    // Past the first tokens' expiry by the server's clock, not past Virgil's leeway: the renewal count below is
    // what tells a widget on the server's clock from one on its own.
    await new Promise((r) => setTimeout(r, (TTL_S + 8) * 1000));

    await exchange(a, b, 'after expiry');
    expect(renewals(), 'Virgil tokens renewed through the token API').to.be.greaterThan(before);
    // Renewed before expiry by the server's clock: Virgil never had to refuse an expired token (and be retried).
    const refused = resources().filter((r) => r.name.startsWith(virgilUrl) && r.responseStatus === 401);
    expect(refused.map((r) => r.name)).to.deep.equal([]);
    expect([a.status, b.status]).to.deep.equal(['ready', 'ready']);
  });
});
