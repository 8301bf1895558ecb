// Follows the page's language: without its own `lang`, the widget re-renders when the portal switches
// `<html lang>` at runtime (the element's scheduleUpdate then loads that catalogue before rendering).
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export class LanguageController implements ReactiveController {
  #observer: MutationObserver | undefined;

  constructor(private readonly host: ReactiveControllerHost & Element) {
    host.addController(this);
  }

  hostConnected(): void {
    this.#observer = new MutationObserver(() => {
      if (!this.host.hasAttribute('lang')) this.host.requestUpdate();
    });
    this.#observer.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });
  }

  hostDisconnected(): void {
    this.#observer?.disconnect();
  }
}
