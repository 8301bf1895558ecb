// The conversation list's templates and styles (lazy chunk): rows with decrypted previews, unread counts and presence,
// starting a conversation, split or stacked layout, the notifications toggle. Preview text is rendered only through
// Lit text bindings: content never becomes HTML. State and behaviour live in ConversationListController.
import { css, html, LitElement, nothing, type CSSResult, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import type { ConversationListIntents, ConversationListView } from '../controllers/conversation-list-view.js';
import type { ConversationRow } from '../core/conversations.js';
import type { Localizer } from '../i18n/localize.js';

export { Notifier } from './notifications.js';

const conversationListStyles: CSSResult = css`
  secure-chat-conversation-list {
    display: contents;
  }
  .conversation-list-layout {
    display: grid;
    grid-template-columns: minmax(14rem, 1fr) minmax(0, 2fr);
    min-height: 100%;
  }
  .conversation-list-layout.stacked {
    grid-template-columns: minmax(0, 1fr);
  }
  .conversation-list-layout [hidden] {
    display: none !important;
  }
  .conversation-list-layout > .pane {
    min-width: 0;
  }
  .conversation-list-layout.split > [part~='conversation-list'] {
    border-inline-end: 1px solid var(--_border, #d1d5db);
  }
  [part~='conversation-list'] {
    display: grid;
    align-content: start;
    gap: 0.5rem;
    padding: 0.75rem;
  }
  .list-head {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: 0.5rem;
  }
  .badge {
    display: inline-block;
    min-width: 1.5rem;
    padding: 0 0.4rem;
    border-radius: 999px;
    background: var(--_accent);
    color: var(--_accent-fg);
    font-size: 0.8rem;
    font-weight: 600;
    text-align: center;
  }
  .rows {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 0.25rem;
  }
  button.conversation {
    width: 100%;
    display: grid;
    grid-template-columns: 1fr auto;
    gap: 0.15rem 0.5rem;
    text-align: start;
    background: transparent;
    color: var(--_fg);
    border: 1px solid transparent;
    border-radius: var(--_radius);
    padding: 0.5rem 0.6rem;
  }
  button.conversation:hover,
  button.conversation[aria-current='true'] {
    background: var(--_surface);
    border-color: var(--_border, #d1d5db);
  }
  .conversation .names {
    font-weight: 600;
    overflow-wrap: anywhere;
  }
  .conversation .when,
  .conversation .presence,
  .conversation .preview {
    font-size: 0.85rem;
    color: var(--_muted);
  }
  .conversation .preview {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .conversation .dot {
    display: inline-block;
    width: 0.55rem;
    height: 0.55rem;
    border-radius: 50%;
    border: 2px solid var(--_muted);
    margin-inline-end: 0.25rem;
  }
  .conversation .online .dot {
    background: #15803d;
    border-color: #15803d;
  }
  .start {
    display: flex;
    flex-wrap: wrap;
    align-items: end;
    gap: 0.5rem;
    border-top: 1px solid var(--_border, #d1d5db);
    padding-top: 0.5rem;
  }
  .start select {
    font: inherit;
    color: var(--_fg);
    background: var(--_bg);
    padding: 0.4rem;
    border: 1px solid var(--_muted);
    border-radius: var(--_radius);
  }
  .back {
    margin: 0.5rem 0.75rem 0;
  }
`;

/**
 * `<secure-chat-conversation-list>`: the list beside (split) or instead of (stacked) the open conversation's screen.
 * Like the message list it renders into the widget's shadow root (light DOM), so the widget's parts and theme reach
 * it, and its static styles join that root's adopted style sheets when it connects.
 */
export class ConversationListElement extends LitElement {
  static override styles = conversationListStyles;
  /** Registers the element once (the list chunk does, when it loads). */
  static define(tag = 'secure-chat-conversation-list'): void {
    if (!customElements.get(tag)) customElements.define(tag, this);
  }

  @property({ attribute: false }) view: ConversationListView | undefined;
  @property({ attribute: false }) intents: ConversationListIntents | undefined;
  @property({ attribute: false }) i18n: Localizer | undefined;
  /** The open conversation's screen, rendered in the pane. */
  @property({ attribute: false }) conversation: TemplateResult | undefined;

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    const root = this.getRootNode();
    const sheet = conversationListStyles.styleSheet;
    if (root instanceof ShadowRoot && sheet && !root.adoptedStyleSheets.includes(sheet))
      root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  }

  protected override render(): TemplateResult | typeof nothing {
    const { view, intents, i18n } = this;
    if (!view || !intents || !i18n) return nothing;
    return renderConversationList(view, intents, i18n, this.conversation ?? html``);
  }
}

ConversationListElement.define();

