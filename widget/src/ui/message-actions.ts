// A message's actions on demand: the toolbar (react, reply in thread, quote, copy, edit, delete) shown on hover or
// keyboard focus, the same actions as a menu behind "More actions" on touch screens, and the reaction picker.
import { html, nothing } from 'lit';
import type { ConversationView } from '../controllers/conversation-view.js';
import type { TimelineEntry } from '../core/timeline.js';
import { icon, type IconName } from './icons.js';
import type { MessageKey } from '../i18n/localize.js';
import type { ItemActions, ItemOptions } from './message-item.js';
import { closePopup, togglePopup } from './roving.js';

/**
 * The fixed reaction set. Types are sent to Stream in plain text (see docs/element.md, "Reactions — what they reveal"): neutral
 * acknowledgements only, so the type says little beyond "this person reacted to that message".
 */
export const REACTIONS = [
  { type: 'like', emoji: '👍', label: 'list.react.like' },
  { type: 'done', emoji: '✅', label: 'list.react.done' },
  { type: 'thanks', emoji: '🙏', label: 'list.react.thanks' },
  { type: 'question', emoji: '❓', label: 'list.react.question' },
] as const satisfies readonly { type: string; emoji: string; label: MessageKey }[];

/** The reaction picker, opened from the toolbar's "Add reaction" button. */
function reactionPicker(entry: TimelineEntry, view: ConversationView, a: ItemActions) {
  const t = a.i18n.t.bind(a.i18n);
  const summary = view.reactions(entry.id);
  return html`<div class="picker" part="reaction-picker" role="group" aria-label=${t('message.react')}>
    ${REACTIONS.map(({ type, emoji, label }) => {
      const mine = summary?.own.includes(type) ?? false;
      return html`<button
        type="button"
        data-pick=${type}
        aria-pressed=${mine ? 'true' : 'false'}
        title=${t(label)}
        @click=${(e: Event) => {
          const item = (e.currentTarget as HTMLElement).closest('[part~="message"]');
          const toggle = item ? closePopup(item) : undefined;
          a.react(entry.id, type, !mine);
          toggle?.focus();
        }}
      >
        <span aria-hidden="true">${emoji}</span><span class="vh">${t(label)}</span>
      </button>`;
    })}
  </div>`;
}

function tool(name: IconName, label: string, run: (e: Event) => void, action?: string) {
  return html`<button
    type="button"
    class="icon-button"
    title=${label}
    data-action=${action ?? name}
    @click=${run}
  >
    ${icon(name)}<span class="vh">${label}</span>
  </button>`;
}

/** Copies at the user's request, and says so in the toolbar's status (a live region Lit never renders into). */
async function copyText(button: HTMLElement, text: string, done: string): Promise<void> {
  const status = button.parentElement?.querySelector('.copied');
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    return; // no clipboard access: nothing was copied, so nothing is announced
  }
  if (!status) return;
  status.textContent = done;
  setTimeout(() => (status.textContent = ''), 2000);
}

/** The actions: a toolbar on hover or focus (fine pointers), a menu behind "More actions" on touch. */
export function actions(
  entry: TimelineEntry,
  view: ConversationView,
  a: ItemActions,
  opts: ItemOptions,
  sent: boolean,
) {
  const t = a.i18n.t.bind(a.i18n);
  const own = entry.from === view.me;
  const failed = own && entry.kind === 'message' && entry.failed;
  if (!sent && !failed) return nothing;
  const text = entry.kind === 'message' ? entry.text : '';
  const replies = opts.inThread ? 0 : view.replyCount(entry.id);
  return html`<button
      type="button"
      class="icon-button more"
      part="more-button"
      data-toggle="menu"
      aria-expanded="false"
      title=${t('message.more')}
      @click=${(e: Event) => togglePopup(e.currentTarget as HTMLElement, 'menu')}
    >
      ${icon('more')}<span class="vh">${t('message.more')}</span>
    </button>
    <div class="toolbar" part="message-actions" role="group" aria-label=${t('list.actions')}>
      ${
        sent
          ? html`<button
                type="button"
                class="icon-button"
                data-toggle="react"
                aria-expanded="false"
                title=${t('message.react')}
                @click=${(e: Event) => togglePopup(e.currentTarget as HTMLElement, 'react')}
              >
                ${icon('react')}<span class="vh">${t('message.react')}</span>
              </button>
              ${
                opts.inThread
                  ? nothing
                  : html`${tool(
                      'thread',
                      replies > 0 ? t('message.replies', { count: replies }) : t('message.replyInThread'),
                      () => a.openThread(entry.id),
                    )}
                    ${tool('quote', t('message.quote'), () => a.quote(entry.id))}`
              }
              ${
                text
                  ? tool(
                      'copy',
                      t('message.copy'),
                      (e) => void copyText(e.currentTarget as HTMLElement, text, t('message.copied')),
                    )
                  : nothing
              }
              ${own ? tool('edit', t('message.edit'), () => a.edit(entry.id)) : nothing}`
          : nothing
      }
      ${own ? tool('delete', t('list.delete'), () => a.deleteMessage(entry.id)) : nothing}
      <span class="vh copied" role="status"></span>
    </div>
    ${sent ? reactionPicker(entry, view, a) : nothing}`;
}
