// The heavier UI (key screens and the conversation), loaded as a lazy chunk after first paint.
// Message text is rendered only through Lit text bindings: content never becomes HTML.
import { html, nothing, type TemplateResult } from 'lit';
import type { ConversationIntents, ConversationView } from '../controllers/conversation-view.js';
import type { KeySetupState } from '../core/key-setup.js';
import { dropFiles } from './attachments.js';
import { composer, type ComposerActions, type ComposerUi } from './composer.js';
import { renderHeader, type HeaderMenu } from './header.js';
import { icon } from './icons.js';
import { confirmWarning } from './confirm-warning.js';
import { renderKeyStepper } from './key-stepper.js';
import { renderConnectionStatus } from './connection-status.js';
import type { Localizer } from '../i18n/localize.js';
import { renderMembershipNotices } from './membership.js';
import { MessageListElement, renderThreadList } from './message-list.js';
import { renderOrganizationNotice } from './organization-notice.js';

export { FAILURE_TEXT } from './message-item.js';
export type { HeaderMenu };

// The views chunk brings its child element with it.
MessageListElement.define();

/** UI-only state the element keeps between renders. */
export interface UiState extends ComposerUi {
  confirmSkip?: boolean;
  formError?: string;
  /** Senders whose verified key changed: their messages are hidden, not trusted (see ui/verification.ts). */
  distrusted?: ReadonlySet<string>;
}

export interface ViewActions extends ConversationIntents, ComposerActions {
  /** The element's localizer: every user-visible string goes through `i18n.t(key)`. */
  readonly i18n: Localizer;
  backup(password: string, confirm: string): void;
  askSkip(show: boolean): void;
  skipBackup(): void;
  restore(password: string): void;
  forgotPassword(): void;
  confirmRotate(): void;
  cancelRotate(): void;
  /** Sends the composer's text with the files staged in it (or saves an edit). */
  send(text: string, where: 'main' | 'thread'): void;
  /** Files chosen, dropped or pasted: checked against the size limit, then staged until Send. */
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
  const stepper = renderKeyStepper(state, a.i18n);
  switch (state.step) {
    case 'working':
      return html`<section class="screen" part="key-setup" aria-busy="true">
        ${stepper}
        <h2>${t('key.working.title')}</h2>
        <p role="status">${t('key.working.status')}</p>
      </section>`;
    case 'offer-backup':
      return html`<section class="screen" part="key-setup" aria-labelledby="kh">
        ${stepper}
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
        ${stepper}
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
        ${stepper}
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

export function renderConversation(
  view: ConversationView,
  ui: UiState,
  a: ViewActions,
  menu?: HeaderMenu,
): TemplateResult {
  const t = a.i18n.t.bind(a.i18n);
  const main = view.entries;
  const drop = dropFiles((files) => a.attach(files, 'main'));
  return html`${renderHeader(view, a, menu)}
    <div class="layout ${ui.threadParent ? 'with-thread' : ''}">
      <div class="drop-zone" @dragover=${drop.dragover} @dragleave=${drop.dragleave} @drop=${drop.drop}>
        ${renderConnectionStatus(view, a.i18n)} ${renderOrganizationNotice(view, a.i18n)}
        ${renderMembershipNotices(view, a)}
        <secure-chat-message-list .view=${view} .ui=${ui} .actions=${a}></secure-chat-message-list>
        <p class="muted empty-hint" ?hidden=${main.length > 0}>
          <slot name="empty">${t('conversation.empty')}</slot>
        </p>
        ${composer('main', t('composer.message'), ui, view, a)}
        <div class="drop-overlay" part="drop-overlay" aria-hidden="true">
          ${icon('attach', 32)}<span>${t('files.dropHint')}</span>
        </div>
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
