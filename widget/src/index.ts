// Classes and types only: importing this module registers nothing.
export { SecureChatElement, type SecureChatServices } from './secure-chat.js';
export {
  SecureChatErrorEvent,
  SecureChatKeyEvent,
  SecureChatMessageEvent,
  SecureChatReadyEvent,
  SecureChatSendEvent,
  SecureChatSignedOutEvent,
} from './events.js';
// Fired by the element and typed in the event map, but not exported as values: type-only keeps the entry's code as is.
export type {
  SecureChatAuditEvent,
  SecureChatFileDownloadedEvent,
  SecureChatLockedEvent,
  SecureChatUnreadEvent,
} from './events.js';
export { SecureChatError, type ErrorCode } from './core/errors.js';
export type { FailureReason } from './core/ports.js';
export type { MessageTrust, SessionState } from './core/session.js';
