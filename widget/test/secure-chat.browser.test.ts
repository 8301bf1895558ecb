import { expect, fixture, html } from '@open-wc/testing';
import type { SecureChatElement } from '../src/secure-chat.js';

// The real bundle, as a portal loads it (its lazy chunks resolve next to it).
await import('/dist/widget/secure-chat.js' as string);

describe('<secure-chat> shell', () => {
  it('registers and renders accessibly', async () => {
    const el = await fixture<SecureChatElement>(
      html`<secure-chat api-url="http://127.0.0.1:1"></secure-chat>`,
    );
    expect(customElements.get('secure-chat')).to.equal(el.constructor);
    expect(el.apiUrl).to.equal('http://127.0.0.1:1');
    await expect(el).to.be.accessible();
  });
});
