// The heavier UI (key screens and the conversation), loaded as a lazy chunk after first paint.
// Message text is rendered only through Lit text bindings: content never becomes HTML.
import { html, nothing, type TemplateResult } from 'lit';
import type { ConversationIntents, ConversationView } from '../controllers/conversation-view.js';
import type { KeySetupState } from '../core/key-setup.js';
import { attachButton, dropFiles, pasteFiles } from './attachments.js';
import { confirmWarning } from './confirm-warning.js';
import { renderConnectionStatus } from './connection-status.js';
import type { Localizer } from '../i18n/localize.js';
import { blockedReason, renderMembershipNotices } from './membership.js';
import { MessageListElement, renderThreadList } from './message-list.js';
import {
  organizationHintId,
  renderOrganizationHint,
  renderOrganizationNotice,
} from './organization-notice.js';

export { FAILURE_TEXT } from './message-item.js';

// The views chunk brings its child element with it.
MessageListElement.define();

/** UI-only state the element keeps between renders. */
export interface UiState {
  threadParent?: string;
  quoteId?: string;
  editingId?: string;
  confirmSkip?: boolean;
  formError?: string;
  /** Why attached files were not sent (size limit), shown by the composer they were attached in. */
  fileError?: { where: 'main' | 'thread'; text: string };
  /** Senders whose verified key changed: their messages are hidden, not trusted (see ui/verification.ts). */
  distrusted?: ReadonlySet<string>;
}

export interface ViewActions extends ConversationIntents {
  /** The element's localizer: every user-visible string goes through `i18n.t(key)`. */
  readonly i18n: Localizer;
  backup(password: string, confirm: string): void;
  askSkip(show: boolean): void;
  skipBackup(): void;
  restore(password: string): void;
  forgotPassword(): void;
  confirmRotate(): void;
  cancelRotate(): void;
  send(text: string, where: 'main' | 'thread'): void;
  /** Files chosen, dropped or pasted: checked against the size limit, then encrypted and sent. */
  attach(files: File[], where: 'main' | 'thread'): void;
  openThread(id: string): void;
  closeThread(): void;
  quote(id: string): void;
  edit(id: string): void;
  cancelCompose(): void;
  signOut(forgetKey: boolean): void;
  /** Re-renders after a list-only change (scrolling the window). */
  refresh(): void;
}

const formValue = (form: HTMLFormElement, name: string) =>
  (form.elements.namedItem(name) as HTMLInputElement | HTMLTextAreaElement | null)?.value ?? '';

function onSubmit(handler: (form: HTMLFormElement) => void) {
  return (event: SubmitEvent) => {
    event.preventDefault();
    handler(event.currentTarget as HTMLFormElement);
  };
}

export function renderKeySetup(state: KeySetupState, ui: UiState, a: ViewActions): TemplateResult {
  const t = a.i18n.t.bind(a.i18n);
  switch (state.step) {
    case 'working':
      return html`<section class="screen" part="key-setup" aria-busy="true">
        <h2>${t('key.working.title')}</h2>
        <p role="status">${t('key.working.status')}</p>
      </section>`;
    case 'offer-backup':
      return html`<section class="screen" part="key-setup" aria-labelledby="kh">
        <h2 id="kh">${t(state.afterRotate ? 'key.backup.titleNew' : 'key.backup.title')}</h2>
        <p>${t('key.backup.intro')}</p>
        <form
          class="screen flush"
          @submit=${onSubmit((f) => a.backup(formValue(f, 'password'), formValue(f, 'confirm')))}
        >
          <label
            >${t('key.backup.password')}
            <input name="password" type="password" autocomplete="new-password" minlength="8" required />
          </label>
          <label
            >${t('key.backup.confirm')}
            <input name="confirm" type="password" autocomplete="new-password" minlength="8" required />
          </label>
          ${
            ui.formError || state.error
              ? html`<p class="error" role="alert">${ui.formError ?? t('key.backup.failed')}</p>`
              : nothing
          }
          <div class="row">
            <button type="submit">${t('key.backup.save')}</button>
            <button type="button" class="secondary" @click=${() => a.askSkip(true)}>
              ${t('key.backup.skip')}
            </button>
          </div>
        </form>
        ${
          ui.confirmSkip
            ? confirmWarning({
                message: t('key.backup.skipWarning'),
                confirmLabel: t('key.backup.skipConfirm'),
                cancelLabel: t('key.goBack'),
                onConfirm: a.skipBackup,
                onCancel: () => a.askSkip(false),
              })
            : nothing
        }
      </section>`;
    case 'restore':
      return html`<section class="screen" part="key-setup" aria-labelledby="kh">
        <h2 id="kh">${t('key.restore.title')}</h2>
        <p>${t('key.restore.intro')}</p>
        <form class="screen flush" @submit=${onSubmit((f) => a.restore(formValue(f, 'password')))}>
          <label
            >${t('key.restore.password')}
            <input name="password" type="password" autocomplete="current-password" required />
          </label>
          ${
            state.error === 'wrong-password'
              ? html`<p class="error" role="alert">${t('key.restore.wrongPassword')}</p>`
              : state.error === 'no-backup'
                ? html`<p class="error" role="alert">${t('key.restore.noBackup')}</p>`
                : state.error
                  ? html`<p class="error" role="alert">${t('key.restore.failed')}</p>`
                  : nothing
          }
          <div class="row">
            <button type="submit">${t('key.restore.submit')}</button>
            <button type="button" class="link" @click=${a.forgotPassword}>${t('key.restore.forgot')}</button>
          </div>
        </form>
      </section>`;
    case 'confirm-rotate':
      return html`<section class="screen" part="key-setup" aria-labelledby="kh">
        <h2 id="kh">${t('key.rotate.title')}</h2>
        <div class="warning" role="alert">
          <p>${t('key.rotate.warning')}</p>
        </div>
        <div class="row">
          <button type="button" class="danger" @click=${a.confirmRotate}>${t('key.rotate.confirm')}</button>
          <button type="button" class="secondary" @click=${a.cancelRotate}>${t('key.goBack')}</button>
        </div>
      </section>`;
  }
}

