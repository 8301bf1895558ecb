// The script-tag entry: registers <secure-chat>.
import { SecureChatElement } from './secure-chat.js';

SecureChatElement.define();

export { SecureChatElement };
