// The one rule for marking a conversation read, used by the open conversation and by the conversation list alike.

export interface ReadCheck {
  /** False while the page is hidden (a background tab, a minimised window): nobody is reading it. */
  pageVisible: boolean;
  /** Something arrived after the user's last read mark. */
  hasUnread: boolean;
}

/**
 * A conversation is marked read only while the user can see it and only when something is unread; the caller decides
 * that it is open and scrolled to its newest message. Marking a hidden tab read would tell the sender "seen" for a
 * message nobody saw.
 */
export function shouldMarkRead({ pageVisible, hasUnread }: ReadCheck): boolean {
  return pageVisible && hasUnread;
}

/** True when the newest message is later than the read mark (or there is no read mark yet). */
export function isUnread(latestAt: Date | undefined, readAt: Date | undefined): boolean {
  return latestAt !== undefined && (readAt === undefined || readAt.getTime() < latestAt.getTime());
}
