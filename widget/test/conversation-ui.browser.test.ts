// The conversation screen's look and feel, driven in a real browser by mouse, keyboard and touch emulation: bubbles,
// actions on demand with roving focus, the reaction picker, the header menu, the composer and the files, with axe
// in light and dark, left-to-right and right-to-left, at 360 and 1,000 px wide.
import { expect } from '@open-wc/testing';
import { executeServerCommand, sendKeys, sendMouse, setViewport } from '@web/test-runner-commands';
import type { SecureChatElement } from '../src/secure-chat.js';
import { engine, skipBecause, skipIn } from './engine.js';
import {
  screenshot,
  shadow,
  subject,
  textOf,
  waitFor,
  waitForMessage,
  waitForStatus,
  type Person,
  WIDGET_ENTRY,
  widgetMounter,
} from './stack-helpers.js';

await import(WIDGET_ENTRY);
const mountWidget = widgetMounter();

/** The runner's mouse (real pointer events, so :hover applies) is driven through CDP or Playwright. */
const NO_REAL_MOUSE =
  'sendMouse moves the real pointer through CDP or Playwright only; the Firefox (WebDriver BiDi) and WebKit ' +
  '(classic WebDriver) launchers have no such command, so :hover cannot be produced there';
/** Touch is emulated by the page matching (pointer: coarse), set through Chromium's DevTools Protocol. */
/** The WebKit launcher sends each key as its own down and up (demo/dev/webkit-driver.ts): nothing can be held. */
const NO_KEY_CHORDS =
  'the WebKit launcher (classic WebDriver actions) presses and releases each key in turn, so Shift or Control ' +
  'cannot be held while Enter is pressed';
const NO_POINTER_EMULATION =
  'the runner emulates a touch screen ((pointer: coarse)) through the Chrome DevTools Protocol only ' +
  '(widget/test/touch-plugin.ts)';

const frame = document.createElement('div');
document.body.append(frame);

const q = <T extends Element = HTMLElement>(el: Element, selector: string) =>
  shadow(el).querySelector<T>(selector);
const node = (el: Element, id: string) => q(el, `[data-id="${id}"]`) as HTMLElement;
const rect = (el: Element) => el.getBoundingClientRect();
const settle = async (el: SecureChatElement) => {
  await el.updateComplete;
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 30))));
  await Promise.all(el.shadowRoot!.getAnimations().map((x) => x.finished.catch(() => {})));
};
const active = (el: Element) => shadow(el).activeElement as HTMLElement | null;
const frameWidth = async (px: number) => {
  frame.style.width = `${px}px`;
  if (engine !== 'webkit') await setViewport({ width: Math.max(px + 40, 400), height: 900 });
};

async function pair(bobName = 'Dr Bob Stone') {
  const alice: Person = { sub: subject('alice'), name: 'Alice Patient' };
  const bob: Person = { sub: subject('bob'), name: bobName };
  const a = await mountWidget(alice, { peers: [bob], peer: bob.sub, container: frame });
  const b = await mountWidget(bob, { peers: [alice], peer: alice.sub, container: frame });
  return { alice, bob, a, b };
}

/** Clicks the centre of an element with the runner's real mouse. */
async function click(target: Element) {
  const r = rect(target);
  await sendMouse({
    type: 'click',
    position: [Math.round(r.x + r.width / 2), Math.round(r.y + r.height / 2)],
  });
}

async function hover(target: Element) {
  const r = rect(target);
  await sendMouse({
    type: 'move',
    position: [Math.round(r.x + r.width / 2), Math.round(r.y + r.height / 2)],
  });
}

/** Enter with a modifier held, as down/press/up steps (CDP and Playwright; Firefox's BiDi driver too). */
async function chord(modifier: 'Shift' | 'Control', key: 'Enter') {
  await sendKeys({ down: modifier });
  await sendKeys({ press: key });
  await sendKeys({ up: modifier });
}

/** The WebKit launcher names only a few keys; others go as WebDriver's code points. */
const WEBDRIVER_KEYS: Record<string, string> = { Home: '\uE011', End: '\uE010' };
async function press(key: string) {
  const code = WEBDRIVER_KEYS[key];
  await sendKeys(engine === 'webkit' && code ? { type: code } : { press: key });
}

