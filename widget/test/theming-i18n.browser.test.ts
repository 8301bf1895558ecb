import { expect } from '@open-wc/testing';
import { emulateMedia, sendKeys, setViewport } from '@web/test-runner-commands';
import type { SecureChatElement } from '../src/secure-chat.js';
import {
  buttonByText,
  screenshot,
  shadow,
  skipBackup,
  skipInFrames,
  subject,
  waitFor,
  waitForMessage,
  waitForScreen,
  waitForStatus,
  type Person,
  WIDGET_ENTRY,
  widgetMounter,
} from './stack-helpers.js';
import { checkContrast, css, focusedOutline, root } from './contrast.js';
import { engine, NO_MEDIA_EMULATION, skipIn } from './engine.js';

// The real bundle (rollup output), as a portal loads it.
await import(WIDGET_ENTRY);
const mountWidget = widgetMounter();

/** Waits out the buttons' 0.15 s colour transition after a theme change, so colours are read at rest. */
/**
 * Waits for a theme change to be painted: a short pause, then every running transition of the widget's shadow root
 * (buttons fade their background for 0.15 s; on a busy machine axe could otherwise catch them half-way).
 */
const settle = async (el?: Element) => {
  await new Promise((resolve) => setTimeout(resolve, 300));
  const running = el?.shadowRoot?.getAnimations?.() ?? [];
  await Promise.all(running.map((animation) => animation.finished.catch(() => undefined)));
};
const buttonTexts = (el: Element) =>
  [...shadow(el).querySelectorAll('button')].map((b) => b.textContent?.trim() ?? '');

/** The page's box for the widgets: 900 px wide unless a test narrows it. */
const frame = document.createElement('div');

/** Two new users: Alice, and Dr Bob who has not opened secure chat yet. */
function people() {
  const alice: Person = { sub: subject('alice'), name: 'Alice Patient' };
  const bob: Person = { sub: subject('bob'), name: 'Dr Bob' };
  return { alice, bob };
}

/** Alice's conversation with Dr Bob, ready in the frame (first device, backup skipped). */
async function aliceReady() {
  const { alice, bob } = people();
  const a = await mountWidget(alice, { peers: [bob], peer: bob.sub, container: frame });
  return { alice, bob, a };
}

/** As above, with Alice's own message, sent before Dr Bob has a key. */
async function withOwnMessage() {
  const ready = await aliceReady();
  await ready.a.send('Hola doctor');
  await waitFor('own message', () =>
    shadow(ready.a).querySelector('[part~="own-message"][data-trust="verified"]'),
  );
  return ready;
}

const withLink = 'Please check your blood pressure twice a day https://example.org/bp';

/** As above, then Dr Bob sets up secure chat, replies with a link and closes his widget again. */
async function conversation() {
  const ready = await withOwnMessage();
  const { alice, bob, a } = ready;
  const b = await mountWidget(bob, { peers: [alice], peer: alice.sub, container: frame });
  const id = await b.send(withLink);
  await waitForMessage(a, id);
  b.remove();
  return ready;
}

