// The README's quick start, pasted into a page the way an integrator would: its HTML block runs as written, with only
// the placeholders swapped for the local stack (the CDN folder, the token API's URL, the portal's session endpoint and
// the peer's subject). If the README's snippet stops working, this test fails.
import { expect } from '@open-wc/testing';
import type { SecureChatElement } from '../src/secure-chat.js';
import {
  WIDGET_ENTRY,
  sessionToken,
  shadow,
  skipBackup,
  stackConfig,
  subject,
  waitFor,
  waitForScreen,
} from './stack-helpers.js';

const CDN_ENTRY = 'https://cdn.jsdelivr.net/npm/secure-chat@0.2.0/dist/widget/secure-chat.js';
const API_PLACEHOLDER = 'https://chat-api.example';
const PORTAL_ENDPOINT = '/portal/chat-session';
const PEER_PLACEHOLDER = 'dr-lee';

async function quickStartBlock(): Promise<string> {
  const readme = await (await fetch('/README.md')).text();
  const section = readme.slice(readme.indexOf('## Quick start'));
  const block = /```html\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error('README: no html block under "Quick start"');
  return block;
}

/** Inserts HTML so that its scripts run, as they would in a page the portal serves. */
function insertRunnable(container: HTMLElement, markup: string): void {
  const template = document.createElement('template');
  template.innerHTML = markup;
  for (const inert of template.content.querySelectorAll('script')) {
    const script = document.createElement('script');
    for (const { name, value } of inert.attributes) script.setAttribute(name, value);
    script.textContent = inert.textContent;
    inert.replaceWith(script);
  }
  container.append(template.content);
}

describe('README quick start', () => {
  const realFetch = window.fetch.bind(window);
  let container: HTMLElement;

  afterEach(() => {
    window.fetch = realFetch;
    container?.remove();
  });

  it('runs as pasted: the widget gets its tokens from the portal endpoint and sets up a key', async () => {
    const block = await quickStartBlock();
    for (const placeholder of [CDN_ENTRY, API_PLACEHOLDER, PORTAL_ENDPOINT, `"${PEER_PLACEHOLDER}"`])
      expect(block, `the quick start names ${placeholder}`).to.include(placeholder);

    const { apiUrl } = await stackConfig();
    const me = subject('ana');
    const peer = subject('lee');
    const endpointCalls: string[] = [];
    // The portal's own endpoint, as the README describes it: POST, answers { token }.
    window.fetch = async (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (url === PORTAL_ENDPOINT) {
        endpointCalls.push(init?.method ?? 'GET');
        const token = await sessionToken(me, 'Ana', [{ sub: peer, name: 'Dr. Lee' }]);
        return new Response(JSON.stringify({ token }), {
          headers: { 'content-type': 'application/json' },
        });
      }
      return realFetch(input, init);
    };

    const page = block
      .replace(CDN_ENTRY, WIDGET_ENTRY)
      .replace(API_PLACEHOLDER, apiUrl)
      .replace(`"${PEER_PLACEHOLDER}"`, `"${peer}"`);
    container = document.createElement('div');
    const errors: string[] = [];
    container.addEventListener('secure-chat-error', (event) => errors.push(event.detail.code));
    insertRunnable(container, page);
    document.body.append(container);

    const chat = container.querySelector('secure-chat') as SecureChatElement;
    await waitFor('the element to upgrade', () => customElements.get('secure-chat') && chat.shadowRoot);
    await waitFor('getSessionToken from the snippet', () => chat.getSessionToken);
    await skipBackup(chat).catch(async (cause: unknown) => {
      throw new Error(`${String(cause)}; screen: ${shadow(chat).querySelector('h2')?.textContent}`);
    });
    expect(endpointCalls.length, 'the widget called the portal endpoint').to.be.greaterThan(0);
    expect(endpointCalls.every((method) => method === 'POST')).to.equal(true);
    expect(errors).to.deep.equal([]);
    expect(chat.status).to.equal('ready');
  });

  it('reports unauthorized when the portal endpoint refuses (signed out)', async () => {
    const block = await quickStartBlock();
    const { apiUrl } = await stackConfig();
    window.fetch = async (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (url === PORTAL_ENDPOINT) return new Response('', { status: 401 });
      return realFetch(input, init);
    };
    container = document.createElement('div');
    const errors: string[] = [];
    container.addEventListener('secure-chat-error', (event) => errors.push(event.detail.code));
    insertRunnable(
      container,
      block
        .replace(CDN_ENTRY, WIDGET_ENTRY)
        .replace(API_PLACEHOLDER, apiUrl)
        .replace(`"${PEER_PLACEHOLDER}"`, `"${subject('lee')}"`),
    );
    document.body.append(container);
    const chat = container.querySelector('secure-chat') as SecureChatElement;
    await waitFor('an error event', () => errors.length > 0);
    await waitForScreen(chat, /./);
    expect(errors[0], 'a rejected getSessionToken means the portal session ended').to.equal('unauthorized');
    expect(chat.status).to.not.equal('ready');
  });
});
