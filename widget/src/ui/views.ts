// The heavier UI (key screens and the conversation), loaded as a lazy chunk after first paint.
// Message text is rendered only through Lit text bindings: content never becomes HTML.
import { html, nothing, type TemplateResult } from 'lit';
import type { FailureReason } from '../core/ports.js';
import type { ChatSession, SessionState } from '../core/session.js';
import type { TimelineEntry } from '../core/timeline.js';
import { attachButton, dropFiles, pasteFiles } from './attachments.js';
import { renderConnectionStatus } from './connection-status.js';
import type { Localizer, MessageKey } from '../i18n/localize.js';

/** Words for each per-message failure (catalogue keys). Never blank, never shown as trusted. */
export const FAILURE_TEXT: Record<FailureReason, MessageKey> = {
  'unverified-sender': 'failure.unverified-sender',
  'unknown-sender': 'failure.unknown-sender',
  'not-for-this-device': 'failure.not-for-this-device',
  'previous-key': 'failure.previous-key',
  tampered: 'failure.tampered',
  misplaced: 'failure.misplaced',
  'not-encrypted': 'failure.not-encrypted',
  unavailable: 'failure.unavailable',
};

/** UI-only state the element keeps between renders. */
export interface UiState {
  threadParent?: string;
  quoteId?: string;
  editingId?: string;
  confirmSkip?: boolean;
  formError?: string;
  /** Why attached files were not sent (size limit), shown by the composer they were attached in. */
  fileError?: { where: 'main' | 'thread'; text: string };
  /** Senders whose verified key changed: their messages are hidden, not trusted (issue 7, key verification). */
  distrusted?: ReadonlySet<string>;
}

export interface ViewActions {
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
}

const formValue = (form: HTMLFormElement, name: string) =>
  (form.elements.namedItem(name) as HTMLInputElement | HTMLTextAreaElement | null)?.value ?? '';

function onSubmit(handler: (form: HTMLFormElement) => void) {
  return (event: SubmitEvent) => {
    event.preventDefault();
    handler(event.currentTarget as HTMLFormElement);
  };
}

export function renderKeySetup(
  state: Extract<SessionState, { status: 'key-setup' }>,
  ui: UiState,
  a: ViewActions,
): TemplateResult {
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
          class="screen"
          style="padding:0"
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
            ? html`<div class="warning" role="alert">
                <p>${t('key.backup.skipWarning')}</p>
                <div class="row">
                  <button type="button" class="danger" @click=${a.skipBackup}>
                    ${t('key.backup.skipConfirm')}
                  </button>
                  <button type="button" class="secondary" @click=${() => a.askSkip(false)}>
                    ${t('key.goBack')}
                  </button>
                </div>
              </div>`
            : nothing
        }
      </section>`;
    case 'restore':
      return html`<section class="screen" part="key-setup" aria-labelledby="kh">
        <h2 id="kh">${t('key.restore.title')}</h2>
        <p>${t('key.restore.intro')}</p>
        <form
          class="screen"
          style="padding:0"
          @submit=${onSubmit((f) => a.restore(formValue(f, 'password')))}
        >
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