function renderConversationList(
  view: ConversationListView,
  a: ConversationListIntents,
  i18n: Localizer,
  conversation: TemplateResult,
): TemplateResult {
  const t = i18n.t.bind(i18n);
  const { stacked, activeCid: cid, total, notice } = view;
  return html`<div
    class="conversation-list-layout ${stacked ? 'stacked' : 'split'}"
    data-layout=${stacked ? 'stacked' : 'split'}
  >
    <section part="conversation-list" aria-labelledby="list-title" ?hidden=${stacked && Boolean(cid)}>
      <div class="list-head">
        <h2 id="list-title">
          ${t('conversationList.title')}
          ${
            total > 0
              ? html`<span class="badge" part="unread-total"
                  >${t('conversationList.unreadTotal', { count: total })}</span
                >`
              : nothing
          }
        </h2>
        ${renderNotifyToggle(view, a, t)}
      </div>
      ${
        notice
          ? html`<p class=${notice.kind === 'error' ? 'error' : 'muted'} role="alert">${t(notice.key)}</p>`
          : nothing
      }
      ${
        view.rows.length
          ? html`<ul class="rows" aria-label=${t('conversationList.title')}>
              ${view.rows.map((row) => html`<li>${renderRow(row, cid, a, i18n)}</li>`)}
            </ul>`
          : html`<p class="muted">${t('conversationList.empty')}</p>`
      }
      ${
        view.startable.length
          ? html`<form class="start" @submit=${onStart(a)}>
              <label
                >${t('conversationList.startTitle')}
                <select name="peer">
                  ${view.startable.map(
                    (c) =>
                      html`<option value=${c.sub ?? ''}>
                        ${c.name ?? t('conversationList.unknownMember')}
                      </option>`,
                  )}
                </select>
              </label>
              <button type="submit" class="secondary">${t('conversationList.startSubmit')}</button>
            </form>`
          : nothing
      }
      ${
        // The conversation header has its own sign-out; without an open conversation the list offers it.
        cid
          ? nothing
          : html`<form class="row" @submit=${onSignOut(a)}>
              <label class="row"
                ><input type="checkbox" name="forget" /> ${t('conversation.forgetKey')}</label
              >
              <button type="submit" class="secondary">${t('conversation.signOut')}</button>
            </form>`
      }
    </section>
    <section class="pane" part="conversation-pane" ?hidden=${stacked && !cid}>
      ${
        stacked && cid
          ? html`<button type="button" class="link back" part="back-button" @click=${() => a.back()}>
              <span aria-hidden="true">${i18n.dir === 'rtl' ? '→' : '←'}</span>
              ${t('conversationList.back')}
            </button>`
          : nothing
      }
      ${cid ? conversation : html`<p class="screen muted">${t('conversationList.choose')}</p>`}
    </section>
  </div>`;
}

function renderRow(
  row: ConversationRow,
  activeCid: string,
  a: ConversationListIntents,
  i18n: Localizer,
): TemplateResult {
  const t = i18n.t.bind(i18n);
  const names = row.names.map((n) => n ?? t('conversationList.unknownMember')).join(', ');
  const today = new Date().toDateString() === row.lastAt.toDateString();
  const when = today
    ? i18n.time(row.lastAt)
    : new Intl.DateTimeFormat(i18n.locale, { month: 'short', day: 'numeric' }).format(row.lastAt);
  const p = row.preview;
  const previewText =
    p.kind === 'text'
      ? row.lastIsOwn
        ? t('conversationList.ownPreview', { text: p.text })
        : p.text
      : p.kind === 'decrypting'
        ? t('conversationList.decrypting')
        : p.kind === 'failed'
          ? t('conversationList.unverified')
          : p.kind === 'deleted'
            ? t('conversationList.deleted')
            : t('conversationList.noMessages');
  return html`<button
    type="button"
    class="conversation"
    part="conversation${row.unread ? ' unread' : ''}"
    data-cid=${row.cid}
    data-unread=${row.unread}
    data-online=${row.online}
    data-preview=${p.kind}
    data-reason=${p.kind === 'failed' ? p.reason : nothing}
    aria-current=${row.cid === activeCid ? 'true' : 'false'}
    @click=${() => a.open(row.cid)}
  >
    <span class="names">${names}</span>
    <time class="when" datetime=${row.lastAt.toISOString()}>${when}</time>
    <span class="preview">${previewText}</span>
    ${row.unread ? html`<span class="badge">${t('conversationList.rowUnread', { count: row.unread })}</span>` : html`<span></span>`}
    <span class="presence ${row.online ? 'online' : ''}"
      ><span class="dot" aria-hidden="true"></span
      >${row.online ? t('conversationList.online') : t('conversationList.offline')}</span
    >
  </button>`;
}

function renderNotifyToggle(
  view: ConversationListView,
  a: ConversationListIntents,
  t: Localizer['t'],
): TemplateResult {
  const n = view.notifications;
  if (!n.supported) return html``;
  return html`<button
    type="button"
    class="secondary"
    part="notifications-toggle"
    aria-pressed=${n.enabled ? 'true' : 'false'}
    @click=${() => a.toggleNotifications()}
  >
    ${n.enabled ? t('notify.disable') : t('notify.enable')}
  </button>`;
}

function onSignOut(a: ConversationListIntents) {
  return (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const forget = form.elements.namedItem('forget') as HTMLInputElement;
    a.signOut(forget.checked);
  };
}

function onStart(a: ConversationListIntents) {
  return (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const peer = (form.elements.namedItem('peer') as HTMLSelectElement | null)?.value;
    if (peer) a.start(peer);
  };
}
