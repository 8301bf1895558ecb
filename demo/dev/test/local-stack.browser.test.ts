import { expect } from '@open-wc/testing';

/** The test stack itself: the page origin gets tokens, another origin does not, and the stand-ins are inspectable. */
describe('local test stack', () => {
  it('issues a session to the allowed origin with the portal session token', async () => {
    const { apiUrl } = await (await fetch('/__stack/config')).json();
    const token = await (
      await fetch('/__stack/session-token?sub=stack-alice&name=Alice&peers=stack-bob:Bob')
    ).text();
    const response = await fetch(`${apiUrl}/v1/session`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).to.equal(200);
    const session = await response.json();
    expect(session.user.id).to.equal(await (await fetch('/__stack/user-id?sub=stack-alice')).text());
    expect(session.contacts).to.deep.equal([
      { id: await (await fetch('/__stack/user-id?sub=stack-bob')).text(), sub: 'stack-bob', name: 'Bob' },
    ]);
    expect(session.stream.token).to.be.a('string');
    expect(session.virgil.apiUrl).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
    const audit = await (await fetch('/__stack/audit')).json();
    expect(audit.at(-1)).to.include({
      userId: session.user.id,
      route: 'POST /v1/session',
      outcome: 'issued',
    });
  });

  it('serves a restartable stand-in and an inspection dump', async () => {
    const restart = await fetch('/__stack/restart?service=stream', { method: 'POST' });
    expect(restart.status).to.equal(200);
    const inspection = await (await fetch('/__stack/inspect')).json();
    expect(inspection).to.have.keys(['stream', 'virgil']);
  });
});