async function coarsePointer(on: boolean): Promise<boolean> {
  return (await executeServerCommand('secure-chat-emulate-pointer', { coarse: on })) === true;
}

describe('<secure-chat> conversation screen: bubbles, actions, header, composer, files', function () {
  this.timeout(240_000);

  beforeEach(() => frameWidth(1000));
  afterEach(async () => {
    if (engine !== 'chromium') return;
    await coarsePointer(false);
    await sendMouse({ type: 'move', position: [0, 0] });
  });

  it('shows bubbles: own on the inline-end side in the accent colour, others with initials; grouped with time and delivery under the last; AA and axe in both themes, both directions, 360 and 1,000 px', async () => {
    const { a, b } = await pair();
    const one = await a.send('Good morning.');
    const two = await a.send('Is 3 pm fine?');
    // Bob answers once he has read both, as a person would: each device signs by its own estimate of the server's
    // clock, so a reply sent the same instant could sort before Alice's second message.
    await waitForMessage(b, two);
    const reply = await b.send('Yes, see you at 3.');
    await waitForMessage(a, reply);
    const own1 = node(a, one);
    await waitForMessage(a, two);
    const other = node(a, reply);

    // Avatars: initials from the portal's name, a colour class from the id, never an image.
    const avatar = other.querySelector('[part~="avatar"]') as HTMLElement;
    expect(avatar.textContent?.trim()).to.equal('DS');
    expect(avatar.getAttribute('aria-hidden')).to.equal('true');
    expect(avatar.className).to.match(/tone-[0-5]/);
    expect(shadow(a).querySelectorAll('[part~="messages"] img').length).to.equal(0);
    expect(own1.querySelector('[part~="avatar"]')).to.equal(null);
    // A group: one sender heading, the time and delivery under the last bubble only. The list settles once both
    // sends are confirmed (a message still sending may sit apart for a moment).
    await waitFor('the two own messages in one group', () => !node(a, two).classList.contains('group-start'));
    const own2 = node(a, two);
    expect(own1.querySelector('time')!.classList.contains('vh')).to.equal(
      !own1.classList.contains('group-end'),
    );
    expect(other.querySelector('.who')?.textContent).to.equal('Dr Bob Stone');
    const lastTime = own2.querySelector('time') as HTMLElement;
    expect(lastTime.classList.contains('vh')).to.equal(false);
    await waitFor('delivery under the last bubble', () =>
      /Sent|Seen/.test(own2.querySelector('.meta')?.textContent ?? ''),
    );

    for (const width of [1000, 360]) {
      await frameWidth(width);
      for (const dir of ['ltr', 'rtl'] as const) {
        a.setAttribute('dir', dir);
        for (const theme of ['light', 'dark'] as const) {
          a.theme = theme;
          await settle(a);
          const list = q(a, '[part~="messages"]') as HTMLElement;
          const ownBubble = own2.querySelector('[part~="bubble"]') as HTMLElement;
          const otherBubble = other.querySelector('[part~="bubble"]') as HTMLElement;
          const [l, o, t] = [rect(list), rect(ownBubble), rect(otherBubble)];
          // Own on the inline-end side, others on the inline-start side (mirrored in RTL).
          const ownEndGap = dir === 'ltr' ? l.right - o.right : o.left - l.left;
          const otherStartGap = dir === 'ltr' ? t.left - l.left : l.right - t.right;
          expect(ownEndGap, `${dir} own bubble at the end`).to.be.below(40);
          expect(otherStartGap, `${dir} other bubble after the avatar`).to.be.below(80);
          expect(o.width, 'a short message is a short bubble').to.be.below(l.width * 0.7);
          // Comfortable density: one line of text plus padding.
          expect(o.height, 'one-line bubble').to.be.below(44);
          const style = getComputedStyle(ownBubble);
          const accent = getComputedStyle(q(a, '[part~="send-button"]') as HTMLElement).backgroundColor;
          expect(style.backgroundColor, 'own bubble in the accent colour').to.equal(accent);
          // Nothing overflows sideways at 360 px.
          expect(list.scrollWidth, `${width}px ${dir} ${theme}: no sideways scroll`).to.be.at.most(
            list.clientWidth + 1,
          );
          await expect(a).to.be.accessible();
          if (engine === 'chromium' && dir === 'ltr') await screenshot(a, `bubbles-${theme}-${width}`);
        }
      }
    }
    a.removeAttribute('dir');
  });

  it('isolates each message’s direction: English in an RTL page and Arabic in an LTR page', async () => {
    const { a, b } = await pair();
    const english = await b.send('Take it twice a day.');
    const arabic = await b.send('خذه مرتين في اليوم.');
    const en = (await waitForMessage(a, english)).querySelector('.text') as HTMLElement;
    const ar = (await waitForMessage(a, arabic)).querySelector('.text') as HTMLElement;
    expect(en.getAttribute('dir')).to.equal('auto');
    expect(getComputedStyle(ar).direction).to.equal('rtl');
    expect(getComputedStyle(en).direction).to.equal('ltr');
    a.setAttribute('dir', 'rtl');
    await settle(a);
    // In the RTL page the English sentence still reads left to right: its period is at its right end.
    expect(getComputedStyle(en).direction).to.equal('ltr');
    const walker = document.createTreeWalker(en, NodeFilter.SHOW_TEXT);
    let text: Text | undefined;
    while (walker.nextNode()) if (walker.currentNode.textContent) text = walker.currentNode as Text;
    expect(text?.data.endsWith('.')).to.equal(true);
    const range = document.createRange();
    range.setStart(text!, text!.length - 1);
    range.setEnd(text!, text!.length);
    expect(range.getBoundingClientRect().right).to.be.closeTo(rect(en).right, 12);
    if (engine === 'chromium') await screenshot(a, 'bubbles-rtl');
    await expect(a).to.be.accessible();
    a.removeAttribute('dir');
  });

  it('moves between messages with arrow keys (roving focus), Tabs into the toolbar, and reacts from the picker by keyboard', async () => {
    const { a, b } = await pair();
    const first = await b.send('First from Bob');
    const second = await b.send('Second from Bob');
    await waitForMessage(a, first);
    const last = await waitForMessage(a, second);
    await settle(a);
    // Exactly one message is in the tab order: the newest.
    const messages = () => [
      ...shadow(a).querySelectorAll<HTMLElement>('[part~="messages"] > [part~="message"]'),
    ];
    expect(messages().filter((m) => m.tabIndex === 0)).to.deep.equal([last]);
    expect(last.querySelector<HTMLElement>('[data-action="quote"]')!.tabIndex).to.equal(0);
    const firstNode = messages().find((m) => textOf(m) === 'First from Bob') as HTMLElement;
    expect(firstNode.dataset.id).to.equal(first);
    expect(firstNode.querySelector<HTMLElement>('[data-action="quote"]')!.tabIndex).to.equal(-1);

    last.focus();
    await sendKeys({ press: 'ArrowUp' });
    expect(active(a)).to.equal(firstNode);
    expect(firstNode.tabIndex).to.equal(0);
    expect(last.tabIndex).to.equal(-1);
    await press('End');
    expect(active(a)).to.equal(last);
    await press('Home');
    expect(active(a)).to.equal(messages()[0]);
    await sendKeys({ press: 'ArrowDown' });
    expect(active(a)).to.equal(messages()[1]);
    await press('End');

    // Keyboard focus shows the toolbar; Tab goes into it.
    const toolbar = last.querySelector('[part~="message-actions"]') as HTMLElement;
    await settle(a);
    expect(getComputedStyle(toolbar).opacity).to.equal('1');
    await sendKeys({ press: 'Tab' });
    const react = last.querySelector('[data-toggle="react"]') as HTMLElement;
    expect(active(a)).to.equal(react);
    expect(react.textContent?.trim()).to.equal('Add reaction');
    await sendKeys({ press: 'ArrowRight' });
    expect(active(a)?.dataset.action).to.equal('thread');
    await sendKeys({ press: 'ArrowLeft' });
    expect(active(a)).to.equal(react);
    // No chips before any reaction; the picker opens with Enter, focus in it, Escape closes back to the button.
    expect(last.querySelector('[part~="reactions"]')).to.equal(null);
    await sendKeys({ press: 'Enter' });
    expect(react.getAttribute('aria-expanded')).to.equal('true');
    const picker = last.querySelector('[part~="reaction-picker"]') as HTMLElement;
    expect(getComputedStyle(picker).display).to.equal('flex');
    expect(active(a)?.dataset.pick).to.equal('like');
    await expect(a).to.be.accessible();
    await sendKeys({ press: 'Escape' });
    expect(react.getAttribute('aria-expanded')).to.equal('false');
    expect(getComputedStyle(picker).display).to.equal('none');
    expect(active(a)).to.equal(react);
    await sendKeys({ press: 'Enter' });
    await sendKeys({ press: 'ArrowRight' });
    expect(active(a)?.dataset.pick).to.equal('done');
    await sendKeys({ press: 'Enter' });
    // The chip appears for both, pressed for the reactor.
    const chip = await waitFor('chip on alice', () =>
      node(a, second).querySelector<HTMLElement>('[data-reaction="done"]'),
    );
    await waitFor('pressed', () => chip.getAttribute('aria-pressed') === 'true');
    expect(chip.textContent?.replace(/\s+/g, ' ').trim()).to.equal('✅Done 1');
    expect(chip.title).to.equal('Done (1)');
    const chipOnB = await waitFor('chip on bob', () =>
      node(b, second)?.querySelector<HTMLElement>('[data-reaction="done"]'),
    );
    expect(chipOnB.getAttribute('aria-pressed')).to.equal('false');
    expect(chipOnB.textContent).to.contain('1');
    // Copy: the message's exact text goes to the clipboard, and "Copied" is announced.
    const copied: string[] = [];
    Object.defineProperty(navigator.clipboard, 'writeText', {
      configurable: true,
      value: async (text: string) => void copied.push(text),
    });
    try {
      (last.querySelector('[data-action="copy"]') as HTMLElement).click();
      const status = last.querySelector('[part~="message-actions"] [role="status"]') as HTMLElement;
      await waitFor('copied', () => status.textContent === 'Copied');
      expect(copied).to.deep.equal(['Second from Bob']);
    } finally {
      delete (navigator.clipboard as { writeText?: unknown }).writeText;
    }
    // Escape from a control goes back to the message.
    (node(a, second).querySelector('[data-reaction="done"]') as HTMLElement).focus();
    await sendKeys({ press: 'Escape' });
    expect(active(a)).to.equal(node(a, second));
    await expect(a).to.be.accessible();
    // The chip toggles the reaction off; without reactions the chips go.
    (node(a, second).querySelector('[data-reaction="done"]') as HTMLElement).click();
    await waitFor('no chips', () => !node(a, second).querySelector('[part~="reactions"]'));
  });

  it('shows the toolbar on mouse hover, and the own actions (quote, edit, delete) work from it', async function () {
    skipIn(this, ['firefox', 'webkit'], NO_REAL_MOUSE);
    const { a, b } = await pair();
    const mine = await a.send('Hover over me');
    const own = await waitForMessage(a, mine);
    await waitForMessage(b, mine);
    await settle(a);
    const toolbar = own.querySelector('[part~="message-actions"]') as HTMLElement;
    expect(getComputedStyle(toolbar).opacity).to.equal('0');
    await hover(own.querySelector('[part~="bubble"]') as HTMLElement);
    await settle(a);
    expect(getComputedStyle(toolbar).opacity).to.equal('1');
    // Every toolbar button has a name and a target of at least 24×24 px.
    for (const button of toolbar.querySelectorAll('button')) {
      expect(button.textContent?.trim()).to.not.equal('');
      expect(rect(button).width).to.be.at.least(24);
      expect(rect(button).height).to.be.at.least(24);
    }
    await expect(a).to.be.accessible();
    await click(toolbar.querySelector('[data-action="quote"]') as HTMLElement);
    await waitFor('quoting', () => /Quoting a message/.test(q(a, '[part~="composer"]')?.textContent ?? ''));
    await hover(own.querySelector('[part~="bubble"]') as HTMLElement);
    await click(toolbar.querySelector('[data-action="edit"]') as HTMLElement);
    await waitFor(
      'editing',
      () => (q<HTMLTextAreaElement>(a, '#compose-main')?.value ?? '') === 'Hover over me',
    );
    const box = q<HTMLTextAreaElement>(a, '#compose-main')!;
    box.focus();
    box.select();
    await sendKeys({ type: 'Hovered and edited' });
    await sendKeys({ press: 'Enter' });
    await waitFor('edited on bob', () => textOf(node(b, mine)) === 'Hovered and edited');
    expect(node(b, mine).querySelector('.meta')?.textContent).to.contain('edited');
    await hover(own.querySelector('[part~="bubble"]') as HTMLElement);
    await settle(a);
    await click(toolbar.querySelector('[data-action="delete"]') as HTMLElement);
    await waitForMessage(b, mine, 'deleted');
  });

  it('on touch (coarse pointer) a visible "More actions" button opens the actions as a labelled menu', async function () {
    skipIn(this, ['firefox', 'webkit'], NO_POINTER_EMULATION);
    const { a, b } = await pair();
    const theirs = await b.send('Tap the dots');
    const message = await waitForMessage(a, theirs);
    if (!(await coarsePointer(true))) skipBecause(this, NO_POINTER_EMULATION);
    expect(matchMedia('(pointer: coarse)').matches).to.equal(true);
    for (const width of [360, 1000]) {
      await frameWidth(width);
      await settle(a);
      const more = message.querySelector('[part~="more-button"]') as HTMLElement;
      const toolbar = message.querySelector('[part~="message-actions"]') as HTMLElement;
      expect(getComputedStyle(more).display).to.not.equal('none');
      expect(rect(more).width).to.be.at.least(24);
      expect(getComputedStyle(toolbar).display).to.equal('none');
      await click(more);
      await settle(a);
      expect(more.getAttribute('aria-expanded')).to.equal('true');
      expect(getComputedStyle(toolbar).display).to.equal('flex');
      // Labels are visible in the menu, each item large enough to tap.
      const labels = [...toolbar.querySelectorAll('button')].map((x) => x.textContent?.trim());
      expect(labels).to.include.members(['Add reaction', 'Reply in thread', 'Quote', 'Copy text']);
      for (const item of toolbar.querySelectorAll('button')) expect(rect(item).height).to.be.at.least(24);
      for (const theme of ['light', 'dark'] as const) {
        a.theme = theme;
        await settle(a);
        await expect(a).to.be.accessible();
      }
      if (width === 360) await screenshot(a, 'touch-menu-360');
      await click(more);
      await settle(a);
      expect(more.getAttribute('aria-expanded')).to.equal('false');
    }
    // A reaction from the touch menu: tap "Add reaction", then the emoji.
    const more = message.querySelector('[part~="more-button"]') as HTMLElement;
    await click(more);
    await settle(a);
    await click(message.querySelector('[data-toggle="react"]') as HTMLElement);
    await settle(a);
    await click(message.querySelector('[data-pick="thanks"]') as HTMLElement);
    await waitFor('chip', () => message.querySelector('[data-reaction="thanks"][aria-pressed="true"]'));
  });

  it('has one header menu with safety codes, forget key and sign out, consequences explained, by keyboard', async () => {
    const { a } = await pair();
    const header = q(a, '[part~="header"]') as HTMLElement;
    expect(header.querySelector('h2')?.textContent).to.equal('Dr Bob Stone');
    expect(header.querySelector('[part~="presence"]')?.textContent?.trim()).to.match(/Online|Offline/);
    expect(header.querySelector('[part~="avatar"]')?.textContent?.trim()).to.equal('DS');
    expect(header.querySelector('input[type="checkbox"]')).to.equal(null);
    const menuButton = header.querySelector('[part~="menu-button"]') as HTMLButtonElement;
    const menu = header.querySelector('[part~="conversation-menu"]') as HTMLElement;
    expect(menu.hidden).to.equal(true);
    expect(rect(menuButton).width).to.be.at.least(24);
    menuButton.focus();
    await sendKeys({ press: 'Enter' });
    await settle(a);
    expect(menu.hidden).to.equal(false);
    expect(menuButton.getAttribute('aria-expanded')).to.equal('true');
    expect(active(a)?.dataset.menu).to.equal('safety');
    // Each choice carries its consequence as its description.
    for (const item of menu.querySelectorAll<HTMLElement>('.menu-item')) {
      const hint = shadow(a).getElementById(item.getAttribute('aria-describedby') ?? '');
      expect(hint?.textContent?.trim().length, item.textContent ?? '').to.be.above(20);
    }
    expect([...menu.querySelectorAll('.menu-item')].map((x) => x.textContent?.trim())).to.include.members([
      'Safety codes',
      'Forget my key on this device',
      'Sign out',
    ]);
    for (const width of [1000, 360]) {
      await frameWidth(width);
      for (const theme of ['light', 'dark'] as const) {
        a.theme = theme;
        await settle(a);
        expect(rect(menu).left).to.be.at.least(rect(frame).left - 1);
        await expect(a).to.be.accessible();
      }
    }
    await screenshot(a, 'header-menu-360');
    await sendKeys({ press: 'Escape' });
    await settle(a);
    expect(menu.hidden).to.equal(true);
    expect(active(a)).to.equal(menuButton);

    // Safety codes: the panel opens and takes focus.
    await sendKeys({ press: 'Enter' });
    await settle(a);
    await sendKeys({ press: 'Enter' });
    await waitFor('safety panel focused', () => active(a)?.id === 'safety-codes');
    expect(q(a, '[part~="verification"]')).to.not.equal(null);

    // Forget my key: a confirmation that says what is lost; going back keeps everything.
    menuButton.click();
    await settle(a);
    (menu.querySelector('[data-menu="forget"]') as HTMLElement).click();
    await settle(a);
    await waitFor('confirm focused', () => active(a)?.classList.contains('danger'));
    expect(menu.querySelector('[role="alert"]')?.textContent).to.contain('backup password');
    await expect(a).to.be.accessible();
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Enter' });
    await settle(a);
    expect(menu.querySelector('[role="alert"]')).to.equal(null);
    (menu.querySelector('[data-menu="signout"]') as HTMLElement).click();
    await waitForStatus(a, 'signed-out');
  });

  it('composer: grows with the text, Enter sends and Shift+Enter adds a line (or the reverse with enter-key="newline")', async function () {
    skipIn(this, ['webkit'], NO_KEY_CHORDS);
    const { a, b } = await pair();
    const box = q<HTMLTextAreaElement>(a, '#compose-main')!;
    const send = q(a, '[part~="send-button"]') as HTMLElement;
    const attach = q(a, '[part~="attach-button"]') as HTMLElement;
    expect(send.textContent?.trim()).to.equal('Send');
    expect(attach.textContent?.trim()).to.equal('Attach files');
    for (const button of [send, attach]) expect(rect(button).width).to.be.at.least(24);
    // The Enter-key hint describes the box first (the test stack's organization disclosure follows it).
    const [hint] = (box.getAttribute('aria-describedby') ?? '').split(' ');
    expect(shadow(a).getElementById(hint ?? '')?.textContent).to.equal(
      'Enter sends; Shift+Enter adds a new line.',
    );
    const oneLine = rect(box).height;
    box.focus();
    await sendKeys({ type: 'Line one' });
    await chord('Shift', 'Enter');
    await sendKeys({ type: 'Line two' });
    await chord('Shift', 'Enter');
    await sendKeys({ type: 'Line three' });
    expect(box.value).to.equal('Line one\nLine two\nLine three');
    expect(rect(box).height).to.be.above(oneLine + 20);
    await sendKeys({ press: 'Enter' });
    await waitFor('sent', () =>
      [...shadow(b).querySelectorAll('.text')].some(
        (t) => t.textContent === 'Line one\nLine two\nLine three',
      ),
    );
    expect(box.value).to.equal('');
    expect(rect(box).height).to.be.below(oneLine + 4);

    a.setAttribute('enter-key', 'newline');
    await sendKeys({ type: 'x' });
    await settle(a);
    expect(shadow(a).getElementById('compose-main-hint')?.textContent).to.equal(
      'Enter adds a new line; Ctrl+Enter sends.',
    );
    await sendKeys({ press: 'Enter' });
    await sendKeys({ type: 'y' });
    expect(box.value).to.equal('x\ny');
    await chord('Control', 'Enter');
    await waitFor('sent with Ctrl+Enter', () =>
      [...shadow(b).querySelectorAll('.text')].some((t) => t.textContent === 'x\ny'),
    );
    a.removeAttribute('enter-key');
    await expect(a).to.be.accessible();
  });

  it('files: staged as removable chips, sent as cards; an image opens in a lightbox that traps focus and closes with Escape', async () => {
    const { a, b } = await pair();
    const canvas = Object.assign(document.createElement('canvas'), { width: 60, height: 40 });
    (canvas.getContext('2d') as CanvasRenderingContext2D).fillRect(0, 0, 60, 40);
    const png = await new Promise<Blob>((r) => canvas.toBlob((x) => r(x as Blob), 'image/png'));
    const photo = new File([png], `photo-${subject('x')}.png`, { type: 'image/png' });
    const note = new File(['hello'], `note-${subject('x')}.txt`, { type: 'text/plain' });
    const zone = q(a, '.drop-zone') as HTMLElement;
    const dt = new DataTransfer();
    dt.items.add(photo);
    dt.items.add(note);
    // Dragging files over shows the overlay.
    zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    const overlay = q(a, '[part~="drop-overlay"]') as HTMLElement;
    expect(getComputedStyle(overlay).display).to.equal('grid');
    expect(overlay.textContent).to.contain('Drop files here');
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    await settle(a);
    expect(getComputedStyle(overlay).display).to.equal('none');
    // Staged, not sent: one chip per file, each removable by name.
    const chips = () => [...shadow(a).querySelectorAll<HTMLElement>('[part~="staged-file"]')];
    expect(chips().map((c) => c.querySelector('.name')?.textContent)).to.deep.equal([photo.name, note.name]);
    await expect(a).to.be.accessible();
    const remove = chips()[1]!.querySelector('button') as HTMLElement;
    expect(remove.getAttribute('aria-label')).to.equal(`Remove ${note.name}`);
    remove.click();
    await settle(a);
    expect(chips().length).to.equal(1);
    expect(active(a)?.id).to.equal('compose-main');
    await sendKeys({ type: 'The photo' });
    await sendKeys({ press: 'Enter' });
    await settle(a);
    expect(chips().length).to.equal(0);

    // Bob sees a card (icon, name, size) and a thumbnail button.
    const thumbButton = await waitFor(
      'thumbnail on bob',
      () => {
        const img = shadow(b).querySelector<HTMLImageElement>('img[part~="thumbnail"]');
        return img?.complete && img.naturalWidth > 0
          ? (img.closest('button') as HTMLButtonElement)
          : undefined;
      },
      60_000,
    );
    expect(shadow(b).textContent).to.not.contain(note.name);
    const card = thumbButton.closest('li')!.querySelector('[part~="file-card"]') as HTMLElement;
    expect(card.querySelector('.file-name')?.textContent).to.equal(photo.name);
    expect(card.querySelector('.file-size')?.textContent).to.match(/byte|B/);
    expect(card.querySelector('svg.icon')).to.not.equal(null);
    expect(thumbButton.textContent?.trim()).to.equal(`Open ${photo.name} full size`);
    await expect(b).to.be.accessible();

    // The lightbox: a modal dialog, focus inside, Escape closes, focus returns to the thumbnail.
    thumbButton.focus();
    await sendKeys({ press: 'Enter' });
    const dialog = thumbButton.nextElementSibling as HTMLDialogElement;
    await waitFor('open', () => dialog.open);
    expect(dialog.matches(':modal')).to.equal(true);
    expect(active(b)?.closest('dialog')).to.equal(dialog);
    expect(dialog.getAttribute('aria-label')).to.equal(photo.name);
    await expect(b).to.be.accessible();
    await sendKeys({ press: 'Escape' });
    await waitFor('closed', () => !dialog.open);
    await waitFor('focus back', () => active(b) === thumbButton);
    // And by its close button.
    thumbButton.click();
    await waitFor('open again', () => dialog.open);
    (dialog.querySelector('.close') as HTMLElement).click();
    await waitFor('closed again', () => !dialog.open);
    await waitFor('focus back again', () => active(b) === thumbButton);
  });
});
