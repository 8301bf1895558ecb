import { LitElement, css, html } from 'lit';
import { property } from 'lit/decorators.js';

/**
 * @summary End-to-end encrypted chat for a patient portal.
 */
export class SecureChatElement extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
  `;

  /** Base URL of the secure-chat token API. */
  @property({ attribute: 'api-url' }) apiUrl = '';

  /** Registers the element, warning instead of throwing if the tag is already taken. */
  static define(tag = 'secure-chat', registry: CustomElementRegistry = customElements): void {
    if (registry.get(tag)) {
      console.warn(`[secure-chat] <${tag}> is already defined`);
      return;
    }
    registry.define(tag, this);
  }

  override render() {
    return html`<p part="status">Secure chat</p>`;
  }
}
