import { expect } from '@open-wc/testing';
import type { SecureChatElement } from '../src/secure-chat.js';
import {
  mount,
  screenshot,
  sessionToken,
  skipBackup,
  stackConfig,
  subject,
  waitFor,
  waitForStatus,
} from './stack-helpers.js';

const entry = '/dist/widget/secure-chat.js';

const resources = () => performance.getEntriesByType('resource').map((r) => r.name);
const e3kitFetched = () => resources().some((n) => /\/chunks\/e3kit-|\.wasm$/.test(n));

describe('<secure-chat> loading', function () {
  this.timeout(120_000);

  it('paints before fetching E3Kit or its WASM, then loads the chunks in parallel', async () => {
    await stackConfig();
    await import(entry);
    const alice = { sub: subject('alice'), name: 'Alice' };
    const bob = { sub: subject('bob'), name: 'Bob' };
    const el: SecureChatElement = await mount(alice, { peers: [bob], peer: bob.sub });
    await el.updateComplete;
    // First render is done and visible: nothing of E3Kit was requested yet.
    expect(el.shadowRoot?.textContent).to.contain('Connecting securely');
    expect(e3kitFetched()).to.equal(false);
    await skipBackup(el);
    await waitFor('e3kit resources', () => e3kitFetched());
    const names = resources();
    expect(names.some((n) => /\/chunks\/stream-chat-/.test(n))).to.equal(true);
    expect(names.some((n) => /libfoundation.*\.wasm$/.test(n))).to.equal(true);
    el.remove();
  });

  it('waits for an api-url set after connecting, as portals do: no config error screen or event first', async () => {
    const { apiUrl } = await stackConfig();
    const alice = { sub: subject('alice'), name: 'Alice' };
    const el = document.createElement('secure-chat') as SecureChatElement;
    const errors: string[] = [];
    el.addEventListener('secure-chat-error', (e) => errors.push(e.detail.code));
    let errorShown = false;
    document.body.append(el);
    const watch = new MutationObserver(() => {
      if (el.shadowRoot?.querySelector('[part~="error"]') || el.status === 'error') errorShown = true;
    });
    watch.observe(el.shadowRoot!, { childList: true, subtree: true });
    try {
      // Like the demo portal: the configuration comes from a fetch, frames after the element is on the page.
      await new Promise((r) => setTimeout(r, 400));
      expect(el.status).to.not.equal('error');
      expect(el.shadowRoot?.querySelector('[part~="status"]')?.textContent).to.contain('Connecting securely');
      el.getSessionToken = () => sessionToken(alice.sub, alice.name, []);
      el.setAttribute('api-url', apiUrl);
      await waitForStatus(el, 'key-setup', 'ready');
      expect(errors).to.deep.equal([]);
      expect(errorShown).to.equal(false);
    } finally {
      watch.disconnect();
      el.remove();
    }
  });

  it('shows an accessible error with a retry when the portal session is refused', async () => {
    const { apiUrl } = await stackConfig();
    const el = document.createElement('secure-chat') as SecureChatElement;
    el.setAttribute('api-url', apiUrl);
    el.setAttribute('peer', subject('bob'));
    el.getSessionToken = async () => 'not-a-portal-session';
    const errors: string[] = [];
    el.addEventListener('secure-chat-error', (e) => errors.push(e.detail.code));
    document.body.append(el);
    await waitForStatus(el, 'error');
    expect(errors).to.deep.equal(['unauthorized']);
    expect(el.shadowRoot?.querySelector('[part~="error"]')?.textContent).to.match(
      /Sign in to the portal again/,
    );
    await expect(el).to.be.accessible();
    await screenshot(el, 'error-unauthorized');
    el.remove();
  });

  it('drops decrypted text from the DOM and memory when removed from the page', async () => {
    const alice = { sub: subject('alice'), name: 'Alice' };
    const bob = { sub: subject('bob'), name: 'Bob' };
    const el = await mount(alice, { peers: [bob], peer: bob.sub });
    await skipBackup(el);
    await el.send('remember me not');
    await waitFor('message shown', () => el.shadowRoot?.textContent?.includes('remember me not'));
    el.remove();
    await el.updateComplete;
    expect(el.shadowRoot?.textContent).to.not.contain('remember me not');
    expect(el.status).to.equal('idle');
  });
});
