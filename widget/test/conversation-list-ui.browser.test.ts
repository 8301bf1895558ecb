// The conversation list's own interactions, on the view alone (list-harness.ts): avatars, relative times, badges
// and presence; the name search; the new-conversation picker by keyboard, mouse and touch; the loading, empty and
// error states. Each screen passes axe in light and dark, left-to-right and right-to-left, at 360 and 1,000 px.
import { expect } from '@open-wc/testing';
import {
  emulateMedia,
  executeServerCommand,
  sendKeys,
  sendMouse,
  setViewport,
} from '@web/test-runner-commands';
import { engine } from './engine.js';
import type { ListHarness } from './list-harness.js';
import { CONTACTS, RecordingIntents, allInList, centre, inList, sampleView } from './list-harness.js';

const now = new Date();
let harness: ListHarness;
let intents: RecordingIntents;

/** Real input where the engine's driver has it; touch taps only in Chromium (see touch-plugin.ts). */
async function click(el: Element): Promise<void> {
  if (engine === 'webkit') {
    // WebKitGTK's WebDriver has no pointer actions here: do what a press does (focus moves, except from an option,
    // which keeps it on the combobox), then click.
    if (!el.matches('[role="option"]')) (harness.shadowRoot!.activeElement as HTMLElement | null)?.blur();
    (el as HTMLElement).focus();
    return void (el as HTMLElement).click();
  }
  el.scrollIntoView({ block: 'nearest' });
  const { x, y } = centre(el);
  await sendMouse({ type: 'click', position: [x, y] });
}
async function tap(el: Element, until: () => unknown): Promise<boolean> {
  el.scrollIntoView({ block: 'nearest' });
  const { x, y } = centre(el);
  const tapped = (await executeServerCommand('secure-chat-tap', { x, y })) === true;
  // The click follows the gesture a little later.
  for (let i = 0; i < 100 && !until(); i++) await new Promise((r) => setTimeout(r, 10));
  await settle();
  return tapped;
}
const settle = () => harness.list.updateComplete;
/** Sets the width and waits for the layout the list picks for it (its ResizeObserver re-renders a task later). */
async function resize(width: number): Promise<void> {
  harness.style.width = `${width}px`;
  const wanted = width < 600 ? 'stacked' : 'split';
  for (let i = 0; i < 50 && harness.list.dataset.layout !== wanted; i++)
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r)));
  await settle();
}
/** Waits for running transitions and the reveal animation (not the endless shimmer), so axe sees final colours. */
async function calm(): Promise<void> {
  await settle();
  const finite = harness
    .shadowRoot!.getAnimations()
    .filter((a) => a.effect?.getTiming().iterations !== Infinity);
  await Promise.all(finite.map((a) => a.finished.catch(() => undefined)));
}
async function axe(label?: string): Promise<void> {
  await calm();
  await expect(harness, label).to.be.accessible();
}
const active = () => harness.shadowRoot!.activeElement;
const pickerInput = () => inList<HTMLInputElement>(harness, '[part~="picker-input"]')!;
const chips = () => allInList(harness, '[part~="chip"]').map((c) => c.textContent!.trim());
const options = () => allInList(harness, '[role="option"]');

/** Runs `check` in each theme, direction and width, with axe on every combination. */
async function everyLook(check: () => unknown): Promise<void> {
  for (const theme of ['light', 'dark'] as const)
    for (const lang of ['en', 'ar'] as const)
      for (const width of [360, 1000]) {
        harness.setAttribute('theme', theme);
        await harness.show(harness.list.view!, intents, lang);
        await resize(width);
        await check();
        await axe(`${theme} ${lang} ${width}px`);
      }
  await harness.show(harness.list.view!, intents, 'en');
  await resize(1000);
}

