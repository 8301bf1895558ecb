// Classes and types only: importing this module registers nothing.
export { SecureChatElement } from './secure-chat.js';