describe('<secure-chat> theming, languages and accessibility', function () {
  this.timeout(240_000);

  before(async () => {
    // The runner sets viewports through CDP or Playwright only; the WebKit launcher opens its window at 1280×1024.
    if (engine !== 'webkit') await setViewport({ width: 1000, height: 900 });
    document.body.append(frame);
  });

  beforeEach(() => {
    frame.style.width = '900px';
  });

  afterEach(async () => {
    if (engine === 'chromium') await emulateMedia({ colorScheme: 'light', reducedMotion: 'no-preference' });
  });

  after(() => frame.remove());

  it('loads the Spanish catalogue before the first render: no English flashes', async () => {
    const el = document.createElement('secure-chat') as SecureChatElement;
    el.lang = 'es';
    const texts: string[] = [];
    frame.append(el);
    const seen = new MutationObserver(() => texts.push(shadow(el).textContent ?? ''));
    seen.observe(el.shadowRoot!, { childList: true, subtree: true, characterData: true });
    try {
      await el.updateComplete;
      await waitForStatus(el, 'error'); // no api-url: a configuration error, in Spanish
      texts.push(shadow(el).textContent ?? '');
      expect(texts.join(' ')).to.contain('Conectando de forma segura');
      expect(texts.join(' ')).to.contain('El chat seguro no está disponible');
      expect(texts.join(' ')).to.not.match(/Connecting securely|Secure chat is unavailable/);
    } finally {
      seen.disconnect();
      el.remove();
    }
  });

  it('speaks Spanish with lang="es", by keyboard, and moves focus from key setup to the composer', async () => {
    const { alice, bob } = people();
    const detached = document.createElement('div');
    const a = await mountWidget(alice, { peers: [bob], peer: bob.sub, container: detached }, 'none');
    a.lang = 'es';
    frame.append(a);
    await waitForScreen(a, /Su clave del chat seguro está lista/);
    expect(buttonTexts(a)).to.include.members(['Guardar respaldo', 'Omitir por ahora']);
    expect(shadow(a).textContent).to.contain('Contraseña de respaldo');
    expect(root(a).lang).to.equal('es');

    // Keyboard only: Enter on "skip", then on "continue without a backup".
    buttonByText(a, 'Omitir por ahora').focus();
    await sendKeys({ press: 'Enter' });
    await a.updateComplete;
    buttonByText(a, 'Continuar sin respaldo').focus();
    await sendKeys({ press: 'Enter' });
    await waitForStatus(a, 'ready');
    // Focus followed the user onto the new screen instead of falling back to <body>.
    await waitFor('focus in the composer', () => shadow(a).activeElement?.tagName === 'TEXTAREA');
    expect(shadow(a).querySelector('label[for="compose-main"]')?.textContent).to.equal('Mensaje');
    expect(buttonTexts(a)).to.include.members(['Enviar', 'Cerrar sesión']);

    await sendKeys({ type: 'Hola doctor' });
    await sendKeys({ press: 'Enter' });
    const node = await waitFor('own message', () =>
      shadow(a).querySelector<HTMLElement>('[part~="own-message"][data-trust="verified"]'),
    );
    const time = node.querySelector('time') as HTMLTimeElement;
    const expected = new Intl.DateTimeFormat('es', { hour: 'numeric', minute: '2-digit' }).format(
      new Date(time.dateTime),
    );
    expect(time.textContent).to.equal(expected);
    expect(node.querySelector('.meta')?.textContent).to.contain('Usted');
  });

  it('switches language when lang changes, and follows the document language without one', async () => {
    const { a } = await aliceReady();
    a.lang = 'en';
    await waitFor('English', () => buttonTexts(a).includes('Send'));
    a.removeAttribute('lang');
    const pageLang = document.documentElement.lang;
    document.documentElement.lang = 'es-MX';
    try {
      await waitFor('Spanish from the document', () => buttonTexts(a).includes('Enviar'));
      expect(root(a).lang).to.equal('es-MX');
    } finally {
      document.documentElement.lang = pageLang;
    }
    await waitFor('back to the page language', () => buttonTexts(a).includes('Send'));
  });

  it('lays out right-to-left for RTL languages and dir="rtl", with logical properties', async () => {
    const { a } = await withOwnMessage();
    a.lang = 'ar';
    await waitFor('rtl', () => root(a).dir === 'rtl');
    expect(css(root(a)).direction).to.equal('rtl');
    expect(buttonTexts(a), 'English strings fall back').to.include('Send');
    const own = shadow(a).querySelector('[part~="own-message"]') as HTMLElement;
    const bubble = own.querySelector('[part~="bubble"]') as HTMLElement;
    const list = shadow(a).querySelector('[part~="messages"]') as HTMLElement;
    // The user's own bubble sits at the inline end: the left edge in RTL, the text padded inside it.
    expect(bubble.getBoundingClientRect().left - list.getBoundingClientRect().left).to.be.below(40);
    const text = own.querySelector('.text') as HTMLElement;
    expect(bubble.getBoundingClientRect().right - text.getBoundingClientRect().right).to.be.closeTo(12, 2);
    await screenshot(a, 'conversation-rtl');

    a.lang = 'en';
    a.dir = 'rtl';
    await waitFor('rtl from dir', () => css(root(a)).direction === 'rtl');
    a.removeAttribute('dir');
    await waitFor('ltr again', () => css(root(a)).direction === 'ltr');
    await a.updateComplete;
    expect(list.getBoundingClientRect().right - bubble.getBoundingClientRect().right).to.be.below(40);
  });

  it('shows the key setup screens and messages in light and dark themes, axe clean, AA contrast', async () => {
    const { alice, bob, a } = await withOwnMessage();
    const detached = document.createElement('div');
    const b = await mountWidget(bob, { peers: [alice], peer: alice.sub, container: detached }, 'none');
    b.lang = 'en';
    frame.append(b);
    await waitForScreen(b, /key is ready/);
    for (const theme of ['light', 'dark'] as const) {
      b.theme = theme;
      await b.updateComplete;
      await settle(b);
      await expect(b).to.be.accessible();
      for (const width of [900, 360]) {
        frame.style.width = `${width}px`;
        await screenshot(b, `key-setup-${theme}-${width}`);
      }
      frame.style.width = '900px';
    }
    b.theme = 'auto';
    await skipBackup(b);
    const id = await b.send(withLink);
    await waitForMessage(a, id);
    b.remove();

    for (const theme of ['light', 'dark'] as const) {
      a.theme = theme;
      await a.updateComplete;
      await settle(a);
      expect(css(root(a)).backgroundColor).to.equal(
        theme === 'dark' ? 'rgb(17, 24, 39)' : 'rgb(255, 255, 255)',
      );
      checkContrast(a);
      await expect(a).to.be.accessible();
      for (const width of [900, 360]) {
        frame.style.width = `${width}px`;
        await screenshot(a, `conversation-${theme}-${width}`);
      }
      frame.style.width = '900px';
    }
  });

  it('shows the restore screen on a second device in both themes, axe clean, in Spanish from the page', async () => {
    const { alice, bob } = await aliceReady();
    const detached = document.createElement('div');
    const other = await mountWidget(
      alice,
      { peers: [bob], peer: bob.sub, storage: `second-device-${alice.sub}`, container: detached },
      'none',
    );
    const pageLang = document.documentElement.lang;
    document.documentElement.lang = 'es';
    frame.append(other);
    try {
      await waitForScreen(other, /Recupere su clave del chat seguro/);
      expect(buttonTexts(other)).to.include.members(['Recuperar', 'Olvidé mi contraseña']);
      for (const theme of ['light', 'dark'] as const) {
        other.theme = theme;
        await other.updateComplete;
        await settle(other);
        await expect(other).to.be.accessible();
        await screenshot(other, `restore-es-${theme}`);
      }
    } finally {
      document.documentElement.lang = pageLang;
    }
  });

  it('shows the conversation list (narrow) and list + conversation (wide) in both themes, axe clean', async () => {
    const { alice, bob } = await conversation();
    frame.style.width = '360px';
    const inbox = await mountWidget(alice, { peers: [bob], container: frame }, 'none');
    inbox.lang = 'en';
    const rows = () => [...shadow(inbox).querySelectorAll<HTMLButtonElement>('button.conversation')];
    try {
      await waitFor('a row with its preview', () => rows()[0]?.dataset.preview === 'text', 60_000).catch(
        (error: Error) => {
          const seen = rows().map((r) => r.dataset.preview);
          throw new Error(
            `${error.message} (status ${inbox.status}, rows ${JSON.stringify(seen)}: ${shadow(inbox).textContent?.replace(/\s+/g, ' ').slice(0, 300)})`,
          );
        },
      );
      for (const theme of ['light', 'dark'] as const) {
        inbox.theme = theme;
        await inbox.updateComplete;
        await settle(inbox);
        await expect(inbox).to.be.accessible();
        await screenshot(inbox, `inbox-${theme}-360`);
      }
      frame.style.width = '900px';
      rows()[0]!.click();
      await waitFor('the conversation beside the list', () =>
        shadow(inbox).querySelector('[part~="conversation-pane"] [part~="message"]'),
      );
      for (const theme of ['light', 'dark'] as const) {
        inbox.theme = theme;
        await inbox.updateComplete;
        await settle(inbox);
        await expect(inbox).to.be.accessible();
        await screenshot(inbox, `inbox-${theme}-900`);
      }
    } finally {
      frame.style.width = '900px';
    }
  });

  it('follows prefers-color-scheme by default; the theme attribute forces either', async function () {
    skipIn(this, ['firefox', 'webkit'], NO_MEDIA_EMULATION);
    skipInFrames(
      this,
      "it reads the element's own computed color-scheme, which the frame's widget has instead",
    );
    const { a } = await conversation();
    a.theme = 'auto';
    await a.updateComplete;
    await emulateMedia({ colorScheme: 'dark' });
    await settle(a);
    expect(css(root(a)).backgroundColor).to.equal('rgb(17, 24, 39)');
    expect(css(a).colorScheme).to.equal('dark');
    checkContrast(a);
    await expect(a).to.be.accessible();
    a.theme = 'light';
    await a.updateComplete;
    expect(a.getAttribute('theme')).to.equal('light');
    expect(css(root(a)).backgroundColor).to.equal('rgb(255, 255, 255)');
    await emulateMedia({ colorScheme: 'light' });
    a.setAttribute('theme', 'dark');
    await a.updateComplete;
    expect(css(root(a)).backgroundColor).to.equal('rgb(17, 24, 39)');
    a.theme = 'auto';
    await a.updateComplete;
    expect(css(root(a)).backgroundColor).to.equal('rgb(255, 255, 255)');
  });

  it('has no transitions when the user prefers reduced motion', async function () {
    skipIn(this, ['firefox', 'webkit'], NO_MEDIA_EMULATION);
    const { a } = await aliceReady();
    const send = shadow(a).querySelector('[part~="send-button"]') as HTMLElement;
    await emulateMedia({ reducedMotion: 'no-preference' });
    expect(css(send).transitionDuration).to.equal('0.15s');
    await emulateMedia({ reducedMotion: 'reduce' });
    expect(css(send).transitionDuration).to.equal('0s');
    expect(css(send).animationName).to.equal('none');
    await emulateMedia({ reducedMotion: 'no-preference' });
  });

  it('reaches every control by keyboard with a visible focus ring that meets contrast, in both themes', async () => {
    const { a } = await conversation();
    // Tab past the widget lands here, not in Firefox's toolbar: from there the page no longer gets keys.
    const next = document.body.appendChild(document.createElement('button'));
    next.textContent = 'After the widget';
    for (const theme of ['light', 'dark'] as const) {
      a.theme = theme;
      await a.updateComplete;
      await settle(a);
      const visible = [
        ...shadow(a).querySelectorAll<HTMLElement>('a[href], button, input, textarea, select'),
      ].filter((c) => c.offsetParent !== null);
      // Controls left out of the Tab order must belong to a composite widget that arrow keys move through (the
      // message lists move between messages with arrow keys: ui/roving.ts).
      const composite =
        '[role=feed],[role=toolbar],[role=listbox],[role=grid],[role=menu],[role=tablist],[role=radiogroup],' +
        '[part~=messages],[part~=thread]';
      for (const c of visible.filter((c) => c.tabIndex < 0)) {
        expect(c.closest(composite), `${c.outerHTML.slice(0, 60)} is out of the Tab order`).to.not.equal(
          null,
        );
      }
      const controls = visible.filter((c) => c.tabIndex >= 0);
      expect(controls.length).to.be.greaterThan(4);
      controls[0]!.focus();
      const reached = new Set<Element>();
      for (let i = 0; i < 200; i++) {
        const { active, style, ringContrast } = await focusedOutline(a);
        if (!active || !style) break;
        reached.add(active);
        if (active.matches(':focus-visible')) {
          expect(style.outlineStyle, `${active.tagName} outline`).to.equal('solid');
          expect(parseFloat(style.outlineWidth)).to.be.at.least(2);
          expect(ringContrast, `focus ring contrast (${theme})`).to.be.at.least(3);
        }
        await sendKeys({ press: 'Tab' });
      }
      // Tab from the first control goes through all of them.
      for (const control of controls)
        expect(reached.has(control), control.outerHTML.slice(0, 60)).to.equal(true);
    }
    next.remove();
    a.theme = 'auto';
  });

  it('shows the error screen accessibly in both themes; retrying by keyboard keeps focus in the widget', async () => {
    // No api-url: a configuration error, shown without any network.
    const el = document.createElement('secure-chat') as SecureChatElement;
    el.lang = 'en';
    frame.append(el);
    try {
      await waitForStatus(el, 'error');
      for (const theme of ['light', 'dark'] as const) {
        el.theme = theme;
        await el.updateComplete;
        await settle(el);
        await expect(el).to.be.accessible();
        for (const width of [900, 360]) {
          frame.style.width = `${width}px`;
          await screenshot(el, `error-${theme}-${width}`);
        }
        frame.style.width = '900px';
      }
      const firstError = shadow(el).querySelector('h2');
      buttonByText(el, 'Try again').focus();
      await sendKeys({ press: 'Enter' });
      // The retry replaces the screen (connecting, then the same error again) and drops the focused button.
      await waitFor('a new error screen', () => shadow(el).querySelector('h2') !== firstError);
      await waitForStatus(el, 'error');
      await waitFor('focus on the new error', () => shadow(el).activeElement?.tagName === 'H2');
      expect(shadow(el).activeElement?.textContent).to.equal('Secure chat is unavailable');
    } finally {
      el.remove();
    }
  });

  it('stays visible, sized and readable inside a page with hostile global CSS', async () => {
    const { a } = await conversation();
    const hostile = document.createElement('style');
    hostile.textContent = `
      body, body * { all: unset; }
      button { display: none !important; }
      body, body * { color: #ff0000 !important; font-size: 48px !important; line-height: 0 !important;
          letter-spacing: 12px !important; text-transform: uppercase !important; direction: rtl !important;
          font-family: "Comic Sans MS", cursive !important; visibility: hidden; }
    `;
    document.head.append(hostile);
    try {
      await a.updateComplete;
      const send = shadow(a).querySelector('[part~="send-button"]') as HTMLElement;
      const rect = send.getBoundingClientRect();
      expect(css(send).display).to.not.equal('none');
      expect(css(send).visibility).to.equal('visible');
      expect(rect.width).to.be.greaterThan(30);
      expect(rect.height).to.be.within(20, 80);
      const text = shadow(a).querySelector('.text') as HTMLElement;
      expect(css(text).color).to.not.equal('rgb(255, 0, 0)');
      expect(css(text).fontSize).to.equal('16px');
      expect(css(text).letterSpacing).to.equal('normal');
      expect(css(text).textTransform).to.equal('none');
      expect(parseFloat(css(text).lineHeight)).to.be.greaterThan(16);
      expect(css(root(a)).direction).to.equal('ltr');
      expect(css(root(a)).borderTopWidth).to.equal('1px');
      await screenshot(a, 'hostile-page-css');
    } finally {
      hostile.remove();
    }
  });
});