describe('conversation list view', function () {
  this.timeout(60_000);

  // Wider than the widest look, so real pointer input never lands on a horizontally scrolled page.
  before(async () => {
    if (engine !== 'webkit') await setViewport({ width: 1100, height: 900 });
  });

  beforeEach(async () => {
    harness = document.createElement('list-harness') as ListHarness;
    harness.style.display = 'block';
    harness.style.width = '1000px';
    document.body.append(harness);
    intents = new RecordingIntents();
    await harness.show(sampleView(now), intents);
  });
  afterEach(() => harness.remove());

  it('shows avatars from names and ids, relative times, unread badges and presence', async () => {
    const [bob, carol, team] = allInList(harness, 'button.conversation');
    expect(bob!.querySelector('.face')!.textContent).to.equal('BC');
    expect(bob!.querySelector('.face')!.className).to.match(/tone-\d/);
    expect(carol!.querySelector('.face')!.textContent).to.equal('ND');
    // A group shows two faces; no avatar is an image.
    expect(team!.querySelectorAll('.avatar.group .face')).to.have.length(2);
    expect(harness.shadowRoot!.querySelectorAll('img')).to.have.length(0);
    expect(bob!.querySelector('time')!.textContent).to.equal('5 min. ago');
    expect(carol!.querySelector('time')!.textContent).to.equal('yesterday');
    expect(team!.querySelector('time')!.textContent).to.equal('4 days ago');
    expect(bob!.querySelector('[part~="unread-badge"]')!.textContent).to.contain('2 unread');
    expect(carol!.querySelector('[part~="unread-badge"]')).to.equal(null);
    expect(bob!.querySelector('.presence-dot')!.classList.contains('online')).to.equal(true);
    expect(carol!.textContent).to.contain('Offline');
    expect(team!.textContent).to.contain('Group of 3');
    expect(carol!.textContent).to.contain('You: See you on Thursday');
    await everyLook(() => {
      const box = bob!.getBoundingClientRect();
      expect(box.height).to.be.at.least(24);
      // Nothing overflows the list at 360 px.
      expect(harness.list.scrollWidth).to.be.at.most(harness.list.clientWidth + 1);
    });
    // Spanish relative times.
    await harness.show(sampleView(now), intents, 'es');
    expect(allInList(harness, 'button.conversation time')[1]!.textContent).to.equal('ayer');
  });

  it('filters conversations by name as the user types, and says when nothing matches', async () => {
    const search = inList<HTMLInputElement>(harness, '[part~="conversation-search"]')!;
    search.focus();
    await sendKeys({ type: 'diaz' });
    await settle();
    expect(allInList(harness, 'button.conversation').map((r) => r.dataset.cid)).to.deep.equal([
      'messaging:carol',
    ]);
    await sendKeys({ type: 'x' });
    await settle();
    expect(allInList(harness, 'button.conversation')).to.have.length(0);
    expect(inList(harness, '.no-matches[role="status"]')!.textContent).to.contain('diazx');
    await everyLook(() => expect(inList(harness, '.no-matches')).to.not.equal(null));
    for (let i = 0; i < 5; i++) await sendKeys({ press: 'Backspace' });
    await settle();
    expect(allInList(harness, 'button.conversation')).to.have.length(3);
  });

  it('starts a group by keyboard: arrows, Enter, Backspace removes the last chip, Escape closes', async () => {
    const button = inList<HTMLButtonElement>(harness, '[part~="new-conversation-button"]')!;
    button.focus();
    await sendKeys({ press: 'Enter' });
    await settle();
    expect(button.getAttribute('aria-expanded')).to.equal('true');
    expect(active()).to.equal(pickerInput());
    // Arrows open the listbox and move the active option (aria-activedescendant).
    await sendKeys({ press: 'ArrowDown' });
    await settle();
    expect(pickerInput().getAttribute('aria-expanded')).to.equal('true');
    expect(pickerInput().getAttribute('aria-activedescendant')).to.equal(options()[0]!.id);
    await sendKeys({ press: 'ArrowUp' });
    await settle();
    expect(pickerInput().getAttribute('aria-activedescendant')).to.equal(options()[3]!.id);
    await axe();
    // Typing filters; Enter picks the first match.
    await sendKeys({ type: 'car' });
    await settle();
    expect(options().map((o) => o.dataset.sub)).to.deep.equal(['sub-carol']);
    await sendKeys({ press: 'Enter' });
    await settle();
    expect(chips()).to.deep.equal(['NDNurse Carol Díaz']);
    await sendKeys({ type: 'obi' });
    await sendKeys({ press: 'Enter' });
    await settle();
    expect(chips()).to.have.length(2);
    expect(pickerInput().value).to.equal('');
    // Backspace in the empty input removes the last chip.
    await sendKeys({ press: 'Backspace' });
    await settle();
    expect(chips()).to.deep.equal(['NDNurse Carol Díaz']);
    await sendKeys({ type: 'er' });
    await sendKeys({ press: 'ArrowDown' });
    await settle();
    const chosen = options().find((o) => o.classList.contains('active'))!.dataset.sub;
    await sendKeys({ press: 'Enter' });
    await settle();
    expect(chips()).to.have.length(2);
    // Escape closes the listbox first, then the picker, and focus returns to its button.
    await sendKeys({ type: 'd' });
    await settle();
    expect(pickerInput().getAttribute('aria-expanded')).to.equal('true');
    await sendKeys({ press: 'Escape' });
    await settle();
    expect(pickerInput().getAttribute('aria-expanded')).to.equal('false');
    expect(inList(harness, '[role="listbox"]')!.hidden).to.equal(true);
    await sendKeys({ press: 'Backspace' }); // the typed "d"
    // Enter on the closed list starts the conversation with the chosen people.
    await sendKeys({ press: 'Enter' });
    await waitForStart();
    expect(intents.started).to.deep.equal([['sub-carol', chosen]]);
    expect(inList(harness, '[part~="new-conversation"]')).to.equal(null);
    // Escape twice from a fresh picker closes it with focus back on the button.
    button.focus();
    await sendKeys({ press: 'Enter' });
    await settle();
    await sendKeys({ press: 'Escape' });
    await settle();
    await harness.list.updateComplete;
    expect(inList(harness, '[part~="new-conversation"]')).to.equal(null);
    expect(active()).to.equal(button);
  });

  it('starts a conversation by mouse: options toggle, chips remove, Start sends the choice', async () => {
    await everyLook(async () => {
      await click(inList(harness, '[part~="new-conversation-button"]')!);
      await settle();
      await click(pickerInput());
      await settle();
      expect(options()).to.have.length(CONTACTS.length);
      for (const option of options()) {
        const box = option.getBoundingClientRect();
        expect(box.height, 'option target').to.be.at.least(24);
      }
      await axe();
      // The options pop over what follows: a click elsewhere closes them, then Cancel closes the picker.
      await click(inList(harness, '#new-conversation-title')!);
      await settle();
      expect(inList(harness, '[role="listbox"]')!.hidden).to.equal(true);
      await click(inList(harness, '[part~="new-conversation"] button.secondary')!); // Cancel
      await settle();
    });
    await click(inList(harness, '[part~="new-conversation-button"]')!);
    await settle();
    await click(pickerInput());
    await settle();
    await click(options()[0]!);
    await settle();
    await click(options()[2]!);
    await settle();
    expect(options()[0]!.getAttribute('aria-selected')).to.equal('true');
    expect(chips()).to.have.length(2);
    await click(inList(harness, '#new-conversation-title')!);
    await settle();
    const remove = inList(harness, '[part~="chip-remove"]')!;
    const box = remove.getBoundingClientRect();
    expect(box.width).to.be.at.least(24);
    expect(box.height).to.be.at.least(24);
    expect(remove.getAttribute('aria-label')).to.equal('Remove Dr Bob Chen');
    await click(remove);
    await settle();
    expect(chips()).to.deep.equal(['DODr Dave Obi']);
    await click(inList(harness, '[part~="start-button"]')!);
    await waitForStart();
    expect(intents.started).to.deep.equal([['sub-dave']]);
  });

  it('starts a conversation by touch', async function () {
    if (engine !== 'chromium') {
      if (this.test) this.test.title += ` (skipped in ${engine}: touch is emulated over CDP, Chromium only)`;
      this.skip();
    }
    await resize(360);
    const pointers: string[] = [];
    harness.shadowRoot!.addEventListener('pointerdown', (e) =>
      pointers.push((e as PointerEvent).pointerType),
    );
    expect(await tap(inList(harness, '[part~="new-conversation-button"]')!, pickerInput)).to.equal(true);
    await tap(pickerInput(), () => options().length);
    await tap(options()[1]!, () => chips().length);
    expect(chips()).to.deep.equal(['NDNurse Carol Díaz']);
    // The open options cover the buttons below; a tap outside them closes them.
    await tap(inList(harness, '#new-conversation-title')!, () => inList(harness, '[role="listbox"]')!.hidden);
    await tap(inList(harness, '[part~="start-button"]')!, () => intents.started.length);
    await waitForStart();
    expect(intents.started).to.deep.equal([['sub-carol']]);
    expect(pointers.length).to.be.greaterThan(2);
    expect(new Set(pointers)).to.deep.equal(new Set(['touch']));
  });

  it('shows placeholder rows while loading (still under reduced motion), an empty state and a load error with retry', async () => {
    await harness.show(sampleView(now, { rows: [], loading: true }), intents);
    expect(inList(harness, '[part~="list-loading"] [role="status"]')!.textContent).to.contain(
      'Loading your conversations',
    );
    expect(allInList(harness, '.skeleton-row')).to.have.length(3);
    if (engine === 'chromium') {
      await emulateMedia({ reducedMotion: 'reduce' });
      expect(getComputedStyle(inList(harness, '.skeleton')!).animationName).to.equal('none');
      await emulateMedia({ reducedMotion: 'no-preference' });
      expect(getComputedStyle(inList(harness, '.skeleton')!).animationName).to.equal('skeleton-shimmer');
    }
    await everyLook(() => expect(allInList(harness, '.skeleton-row')).to.have.length(3));

    await harness.show(sampleView(now, { rows: [] }), intents);
    expect(inList(harness, '[part~="empty-state"] h3')!.textContent).to.equal('No conversations yet.');
    await everyLook(() => expect(inList(harness, '[part~="empty-state"]')).to.not.equal(null));

    await harness.show(
      sampleView(now, { rows: [], notice: { kind: 'error', key: 'conversationList.loadFailed' } }),
      intents,
    );
    const error = inList(harness, '[part~="list-error"]')!;
    expect(error.getAttribute('role')).to.equal('alert');
    await everyLook(() => expect(inList(harness, '[part~="list-error"]')).to.not.equal(null));
    inList<HTMLButtonElement>(harness, '[part~="list-error"] button')!.focus();
    await sendKeys({ press: 'Enter' });
    expect(intents.calls).to.include('reload');
  });
});

async function waitForStart(): Promise<void> {
  for (let i = 0; i < 50 && !intents.started.length; i++) await new Promise((r) => setTimeout(r, 20));
  await harness.list.updateComplete;
  await harness.list.updateComplete;
}
