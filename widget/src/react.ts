// `secure-chat/react`: <secure-chat> as a React component. Importing it registers the element (unless a script tag
// already did). React is the host application's own copy: a peer dependency, never bundled.
import { createComponent, type EventName, type ReactWebComponent } from '@lit/react';
import type { LitElement } from 'lit';
import * as React from 'react';
import type {
  SecureChatAuditEvent,
  SecureChatErrorEvent,
  SecureChatFileDownloadedEvent,
  SecureChatKeyEvent,
  SecureChatLockedEvent,
  SecureChatMessageEvent,
  SecureChatReadyEvent,
  SecureChatSendEvent,
  SecureChatSignedOutEvent,
  SecureChatUnreadEvent,
} from './events.js';
import { SecureChatElement } from './secure-chat.js';

const TAG = 'secure-chat';

/**
 * Each `secure-chat-*` event the element fires, as a React prop named after it (`secure-chat-ready` →
 * `onSecureChatReady`): no clash with React's own `onError`, and a handler gets the event's own class.
 */
interface SecureChatEventMap {
  onSecureChatReady: SecureChatReadyEvent;
  onSecureChatError: SecureChatErrorEvent;
  onSecureChatMessage: SecureChatMessageEvent;
  onSecureChatKey: SecureChatKeyEvent;
  onSecureChatSignedOut: SecureChatSignedOutEvent;
  onSecureChatSend: SecureChatSendEvent;
  onSecureChatFileDownloaded: SecureChatFileDownloadedEvent;
  onSecureChatUnread: SecureChatUnreadEvent;
  onSecureChatLocked: SecureChatLockedEvent;
  onSecureChatAudit: SecureChatAuditEvent;
}

/** The typed event handler props, e.g. `onSecureChatMessage: (event: SecureChatMessageEvent) => void`. */
export type SecureChatEventProps = {
  [Prop in keyof SecureChatEventMap]?: (event: SecureChatEventMap[Prop]) => void;
};

// The declarations name only React and this package: @lit/react is bundled, so consumers never install it.
const events: { [Prop in keyof SecureChatEventMap]: EventName<SecureChatEventMap[Prop]> } = {
  onSecureChatReady: 'secure-chat-ready' as EventName<SecureChatReadyEvent>,
  onSecureChatError: 'secure-chat-error' as EventName<SecureChatErrorEvent>,
  onSecureChatMessage: 'secure-chat-message' as EventName<SecureChatMessageEvent>,
  onSecureChatKey: 'secure-chat-key' as EventName<SecureChatKeyEvent>,
  onSecureChatSignedOut: 'secure-chat-signed-out' as EventName<SecureChatSignedOutEvent>,
  onSecureChatSend: 'secure-chat-send' as EventName<SecureChatSendEvent>,
  onSecureChatFileDownloaded: 'secure-chat-file-downloaded' as EventName<SecureChatFileDownloadedEvent>,
  onSecureChatUnread: 'secure-chat-unread' as EventName<SecureChatUnreadEvent>,
  onSecureChatLocked: 'secure-chat-locked' as EventName<SecureChatLockedEvent>,
  onSecureChatAudit: 'secure-chat-audit' as EventName<SecureChatAuditEvent>,
};

/** What a ref reaches but a prop must not set: the element's methods, lifecycle overrides and read-only state. */
type MethodsAndState =
  | 'send'
  | 'edit'
  | 'startConversation'
  | 'signOut'
  | 'reconnect'
  | 'lock'
  | 'render'
  | 'willUpdate'
  | 'status'
  | 'i18n';

/**
 * Every public property the element declares, all optional: `apiUrl`, `channel`, `peer`, `getSessionToken`,
 * `reauthenticate`, `theme`… (see docs/element.md). Set as properties, never as attributes, so functions pass
 * through untouched.
 */
export type SecureChatProperties = Partial<
  // Leaves out what every Lit element has (`updateComplete`, `requestUpdate`…, and HTMLElement's own members).
  Pick<SecureChatElement, Exclude<keyof SecureChatElement, keyof LitElement | MethodsAndState>>
>;

/** The props of {@link SecureChat}: the element's properties, its events, the usual HTML attributes and a ref. */
export type SecureChatProps = React.HTMLAttributes<SecureChatElement> &
  SecureChatProperties &
  SecureChatEventProps &
  React.RefAttributes<SecureChatElement>;

if (!customElements.get(TAG)) SecureChatElement.define(TAG);

/**
 * `<secure-chat>` for React 18 and 19. Props set the element's properties; `on…` props listen to its events; a ref
 * gives the element itself, for methods such as `send()` or `lock()`.
 * @example
 * <SecureChat apiUrl={apiUrl} peer="clinician-lee" getSessionToken={portalSessionToken}
 *   onSecureChatMessage={(event) => setLastMessageId(event.detail.id)} />
 */
export const SecureChat: React.ForwardRefExoticComponent<SecureChatProps> = createComponent({
  tagName: TAG,
  elementClass: SecureChatElement,
  react: React,
  events,
  displayName: 'SecureChat',
}) satisfies ReactWebComponent<SecureChatElement, typeof events>;

export type { SecureChatElement };
