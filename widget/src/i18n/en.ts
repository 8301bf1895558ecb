/**
 * English strings: the source catalogue. Every user-visible string in the widget comes from here through
 * `Localizer.t()`. Keys are grouped by screen; `{name}` placeholders are filled from the params.
 * Add a key here and to every other catalogue (es.ts) in the same change: the Catalogue type enforces it.
 */
export const en = {
  'status.connecting': 'Connecting securely…',
  'status.loading': 'Loading…',

  'error.title': 'Secure chat is unavailable',
  'error.config': 'Secure chat is not set up correctly on this page.',
  'error.unauthorized': 'Your portal session has ended. Sign in to the portal again to use secure chat.',
  'error.forbidden': 'Secure chat is not allowed here: this site or this conversation was refused.',
  'error.rate-limited': 'Secure chat is busy. Wait a moment and try again.',
  'error.network':
    'Secure chat could not reach its service, or the service does not accept requests from this site. Check the connection and try again.',
  'error.identity-conflict': 'Your secure chat key could not be set up. Try again, or contact support.',
  'error.generic': 'Something went wrong. Try again.',
  'error.retry': 'Try again',

  'signedOut.title': 'You have signed out of secure chat',
  'signedOut.keyRemoved':
    'Your key was removed from this device. You will need your backup password to read messages here again.',
  'signedOut.keyKept': 'Your key is still stored on this device.',
  'signedOut.reopen': 'Open secure chat again',

  'key.working.title': 'Securing your key',
  'key.working.status': 'Working… this takes a few seconds.',
  'key.backup.titleNew': 'Your new key is ready',
  'key.backup.title': 'Your secure chat key is ready',
  'key.backup.intro':
    'Messages are encrypted with a key that lives only on this device. Choose a backup password so you can read your messages on another device or after clearing this browser. We cannot recover this password for you.',
  'key.backup.password': 'Backup password (at least 8 characters)',
  'key.backup.confirm': 'Type the password again',
  'key.backup.failed': 'The backup could not be saved. Try again.',
  'key.backup.save': 'Save backup',
  'key.backup.skip': 'Skip for now',
  'key.backup.skipWarning':
    'Without a backup, if you lose this device or clear its browser data, you will not be able to read your past messages anywhere.',
  'key.backup.skipConfirm': 'Continue without a backup',
  'key.backup.tooShort': 'Use at least 8 characters.',
  'key.backup.mismatch': 'The two passwords are not the same.',
  'key.goBack': 'Go back',
  'key.restore.title': 'Restore your secure chat key',
  'key.restore.intro':
    'You already use secure chat on another device. Enter your backup password to read your messages here.',
  'key.restore.password': 'Backup password',
  'key.restore.wrongPassword': 'That password did not work. Check it and try again; nothing was lost.',
  'key.restore.noBackup':
    'There is no password backup of your key. Use "I forgot my password" to create a new key.',
  'key.restore.failed': 'Your key could not be restored. Try again.',
  'key.restore.submit': 'Restore',
  'key.restore.forgot': 'I forgot my password',
  'key.rotate.title': 'Create a new key?',
  'key.rotate.warning':
    'A new key will replace your old one. Messages sent to you before now will become unreadable on every device, and this cannot be undone. Other people will see that your key changed.',
  'key.rotate.confirm': 'Create a new key',

  'failure.unverified-sender':
    "Couldn't verify the sender. This message may not be from who it claims, so it is not shown.",
  'failure.unknown-sender': "Couldn't verify the sender: they have no encryption key.",
  'failure.not-for-this-device': 'Not encrypted for this device, so it cannot be read here.',
  'failure.previous-key': 'Encrypted for a previous key. It cannot be read since your key was replaced.',
  'failure.tampered': 'This message was tampered with and cannot be shown.',
  'failure.misplaced':
    "Couldn't verify this message: it does not belong here (it may have been moved, replayed or re-labelled).",
  'failure.not-encrypted': 'This message is not end-to-end encrypted, so it is not shown.',
  'failure.unavailable': 'This message could not be downloaded. Try again later.',

  'message.unknownMember': 'Unknown member',
  'message.you': 'You',
  'message.quoteMissing': 'Quoted message not available',
  'message.deleted': 'This message was deleted.',
  'message.decrypting': 'Decrypting…',
  'message.edited': 'edited',
  'message.sending': 'sending…',
  'message.replies': 'Replies ({count})',
  'message.replyInThread': 'Reply in thread',
  'message.quote': 'Quote',
  'message.edit': 'Edit',
  'message.editingBelow': 'Editing below',

  'composer.message': 'Message',
  'composer.reply': 'Reply',
  'composer.editing': 'Editing your message',
  'composer.cancelEdit': 'Cancel edit',
  'composer.quoting': 'Quoting a message',
  'composer.cancelQuote': 'Cancel quote',
  'composer.saveEdit': 'Save edit',
  'composer.send': 'Send',

  'conversation.title': 'Secure conversation',
  'conversation.forgetKey': "Don't keep my key on this device",
  'conversation.signOut': 'Sign out',
  'conversation.messages': 'Messages',
  'conversation.empty': 'No messages yet. Messages here are end-to-end encrypted.',
  'thread.title': 'Thread',
  'thread.close': 'Close thread',
  'thread.replies': 'Thread replies',
} satisfies Record<string, string>;

export type MessageKey = keyof typeof en;
export type Catalogue = Record<MessageKey, string>;
