// The plain-HTML example (demo/examples/plain-html/index.html) as a portal page runs it: its one module script and
// its one <secure-chat>, signed in to the portal stand-in, chatting with another person's widget.
import { expect } from '@open-wc/testing';
import type { SecureChatElement } from '../../../widget/src/secure-chat.js';
import {
  shadow,
  skipBackup,
  subject,
  textOf,
  waitFor,
  waitForMessage,
  widgetMounter,
  type Person,
} from '../../../widget/test/stack-helpers.js';

const mountWidget = widgetMounter();

const ana: Person = { sub: subject('ana'), name: 'Ana García' };
const lee: Person = { sub: subject('lee'), name: 'Dr. Lee Chen' };

/** The example page's `<main>` in this document, and its module script run as the browser runs it. */
async function openExample(): Promise<HTMLElement> {
  const html = await (await fetch('/demo/examples/plain-html/index.html')).text();
  const example = new DOMParser().parseFromString(html, 'text/html');
  // (The test server adds its own web socket script to every HTML page it serves.)
  const scripts = [...example.querySelectorAll('script')].filter((s) => !s.src.includes('__web-dev-server'));
  expect(scripts.length).to.equal(1);
  expect(scripts[0]?.type).to.equal('module');
  expect(example.querySelectorAll('secure-chat').length).to.equal(1);
  const main = document.adoptNode(example.querySelector('main') as HTMLElement);
  document.body.append(main);
  // A parsed script never runs; a fresh copy with the same text does, as the page's own would.
  const script = document.createElement('script');
  script.type = 'module';
  script.textContent = scripts[0]?.textContent ?? '';
  document.body.append(script);
  return main;
}

describe('plain-HTML example', () => {
  it('signs in through the portal and chats with another widget', async () => {
    const signIn = await fetch(`/__stack/portal-sign-in?sub=${ana.sub}&name=Ana&peers=${lee.sub}:Lee`, {
      method: 'POST',
    });
    expect(signIn.ok).to.equal(true);
    // The portal now answers for Ana (`reload`: Firefox may hold an earlier file's answer in its HTTP cache).
    const me = (await (await fetch('/portal/me.json', { cache: 'reload' })).json()) as { sub: string };
    expect(me.sub).to.equal(ana.sub);
    const main = await openExample();
    const chat = main.querySelector('secure-chat') as SecureChatElement;

    // The script loaded the built widget, then handed it the portal's token function and the API URL.
    await waitFor('<secure-chat> defined', () => customElements.get('secure-chat'));
    expect(chat.peer).to.equal(lee.sub);
    expect(chat.apiUrl).to.match(/^http:/);
    expect(chat.getSessionToken).to.be.a('function');
    await skipBackup(chat);

    // Dr. Lee on his own device (the script's widget build registered the tag), and a message each way.
    const leeChat = await mountWidget(lee, { peer: ana.sub, peers: [ana], storage: subject('lee-keys') });
    const hello = await leeChat.send('Your results are in.');
    expect(textOf(await waitForMessage(chat, hello, 'verified'))).to.equal('Your results are in.');

    const input = shadow(chat).querySelector('#compose-main') as HTMLTextAreaElement;
    input.value = 'Thank you!';
    input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
    (shadow(chat).querySelector('[part~="send-button"]') as HTMLButtonElement).click();
    const thanks = await waitFor('Ana’s reply at Lee', () =>
      [...shadow(leeChat).querySelectorAll<HTMLElement>('[part~="message"]')].find(
        (m) => textOf(m) === 'Thank you!',
      ),
    );
    await waitForMessage(leeChat, thanks.dataset.id ?? '', 'verified');
    await expect(main).to.be.accessible();
  });
});