function renderEntry(
  entry: TimelineEntry,
  session: ChatSession,
  ui: UiState,
  a: ViewActions,
  inThread: boolean,
): TemplateResult {
  const t = a.i18n.t.bind(a.i18n);
  const me = session.user?.id;
  const own = entry.from === me;
  const senderName =
    session.nameOf(entry.from) ??
    (entry.kind === 'message' ? entry.senderName : undefined) ??
    t('message.unknownMember');
  const who = own ? t('message.you') : senderName;
  const hidden = entry.kind === 'message' && !own && ui.distrusted?.has(entry.from) === true;
  const trust = hidden
    ? 'key-changed'
    : entry.kind === 'message'
      ? 'verified'
      : entry.kind === 'undecryptable'
        ? entry.reason
        : entry.kind;
  const failed = entry.kind === 'undecryptable' || hidden;
  let body: TemplateResult;
  if (hidden) {
    body = html`<div class="error">${t('verify.hidden')}</div>`;
  } else if (entry.kind === 'message') {
    const quoted = entry.quoteId ? session.timeline.get(entry.quoteId) : undefined;
    body = html`${
        entry.quoteId
          ? html`<div class="quote">
              ${quoted?.kind === 'message' && !ui.distrusted?.has(quoted.from) ? quoted.text.slice(0, 140) : t('message.quoteMissing')}
            </div>`
          : nothing
      }
      <div class="text">${entry.text}</div>`;
  } else if (entry.kind === 'undecryptable') {
    body = html`<div class="error">${t(FAILURE_TEXT[entry.reason])}</div>`;
  } else if (entry.kind === 'deleted') {
    body = html`<div class="muted">${t('message.deleted')}</div>`;
  } else {
    body = html`<div class="muted">${t('message.decrypting')}</div>`;
  }
  const replies = inThread ? 0 : session.timeline.replyCount(entry.id);
  return html`<article
    part="message${own ? ' own-message' : ''}"
    class=${failed ? 'failed' : own ? 'own' : ''}
    data-id=${entry.id}
    data-trust=${trust}
  >
    <div class="meta">
      ${who} · <time datetime=${entry.sentAt.toISOString()}>${a.i18n.time(entry.sentAt)}</time>${
        entry.kind === 'message' && entry.edited ? ` · ${t('message.edited')}` : nothing
      }${entry.kind === 'message' && entry.pending ? ` · ${t('message.sending')}` : nothing}
    </div>
    ${body}
    ${
      entry.kind === 'message' && !entry.pending && !hidden
        ? html`<div class="row">
            ${
              inThread
                ? nothing
                : html`<button type="button" class="link" @click=${() => a.openThread(entry.id)}>
                      ${replies > 0 ? t('message.replies', { count: replies }) : t('message.replyInThread')}
                    </button>
                    <button type="button" class="link" @click=${() => a.quote(entry.id)}>
                      ${t('message.quote')}
                    </button>`
            }
            ${own ? html`<button type="button" class="link" @click=${() => a.edit(entry.id)}>${t('message.edit')}</button>` : nothing}
          </div>`
        : nothing
    }
    ${ui.editingId === entry.id ? html`<span class="muted">${t('message.editingBelow')}</span>` : nothing}
  </article>`;
}

function composer(
  where: 'main' | 'thread',
  label: string,
  ui: UiState,
  session: ChatSession,
  a: ViewActions,
): TemplateResult {
  const t = a.i18n.t.bind(a.i18n);
  const editing = ui.editingId ? session.timeline.get(ui.editingId) : undefined;
  const editHere = editing && (where === 'thread') === Boolean(editing.parentId);
  const quoting = where === 'main' && ui.quoteId ? session.timeline.get(ui.quoteId) : undefined;
  const id = `compose-${where}`;
  return html`<form
    part="composer"
    @submit=${onSubmit((f) => {
      const text = formValue(f, 'text').trim();
      if (!text) return;
      a.send(text, where);
      f.reset();
    })}
  >
    ${
      editHere
        ? html`<p class="row muted">
            ${t('composer.editing')}
            <button type="button" class="link" @click=${a.cancelCompose}>${t('composer.cancelEdit')}</button>
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
    ${ui.fileError?.where === where ? html`<p class="error" role="alert">${ui.fileError.text}</p>` : nothing}
    <div class="row">
      ${editHere ? nothing : attachButton(where, a.i18n, (files) => a.attach(files, where))}
      <button type="submit" part="send-button">${t(editHere ? 'composer.saveEdit' : 'composer.send')}</button>
    </div>
  </form>`;
}

export function renderConversation(session: ChatSession, ui: UiState, a: ViewActions): TemplateResult {
  const t = a.i18n.t.bind(a.i18n);
  const others = session.members.filter((m) => m !== session.user?.id);
  const title = others.length
    ? others.map((m) => session.nameOf(m) ?? t('message.unknownMember')).join(', ')
    : t('conversation.title');
  const main = session.timeline.main();
  const thread = ui.threadParent ? session.timeline.thread(ui.threadParent) : [];
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
        ${renderConnectionStatus(session, a.i18n)}
        <div part="messages" role="log" aria-live="polite" aria-label=${t('conversation.messages')}>
          ${main.map((e) => renderEntry(e, session, ui, a, false))}
        </div>
        <p class="muted" style="padding:0 1rem" ?hidden=${main.length > 0}>
          <slot name="empty">${t('conversation.empty')}</slot>
        </p>
        ${composer('main', t('composer.message'), ui, session, a)}
      </div>
      ${
        ui.threadParent
          ? html`<section class="thread-panel" aria-labelledby="th">
              <div class="row" style="justify-content:space-between;padding-inline-end:1rem">
                <h3 id="th">${t('thread.title')}</h3>
                <button type="button" class="link" @click=${a.closeThread}>${t('thread.close')}</button>
              </div>
              <div part="thread" role="log" aria-live="polite" aria-label=${t('thread.replies')}>
                ${thread.map((e) => renderEntry(e, session, ui, a, true))}
              </div>
              ${composer('thread', t('composer.reply'), ui, session, a)}
            </section>`
          : nothing
      }
    </div>`;
}
