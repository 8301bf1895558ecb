// The element's shell: registration, and the choice of frame isolation (docs/isolation.md). Part of the entry, so it
// stays tiny: an element connected with `isolation="frame"` never starts a widget of its own; it loads the host proxy
// (frame-host.ts, a lazy chunk), which runs the widget in an iframe from the widget's own origin.
import { LitElement, type PropertyDeclaration, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { SecureChatError } from '../core/errors.js';
import * as events from '../events.js';
import type { FrameHost } from './frame-host.js';
import type { FrameMethod } from './protocol.js';

/** The proxies of the elements in frame mode (module-level: `requestUpdate` runs before any field exists). */
const hosts = new WeakMap<Element, Promise<FrameHost>>();

/** In frame mode, `method` called on the widget in the frame; undefined when the element runs the widget itself. */
export function inFrame<T>(
  element: Element,
  method: FrameMethod,
  ...args: unknown[]
): Promise<T> | undefined {
  return hosts.get(element)?.then((host) => host.call(method, args) as Promise<T>);
}

export class FrameCapableElement extends LitElement {
  /**
   * `none` (default): the widget runs in this page. `frame`: it runs in an iframe served from the widget's own
   * origin, out of reach of the page's other scripts; this element proxies it. Read when the element first connects.
   */
  @property() isolation: 'none' | 'frame' = 'none';

  /** Registers the element, warning instead of throwing if the tag is already taken. */
  static define(tag = 'secure-chat', registry: CustomElementRegistry = customElements): void {
    if (registry.get(tag)) {
      console.warn(`[secure-chat] <${tag}> is already defined`);
      return;
    }
    registry.define(tag, this);
  }

  override connectedCallback(): void {
    if (!hosts.has(this) && (this.hasUpdated || this.isolation !== 'frame')) return super.connectedCallback();
    if (hosts.has(this)) return; // moved: the iframe reloads and the proxy connects to it again
    const root = this.shadowRoot ?? this.attachShadow({ mode: 'open' });
    Object.assign(this, { renderRoot: root });
    // Lets Lit's update cycle run, without rendering (`shouldUpdate`), so that properties the page set before the
    // element was defined (`getSessionToken` on an element parsed before the script loaded) take effect here too.
    this.enableUpdating(true);
    // frame.html sits next to the entry module this code is bundled into (dist/widget/), on the same CDN.
    const frameUrl = new URL('./frame.html', import.meta.url);
    hosts.set(
      this,
      import('./frame-host.js').then((module) =>
        module.connectFrame(this, root, frameUrl, { SecureChatError, events }),
      ),
    );
  }

  /** In frame mode nothing renders here: the widget renders in the frame. */
  protected override shouldUpdate(changed: PropertyValues): boolean {
    return hosts.has(this) ? false : super.shouldUpdate(changed);
  }

  override disconnectedCallback(): void {
    if (!hosts.has(this)) super.disconnectedCallback();
  }

  override requestUpdate(name?: PropertyKey, oldValue?: unknown, options?: PropertyDeclaration): void {
    super.requestUpdate(name, oldValue, options);
    void hosts.get(this)?.then((host) => host.sync());
  }

  /** In frame mode: focuses the frame, whose widget takes the focus on to its first control. */
  override focus(options?: FocusOptions): void {
    const host = hosts.get(this);
    if (host) void host.then((proxy) => proxy.focus(options));
    else super.focus(options);
  }

  protected override async getUpdateComplete(): Promise<boolean> {
    return hosts.has(this) ? true : super.getUpdateComplete();
  }
}
