// The heavier UI (key screens and the conversation), loaded as a lazy chunk after first paint.
// Message text is rendered only through Lit text bindings: content never becomes HTML.
import { html, nothing, type TemplateResult } from 'lit';
import type { FailureReason } from '../core/ports.js';
import type { ChatSession, SessionState } from '../core/session.js';
import type { TimelineEntry } from '../core/timeline.js';

/** Words for each per-message failure. Never blank, never shown as trusted. */
export const FAILURE_TEXT: Record<FailureReason, string> = {
  'unverified-sender':
    "Couldn't verify the sender. This message may not be from who it claims, so it is not shown.",
  'unknown-sender': "Couldn't verify the sender: they have no encryption key.",
  'not-for-this-device': 'Not encrypted for this device, so it cannot be read here.',
  'previous-key': 'Encrypted for a previous key. It cannot be read since your key was replaced.',
  tampered: 'This message was tampered with and cannot be shown.',
  misplaced:
    "Couldn't verify this message: it does not belong here (it may have been moved, replayed or re-labelled).",
  'not-encrypted': 'This message is not end-to-end encrypted, so it is not shown.',
  unavailable: 'This message could not be downloaded. Try again later.',
};

/** UI-only state the element keeps between renders. */
export interface UiState {
  threadParent?: string;
  quoteId?: string;
  editingId?: string;
  confirmSkip?: boolean;
  formError?: string;
}

export interface ViewActions {
  backup(password: string, confirm: string): void;
  askSkip(show: boolean): void;
  skipBackup(): void;
  restore(password: string): void;
  forgotPassword(): void;
  confirmRotate(): void;
  cancelRotate(): void;
  send(text: string, where: 'main' | 'thread'): void;
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
  switch (state.step) {
    case 'working':
      return html`<section class="screen" part="key-setup" aria-busy="true">
        <h2>Securing your key</h2>
        <p role="status">Working… this takes a few seconds.</p>
      </section>`;
    case 'offer-backup':
      return html`<section class="screen" part="key-setup" aria-labelledby="kh">
        <h2 id="kh">${state.afterRotate ? 'Your new key is ready' : 'Your secure chat key is ready'}</h2>
        <p>
          Messages are encrypted with a key that lives only on this device. Choose a backup password so you
          can read your messages on another device or after clearing this browser. We cannot recover this
          password for you.
        </p>
        <form
          class="screen"
          style="padding:0"
          @submit=${onSubmit((f) => a.backup(formValue(f, 'password'), formValue(f, 'confirm')))}
        >
          <label
            >Backup password (at least 8 characters)
            <input name="password" type="password" autocomplete="new-password" minlength="8" required />
          </label>
          <label
            >Type the password again
            <input name="confirm" type="password" autocomplete="new-password" minlength="8" required />
          </label>
          ${
            ui.formError || state.error
              ? html`<p class="error" role="alert">
                  ${ui.formError ?? 'The backup could not be saved. Try again.'}
                </p>`
              : nothing
          }
          <div class="row">
            <button type="submit">Save backup</button>
            <button type="button" class="secondary" @click=${() => a.askSkip(true)}>Skip for now</button>
          </div>
        </form>
        ${
          ui.confirmSkip
            ? html`<div class="warning" role="alert">
                <p>
                  Without a backup, if you lose this device or clear its browser data, you will not be able to
                  read your past messages anywhere.
                </p>
                <div class="row">
                  <button type="button" class="danger" @click=${a.skipBackup}>
                    Continue without a backup
                  </button>
                  <button type="button" class="secondary" @click=${() => a.askSkip(false)}>Go back</button>
                </div>
              </div>`
            : nothing
        }
      </section>`;
    case 'restore':
      return html`<section class="screen" part="key-setup" aria-labelledby="kh">
        <h2 id="kh">Restore your secure chat key</h2>
        <p>
          You already use secure chat on another device. Enter your backup password to read your messages
          here.
        </p>
        <form
          class="screen"
          style="padding:0"
          @submit=${onSubmit((f) => a.restore(formValue(f, 'password')))}
        >
          <label
            >Backup password
            <input name="password" type="password" autocomplete="current-password" required />
          </label>
          ${
            state.error === 'wrong-password'
              ? html`<p class="error" role="alert">
                  That password did not work. Check it and try again; nothing was lost.
                </p>`
              : state.error === 'no-backup'
                ? html`<p class="error" role="alert">
                    There is no password backup of your key. Use "I forgot my password" to create a new key.
                  </p>`
                : state.error
                  ? html`<p class="error" role="alert">Your key could not be restored. Try again.</p>`
                  : nothing
          }
          <div class="row">
            <button type="submit">Restore</button>
            <button type="button" class="link" @click=${a.forgotPassword}>I forgot my password</button>
          </div>
        </form>
      </section>`;
    case 'confirm-rotate':
      return html`<section class="screen" part="key-setup" aria-labelledby="kh">
        <h2 id="kh">Create a new key?</h2>
        <div class="warning" role="alert">
          <p>
            A new key will replace your old one. Messages sent to you before now will become unreadable on
            every device, and this cannot be undone. Other people will see that your key changed.
          </p>
        </div>
        <div class="row">
          <button type="button" class="danger" @click=${a.confirmRotate}>Create a new key</button>
          <button type="button" class="secondary" @click=${a.cancelRotate}>Go back</button>
        </div>
      </section>`;
  }
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });

