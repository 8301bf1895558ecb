// Moves keyboard focus to the new screen when the screen changes under a user who was working in the widget
// (key setup → conversation, a failure → the error), so focus is never dropped on <body>. Never steals focus
// from the host page on first load.
import type { ReactiveController, ReactiveElement } from 'lit';

export class ScreenFocusController implements ReactiveController {
  #screen = '';
  #engaged = false;

  constructor(
    private readonly host: ReactiveElement,
    /** A key that changes whenever a different screen is shown. */
    private readonly screen: () => string,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.host.addEventListener('focusin', this.#onFocusIn);
    this.host.addEventListener('focusout', this.#onFocusOut);
  }

  hostDisconnected(): void {
    this.host.removeEventListener('focusin', this.#onFocusIn);
    this.host.removeEventListener('focusout', this.#onFocusOut);
  }

  hostUpdated(): void {
    const screen = this.screen();
    if (screen === this.#screen) return;
    this.#screen = screen;
    const root = this.host.shadowRoot;
    if (!this.#engaged || !root || root.activeElement) return;
    const target = ['[data-autofocus]', 'input:not([type="checkbox"]):not([type="file"]), textarea', 'h2']
      .map((selector) => firstVisible(root, selector))
      .find(Boolean);
    if (!target) return;
    if (target.tabIndex < 0 && !target.hasAttribute('tabindex')) target.tabIndex = -1;
    target.focus();
  }

  #onFocusIn = () => {
    this.#engaged = true;
  };

  // Focus leaving for another part of the page ends the engagement; focus lost because its element was
  // re-rendered away (relatedTarget null) does not.
  #onFocusOut = (event: FocusEvent) => {
    const next = event.relatedTarget as Node | null;
    if (next && !this.host.contains(next) && !this.host.shadowRoot?.contains(next)) this.#engaged = false;
  };
}

/** The first match that is rendered (hidden file inputs and collapsed panes cannot take focus). */
function firstVisible(root: ShadowRoot, selector: string): HTMLElement | undefined {
  return [...root.querySelectorAll<HTMLElement>(selector)].find((node) => node.getClientRects().length > 0);
}
