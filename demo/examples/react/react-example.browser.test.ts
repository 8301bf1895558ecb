// The React example (demo/examples/react, built by `npm run build`) as a portal's React page runs it: signed in to
// the portal stand-in, its widget chats with another person's, props reach the element and typed events reach the
// React handlers.
import { expect } from '@open-wc/testing';
import type { SecureChatElement } from '../../../widget/src/secure-chat.js';
import {
  shadow,
  skipBackup,
  subject,
  textOf,
  waitFor,
  waitForMessage,
  waitForStatus,
  widgetMounter,
  WIDGET_ENTRY,
  type Person,
} from '../../../widget/test/stack-helpers.js';

// The other people's widgets come from the script-tag build; the example's own import of secure-chat/react then
// finds <secure-chat> defined and renders it (as on a page that also has the script tag).
await import(WIDGET_ENTRY);

const mountWidget = widgetMounter();

const ana: Person = { sub: subject('ana'), name: 'Ana García' };
const lee: Person = { sub: subject('lee'), name: 'Dr. Lee Chen' };
const sam: Person = { sub: subject('sam'), name: 'Sam Okafor' };
const peersClaim = (people: Person[]) => people.map((p) => `${p.sub}:${p.name}`).join(',');

/** Types into the main composer and presses Send, as the user does. */
async function typeAndSend(el: SecureChatElement, text: string): Promise<void> {
  const input = shadow(el).querySelector('#compose-main') as HTMLTextAreaElement;
  input.value = text;
  input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
  (shadow(el).querySelector('[part~="send-button"]') as HTMLButtonElement).click();
  await el.updateComplete;
}

describe('React example (secure-chat/react)', () => {
  it('signs in, chats with another widget, and its event handlers and props work', async () => {
    // Lee and Sam already use secure chat (their keys exist), each with their own conversation with Ana.
    const leeChat = await mountWidget(lee, { peer: ana.sub, peers: [ana], storage: subject('lee-keys') });
    const samChat = await mountWidget(sam, { peer: ana.sub, peers: [ana], storage: subject('sam-keys') });

    // Ana signs in to the portal; the example page asks the portal who she is and for her session tokens.
    const signIn = await fetch(
      `/__stack/portal-sign-in?sub=${ana.sub}&name=Ana&peers=${peersClaim([lee, sam])}`,
      {
        method: 'POST',
      },
    );
    expect(signIn.ok).to.equal(true);
    // The portal now answers for Ana (`reload`: Firefox may hold an earlier file's answer in its HTTP cache).
    const me = (await (await fetch('/portal/me.json', { cache: 'reload' })).json()) as { sub: string };
    expect(me.sub).to.equal(ana.sub);
    const page = document.createElement('main');
    page.id = 'secure-messages';
    document.body.append(page);
    await import('/dist/examples/react/main.js' as string);

    const chat = await waitFor('the React-rendered <secure-chat>', () =>
      page.querySelector<SecureChatElement>('secure-chat'),
    );
    const status = page.querySelector('[role="status"]') as HTMLElement;
    // Props reached the element as properties: the first peer, and the portal's token function.
    expect(chat.peer).to.equal(lee.sub);
    expect(chat.getSessionToken).to.be.a('function');
    await skipBackup(chat);

    // secure-chat-ready reached onSecureChatReady.
    await waitFor('ready in the React status', () => status.dataset.state === 'open');
    const leeConversation = status.dataset.cid;
    expect(leeConversation).to.match(/^messaging:/);

    // Ana sends from the widget: onSecureChatSend counts it; Lee receives it, verified.
    await typeAndSend(chat, 'Can I take the new tablets with food?');
    await waitFor('the send in the React status', () => /1 message sent/.test(status.textContent ?? ''));
    const fromAna = await waitFor('Ana’s message at Lee', () =>
      [...shadow(leeChat).querySelectorAll<HTMLElement>('[part~="message"]')].find(
        (m) => textOf(m) === 'Can I take the new tablets with food?',
      ),
    );
    await waitForMessage(leeChat, fromAna.dataset.id ?? '', 'verified');

    // Lee answers: onSecureChatMessage counts one new message from someone else (Ana's own is not counted).
    const reply = await leeChat.send('Yes, with breakfast.');
    expect(textOf(await waitForMessage(chat, reply, 'verified'))).to.equal('Yes, with breakfast.');
    await waitFor('the reply in the React status', () => /1 new message,/.test(status.textContent ?? ''));
    expect(status.textContent).to.contain('Conversation open. 1 new message, 1 message sent.');
    await expect(page).to.be.accessible();

    // A React state change flows into the element's `peer` property: the conversation with Sam opens.
    const samButton = [...page.querySelectorAll('nav button')].find((b) => b.textContent === sam.name);
    (samButton as HTMLButtonElement).click();
    await waitFor(
      'the conversation with Sam',
      () => chat.peer === sam.sub && status.dataset.state === 'open',
    );
    await waitForStatus(chat, 'ready');
    expect(samButton?.getAttribute('aria-pressed')).to.equal('true');
    expect(status.dataset.cid)
      .to.match(/^messaging:/)
      .and.not.equal(leeConversation);
    const hello = await samChat.send('Hello Ana, this is Sam.');
    await waitForMessage(chat, hello, 'verified');
    await waitFor('Sam’s message in the React status', () => /2 new messages/.test(status.textContent ?? ''));
    await expect(page).to.be.accessible();
  });
});