function renderEntry(
  entry: TimelineEntry,
  session: ChatSession,
  ui: UiState,
  a: ViewActions,
  inThread: boolean,
): TemplateResult {
  const me = session.user?.id;
  const own = entry.from === me;
  const senderName =
    session.nameOf(entry.from) ??
    (entry.kind === 'message' ? entry.senderName : undefined) ??
    'Unknown member';
  const who = own ? 'You' : senderName;
  const trust =
    entry.kind === 'message' ? 'verified' : entry.kind === 'undecryptable' ? entry.reason : entry.kind;
  const failed = entry.kind === 'undecryptable';
  let body: TemplateResult;
  if (entry.kind === 'message') {
    const quoted = entry.quoteId ? session.timeline.get(entry.quoteId) : undefined;
    body = html`${
        entry.quoteId
          ? html`<div class="quote">
              ${quoted?.kind === 'message' ? quoted.text.slice(0, 140) : 'Quoted message not available'}
            </div>`
          : nothing
      }
      <div class="text">${entry.text}</div>`;
  } else if (entry.kind === 'undecryptable') {
    body = html`<div class="error">${FAILURE_TEXT[entry.reason]}</div>`;
  } else if (entry.kind === 'deleted') {
    body = html`<div class="muted">This message was deleted.</div>`;
  } else {
    body = html`<div class="muted">Decrypting…</div>`;
  }
  const replies = inThread ? 0 : session.timeline.replyCount(entry.id);
  return html`<article
    part="message${own ? ' own-message' : ''}"
    class=${failed ? 'failed' : own ? 'own' : ''}
    data-id=${entry.id}
    data-trust=${trust}
  >
    <div class="meta">
      ${who} · <time datetime=${entry.sentAt.toISOString()}>${timeFormat.format(entry.sentAt)}</time>${
        entry.kind === 'message' && entry.edited ? ' · edited' : nothing
      }${entry.kind === 'message' && entry.pending ? ' · sending…' : nothing}
    </div>
    ${body}
    ${
      entry.kind === 'message' && !entry.pending
        ? html`<div class="row">
            ${
              inThread
                ? nothing
                : html`<button type="button" class="link" @click=${() => a.openThread(entry.id)}>
                      ${replies > 0 ? `Replies (${replies})` : 'Reply in thread'}
                    </button>
                    <button type="button" class="link" @click=${() => a.quote(entry.id)}>Quote</button>`
            }
            ${own ? html`<button type="button" class="link" @click=${() => a.edit(entry.id)}>Edit</button>` : nothing}
          </div>`
        : nothing
    }
    ${ui.editingId === entry.id ? html`<span class="muted">Editing below</span>` : nothing}
  </article>`;
}

function composer(
  where: 'main' | 'thread',
  label: string,
  ui: UiState,
  session: ChatSession,
  a: ViewActions,
): TemplateResult {
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
            Editing your message
            <button type="button" class="link" @click=${a.cancelCompose}>Cancel edit</button>
          </p>`
        : quoting
          ? html`<p class="row muted">
              Quoting a message
              <button type="button" class="link" @click=${a.cancelCompose}>Cancel quote</button>
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
      @keydown=${(e: KeyboardEvent) => {
        if (e.key === 'Enter' && !e.shiftKey) {
          e.preventDefault();
          (e.currentTarget as HTMLTextAreaElement).form?.requestSubmit();
        }
      }}
    ></textarea>
    <div class="row">
      <button type="submit" part="send-button">${editHere ? 'Save edit' : 'Send'}</button>
    </div>
  </form>`;
}

export function renderConversation(session: ChatSession, ui: UiState, a: ViewActions): TemplateResult {
  const others = session.members.filter((m) => m !== session.user?.id);
  const title = others.length
    ? others.map((m) => session.nameOf(m) ?? 'Unknown member').join(', ')
    : 'Secure conversation';
  const main = session.timeline.main();
  const thread = ui.threadParent ? session.timeline.thread(ui.threadParent) : [];
  return html`<div part="header">
      <slot name="header"><h2>${title}</h2></slot>
      <form
        class="row"
        @submit=${onSubmit((f) => a.signOut((f.elements.namedItem('forget') as HTMLInputElement).checked))}
      >
        <label class="row"><input type="checkbox" name="forget" /> Don't keep my key on this device</label>
        <button type="submit" class="secondary">Sign out</button>
      </form>
    </div>
    <div class="layout ${ui.threadParent ? 'with-thread' : ''}">
      <div>
        <div part="messages" role="log" aria-live="polite" aria-label="Messages">
          ${main.map((e) => renderEntry(e, session, ui, a, false))}
        </div>
        <p class="muted" style="padding:0 1rem" ?hidden=${main.length > 0}>
          <slot name="empty">No messages yet. Messages here are end-to-end encrypted.</slot>
        </p>
        ${composer('main', 'Message', ui, session, a)}
      </div>
      ${
        ui.threadParent
          ? html`<section class="thread-panel" aria-labelledby="th">
              <div class="row" style="justify-content:space-between;padding-right:1rem">
                <h3 id="th">Thread</h3>
                <button type="button" class="link" @click=${a.closeThread}>Close thread</button>
              </div>
              <div part="thread" role="log" aria-live="polite" aria-label="Thread replies">
                ${thread.map((e) => renderEntry(e, session, ui, a, true))}
              </div>
              ${composer('thread', 'Reply', ui, session, a)}
            </section>`
          : nothing
      }
    </div>`;
}
