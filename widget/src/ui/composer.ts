// The composer: an auto-growing text box between icon buttons for attaching and sending, files staged as removable
// chips until the message is sent, and the Enter key sending (Shift+Enter a new line) or, with
// `enter-key="newline"`, adding a new line (Ctrl/Cmd+Enter sends).
import { html, nothing, type TemplateResult } from 'lit';
import type { ConversationView } from '../controllers/conversation-view.js';
import type { Localizer } from '../i18n/localize.js';
import { attachButton, fileIcon, formatSize, pasteFiles } from './attachments.js';
import { icon } from './icons.js';
import { blockedReason } from './membership.js';
import { organizationHintId, renderOrganizationHint } from './organization-notice.js';

export type Where = 'main' | 'thread';

export interface ComposerUi {
  threadParent?: string;
  quoteId?: string;
  editingId?: string;
  fileError?: { where: Where; text: string };
  /** Files chosen, dropped or pasted, waiting for Send. */
  staged?: Partial<Record<Where, readonly File[]>>;
}

export interface ComposerActions {
  readonly i18n: Localizer;
  /** What Enter does in the message box (the element's `enter-key` attribute). */
  enterKey(): 'send' | 'newline';
  send(text: string, where: Where): void;
  attach(files: File[], where: Where): void;
  unstage(index: number, where: Where): void;
  typed(parentId?: string): void;
  cancelCompose(): void;
}

/** Grows the text box with its content, up to a third of the viewport (then it scrolls). */
export function autoGrow(box: HTMLTextAreaElement): void {
  box.style.height = 'auto';
  box.style.height = `${Math.min(box.scrollHeight + 2, Math.max(120, innerHeight / 3))}px`;
}

function stagedChips(files: readonly File[], where: Where, a: ComposerActions) {
  const t = a.i18n.t.bind(a.i18n);
  if (!files.length) return nothing;
  return html`<ul class="staged" part="staged-files" aria-label=${t('files.staged')}>
    ${files.map(
      (file, index) =>
        html`<li class="chip" part="staged-file">
          ${fileIcon(file.type)}<bdi class="name">${file.name}</bdi>
          <span class="muted size">${formatSize(file.size, a.i18n.locale)}</span>
          <button
            type="button"
            class="icon-button"
            aria-label=${t('files.remove', { name: file.name })}
            title=${t('files.remove', { name: file.name })}
            @click=${(e: Event) => {
              const form = (e.currentTarget as HTMLElement).closest('form');
              a.unstage(index, where);
              form?.querySelector('textarea')?.focus();
            }}
          >
            ${icon('close', 16)}
          </button>
        </li>`,
    )}
  </ul>`;
}

export function composer(
  where: Where,
  label: string,
  ui: ComposerUi,
  view: ConversationView,
  a: ComposerActions,
): TemplateResult {
  const t = a.i18n.t.bind(a.i18n);
  const editing = ui.editingId ? view.entry(ui.editingId) : undefined;
  const editHere = editing && (where === 'thread') === Boolean(editing.parentId);
  const quoting = where === 'main' && ui.quoteId ? view.entry(ui.quoteId) : undefined;
  const id = `compose-${where}`;
  const staged = ui.staged?.[where] ?? [];
  const enterSends = a.enterKey() === 'send';
  // Members Stream added whom the user has not confirmed: nothing is typed or sent until they are (see membership.ts).
  const blocked = blockedReason(view, a.i18n);
  // The block reason first, then the Enter-key hint, then who else can read (the organization recipient).
  const described = [blocked ? `${id}-blocked` : '', `${id}-hint`, organizationHintId(view, id)]
    .filter(Boolean)
    .join(' ');
  return html`<form
    part="composer"
    @submit=${(event: SubmitEvent) => {
      event.preventDefault();
      const form = event.currentTarget as HTMLFormElement;
      const box = form.elements.namedItem('text') as HTMLTextAreaElement;
      const text = box.value.trim();
      if ((!text && !staged.length) || blocked) return;
      a.send(text, where);
      form.reset();
      autoGrow(box);
    }}
  >
    ${blocked ? html`<p class="error" part="composer-blocked" id=${`${id}-blocked`}>${blocked}</p>` : nothing}
    <fieldset class="plain" ?disabled=${Boolean(blocked)}>
      ${
        editHere
          ? html`<p class="row muted">
              ${t('composer.editing')}
              <button type="button" class="link" @click=${a.cancelCompose}>
                ${t('composer.cancelEdit')}
              </button>
            </p>`
          : quoting
            ? html`<p class="row muted">
                ${t('composer.quoting')}
                <button type="button" class="link" @click=${a.cancelCompose}>
                  ${t('composer.cancelQuote')}
                </button>
              </p>`
            : nothing
      }
      ${editHere ? nothing : stagedChips(staged, where, a)}
      ${ui.fileError?.where === where ? html`<p class="error" role="alert">${ui.fileError.text}</p>` : nothing}
      <div class="compose-row">
        ${editHere ? nothing : attachButton(where, a.i18n, (files) => a.attach(files, where))}
        <label for=${id} class="vh">${label}</label>
        <textarea
          id=${id}
          part="input"
          name="text"
          rows="1"
          dir="auto"
          placeholder=${label}
          aria-describedby=${described}
          .value=${editHere && editing?.kind === 'message' ? editing.text : ''}
          @input=${(e: Event) => {
            autoGrow(e.currentTarget as HTMLTextAreaElement);
            a.typed(where === 'thread' ? ui.threadParent : undefined);
          }}
          @paste=${pasteFiles((files) => a.attach(files, where))}
          @keydown=${(e: KeyboardEvent) => {
            if (e.key !== 'Enter' || e.isComposing) return;
            const send = enterSends ? !e.shiftKey : e.ctrlKey || e.metaKey;
            if (!send) return;
            e.preventDefault();
            (e.currentTarget as HTMLTextAreaElement).form?.requestSubmit();
          }}
        ></textarea>
        <button
          type="submit"
          class="icon-button send"
          part="send-button"
          title=${t(editHere ? 'composer.saveEdit' : 'composer.send')}
        >
          ${icon('send')}<span class="vh">${t(editHere ? 'composer.saveEdit' : 'composer.send')}</span>
        </button>
      </div>
      <p class="vh" id=${`${id}-hint`}>${t(enterSends ? 'composer.hint' : 'composer.hintNewline')}</p>
      ${renderOrganizationHint(view, a.i18n, id)}
    </fieldset>
  </form>`;
}