function composer(
  where: 'main' | 'thread',
  label: string,
  ui: UiState,
  view: ConversationView,
  a: ViewActions,
): TemplateResult {
  const t = a.i18n.t.bind(a.i18n);
  const editing = ui.editingId ? view.entry(ui.editingId) : undefined;
  const editHere = editing && (where === 'thread') === Boolean(editing.parentId);
  const quoting = where === 'main' && ui.quoteId ? view.entry(ui.quoteId) : undefined;
  const id = `compose-${where}`;
  // Members Stream added whom the user has not confirmed: nothing is typed or sent until they are (see membership.ts).
  const blocked = blockedReason(view, a.i18n);
  const describedBy = [blocked ? `${id}-blocked` : undefined, organizationHintId(view, id)].filter(Boolean);
  return html`<form
    part="composer"
    @submit=${onSubmit((f) => {
      const text = formValue(f, 'text').trim();
      if (!text || blocked) return;
      a.send(text, where);
      f.reset();
    })}
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
      <label for=${id}>${label}</label>
      <textarea
        id=${id}
        part="input"
        name="text"
        aria-describedby=${describedBy.length ? describedBy.join(' ') : nothing}
        @input=${() => a.typed(where === 'thread' ? ui.threadParent : undefined)}
        rows="2"
        .value=${editHere && editing?.kind === 'message' ? editing.text : ''}
        @paste=${pasteFiles((files) => a.attach(files, where))}
        @keydown=${(e: KeyboardEvent) => {
          if (e.key === 'Enter' && !e.shiftKey) {
            e.preventDefault();
            (e.currentTarget as HTMLTextAreaElement).form?.requestSubmit();
          }
        }}
      ></textarea>
      ${renderOrganizationHint(view, a.i18n, id)}
      ${ui.fileError?.where === where ? html`<p class="error" role="alert">${ui.fileError.text}</p>` : nothing}
      <div class="row">
        ${editHere ? nothing : attachButton(where, a.i18n, (files) => a.attach(files, where))}
        <button type="submit" part="send-button">
          ${t(editHere ? 'composer.saveEdit' : 'composer.send')}
        </button>
      </div>
    </fieldset>
  </form>`;
}

export function renderConversation(view: ConversationView, ui: UiState, a: ViewActions): TemplateResult {
  const t = a.i18n.t.bind(a.i18n);
  const others = view.members.filter((m) => m !== view.me);
  const title = others.length
    ? others.map((m) => view.nameOf(m) ?? t('message.unknownMember')).join(', ')
    : t('conversation.title');
  const main = view.entries;
  const drop = dropFiles((files) => a.attach(files, 'main'));
  return html`<div part="header">
      <slot name="header"><h2>${title}</h2></slot>
      <form
        class="row"
        @submit=${onSubmit((f) => a.signOut((f.elements.namedItem('forget') as HTMLInputElement).checked))}
      >
        <label class="row"><input type="checkbox" name="forget" /> ${t('conversation.forgetKey')}</label>
        <button type="submit" class="secondary">${t('conversation.signOut')}</button>
      </form>
    </div>
    <div class="layout ${ui.threadParent ? 'with-thread' : ''}">
      <div class="drop-zone" @dragover=${drop.dragover} @dragleave=${drop.dragleave} @drop=${drop.drop}>
        ${renderConnectionStatus(view, a.i18n)} ${renderOrganizationNotice(view, a.i18n)}
        ${renderMembershipNotices(view, a)}
        <secure-chat-message-list .view=${view} .ui=${ui} .actions=${a}></secure-chat-message-list>
        <p class="muted empty-hint" ?hidden=${main.length > 0}>
          <slot name="empty">${t('conversation.empty')}</slot>
        </p>
        ${composer('main', t('composer.message'), ui, view, a)}
      </div>
      ${
        ui.threadParent
          ? html`<section class="thread-panel" aria-labelledby="th">
              <div class="row thread-head">
                <h3 id="th">${t('thread.title')}</h3>
                <button type="button" class="link" @click=${a.closeThread}>${t('thread.close')}</button>
              </div>
              ${renderThreadList(view, ui.threadParent, ui, a)}
              ${composer('thread', t('composer.reply'), ui, view, a)}
            </section>`
          : nothing
      }
    </div>`;
}
