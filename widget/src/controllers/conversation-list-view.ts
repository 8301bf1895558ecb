// The conversation list's read-only view model and intents, and the pure function that builds the view.
import type { ConversationRow, UnreadTotals } from '../core/conversations.js';
import type { Person } from '../core/ports.js';
import type { MessageKey } from '../i18n/localize.js';

/** A message above the rows: why something failed, or that notifications are on. */
export type ListNotice = { kind: 'error' | 'info'; key: MessageKey };

export interface ConversationListView {
  readonly rows: readonly ConversationRow[];
  /** Unread messages over all conversations. */
  readonly total: number;
  /** One pane at a time (with a back control) instead of side by side. */
  readonly stacked: boolean;
  /** The open conversation's cid, '' for none: the session's, the only source of truth. */
  readonly activeCid: string;
  readonly notice: ListNotice | undefined;
  /** Contacts the user may start a conversation with (those the portal gave a subject). */
  readonly startable: readonly Person[];
  readonly notifications: { readonly supported: boolean; readonly enabled: boolean };
}

export interface ConversationListIntents {
  open(cid: string): void;
  start(peer: string): void;
  /** Back to the list (stacked layout). */
  back(): void;
  toggleNotifications(): void;
  signOut(forgetKey: boolean): void;
}

export type LayoutMode = 'auto' | 'split' | 'stacked';

/** Below this width (px) `layout="auto"` shows one pane at a time. */
export const STACK_BELOW = 600;

/** `layout` forces the arrangement; `auto` follows the element's width. */
export function isStacked(layout: string, width: number): boolean {
  return layout === 'stacked' || (layout !== 'split' && width < STACK_BELOW);
}

/** The view of a list: its rows and totals, the open conversation, and what the controller holds besides. */
export function conversationListView(input: {
  rows: readonly ConversationRow[];
  totals: UnreadTotals;
  activeCid: string;
  stacked: boolean;
  notice: ListNotice | undefined;
  contacts: readonly Person[];
  notifications: { supported: boolean; enabled: boolean };
}): ConversationListView {
  return {
    rows: [...input.rows],
    total: input.totals.total,
    stacked: input.stacked,
    activeCid: input.activeCid,
    notice: input.notice,
    startable: input.contacts.filter((c) => c.sub),
    notifications: { ...input.notifications },
  };
}
