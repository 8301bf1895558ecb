// Roving focus for a message list: one message is the list's single tab stop; arrow keys (Up/Down, Home/End) move
// between messages, Tab goes into the focused message's controls (links, files, reactions, its toolbar), and
// Left/Right move within a toolbar or the reaction picker. Escape closes a picker or menu, then returns to the
// message. Messages in other rows keep their controls out of the tab order (tabindex -1).
const ITEM = ':scope > [part~="message"]';
const CONTROLS = 'a[href], button, [tabindex]';

const itemsOf = (list: HTMLElement) => [...list.querySelectorAll<HTMLElement>(ITEM)];

function setActive(item: HTMLElement, on: boolean): void {
  item.tabIndex = on ? 0 : -1;
  for (const control of item.querySelectorAll<HTMLElement>(CONTROLS)) {
    if (on) control.removeAttribute('tabindex');
    else control.tabIndex = -1;
  }
}

function activate(list: HTMLElement, item: HTMLElement): void {
  for (const other of itemsOf(list)) if (other !== item && other.tabIndex === 0) setActive(other, false);
  if (item.tabIndex !== 0) setActive(item, true);
  // Remembered by id: the element may be re-created (windowing), the choice stays.
  list.dataset.activeId = item.dataset.id ?? '';
}

/** After each render: exactly one message (the one last focused, else the newest) is in the tab order. */
export function applyRoving(list: HTMLElement | null | undefined): void {
  if (!list) return;
  const items = itemsOf(list);
  const chosen = list.dataset.activeId;
  const active = items.find((i) => chosen && i.dataset.id === chosen) ?? items.at(-1);
  for (const item of items) setActive(item, item === active);
}

/** Closes a message's open reaction picker or menu; returns the button that opened it. */
export function closePopup(item: Element): HTMLElement | undefined {
  if (!(item instanceof HTMLElement) || !item.dataset.open) return undefined;
  const kind = item.dataset.open;
  delete item.dataset.open;
  const toggle = item.querySelector<HTMLElement>(`[data-toggle="${kind}"]`);
  toggle?.setAttribute('aria-expanded', 'false');
  return toggle ?? undefined;
}

/** Opens (or closes) a message's reaction picker or action menu from the button that toggles it. */
export function togglePopup(button: HTMLElement, kind: 'react' | 'menu'): void {
  const item = button.closest<HTMLElement>('[part~="message"]');
  if (!item) return;
  const open = item.dataset.open !== kind;
  for (const other of item.parentElement?.querySelectorAll('[data-open]') ?? []) closePopup(other);
  closePopup(item);
  if (!open) return;
  item.dataset.open = kind;
  button.setAttribute('aria-expanded', 'true');
  const first = item.querySelector<HTMLElement>(kind === 'react' ? '.picker button' : '.toolbar button');
  first?.focus();
}

export function rovingFocusIn(e: FocusEvent): void {
  const list = e.currentTarget as HTMLElement;
  const item = (e.target as HTMLElement).closest<HTMLElement>('[part~="message"]');
  if (item && item.parentElement === list) activate(list, item);
}

export function rovingKeydown(e: KeyboardEvent): void {
  const list = e.currentTarget as HTMLElement;
  const target = e.target as HTMLElement;
  const item = target.closest<HTMLElement>('[part~="message"]');
  // A lightbox (modal dialog) inside a message handles its own keys: Escape closes it.
  if (!item || item.parentElement !== list || target.closest('dialog')) return;
  if (e.key === 'Escape') {
    const toggle = closePopup(item);
    if (toggle || target !== item) {
      e.preventDefault();
      (toggle && target.closest('.picker, .toolbar') ? toggle : item).focus();
    }
    return;
  }
  if (target === item) {
    const items = itemsOf(list);
    const at = items.indexOf(item);
    const to =
      e.key === 'ArrowDown'
        ? at + 1
        : e.key === 'ArrowUp'
          ? at - 1
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? items.length - 1
              : -2;
    const next = items[to];
    if (to === -2) return;
    e.preventDefault();
    if (next) {
      activate(list, next);
      next.focus();
    }
    return;
  }
  const group = target.closest<HTMLElement>('.toolbar, .picker');
  if (!group || (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight')) return;
  const buttons = [...group.querySelectorAll<HTMLElement>('button')];
  const rtl = getComputedStyle(group).direction === 'rtl';
  const step = (e.key === 'ArrowRight') !== rtl ? 1 : -1;
  const i = buttons.indexOf(target);
  const next = buttons[(i + step + buttons.length) % buttons.length];
  e.preventDefault();
  next?.focus();
}
