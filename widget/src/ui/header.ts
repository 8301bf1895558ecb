// The conversation header: who the conversation is with (names, avatars for groups, presence) and one overflow menu
// with the conversation's safeguards and session choices, each with its consequence explained beside it.
// The menu is a disclosure (a button with aria-expanded and the list it shows): Escape or a choice closes it and
// returns focus to the button.
import { html, nothing, type TemplateResult } from 'lit';
import type { ConversationView } from '../controllers/conversation-view.js';
import type { Localizer } from '../i18n/localize.js';
import { confirmWarning } from './confirm-warning.js';
import { icon } from './icons.js';
import { avatar } from './message-item.js';

/** What the header menu can do besides signing out: provided by the element's safeguard controllers. */
export interface HeaderMenu {
  /** Opens the safety codes panel. */
  safetyCodes(): void;
  /** Brings back the offer to protect the key with a passkey; absent when no passkey can be offered. */
  passkey?: (() => void) | undefined;
}

export interface HeaderActions {
  readonly i18n: Localizer;
  signOut(forgetKey: boolean): void;
  /** Re-renders after a menu-only change. */
  refresh(): void;
}

/** Open state of the menu and of the "forget my key" confirmation (UI only; one header per widget). */
const menuState = new WeakMap<HeaderActions, { open: boolean; confirmForget: boolean }>();

function stateOf(a: HeaderActions) {
  let state = menuState.get(a);
  if (!state) menuState.set(a, (state = { open: false, confirmForget: false }));
  return state;
}

function focusLater(root: Node, selector: string): void {
  // After the re-render this choice causes.
  requestAnimationFrame(() =>
    requestAnimationFrame(() => (root as ShadowRoot).querySelector<HTMLElement>(selector)?.focus()),
  );
}

export function renderHeader(
  view: ConversationView,
  a: HeaderActions,
  menu: HeaderMenu | undefined,
): TemplateResult {
  const t = a.i18n.t.bind(a.i18n);
  const state = stateOf(a);
  const others = view.members.filter((m) => m !== view.me);
  const names = others.map((m) => view.nameOf(m) ?? t('message.unknownMember'));
  const title = names.length ? names.join(', ') : t('conversation.title');
  const online = others.some((m) => view.online.has(m));
  const close = (e: Event, refocus = true) => {
    state.open = false;
    state.confirmForget = false;
    a.refresh();
    if (refocus) focusLater((e.currentTarget as Node).getRootNode(), '[part~="menu-button"]');
  };
  const item = (id: string, label: string, hint: string, run: (e: Event) => void) =>
    html`<li>
      <button
        type="button"
        class="menu-item"
        data-menu=${id}
        aria-describedby=${`menu-${id}-hint`}
        @click=${run}
      >
        ${label}
      </button>
      <p class="hint" id=${`menu-${id}-hint`}>${hint}</p>
    </li>`;
  return html`<div
    part="header"
    @keydown=${(e: KeyboardEvent) => {
      if (e.key === 'Escape' && state.open) close(e);
    }}
    @focusout=${(e: FocusEvent) => {
      const header = e.currentTarget as HTMLElement;
      if (state.open && e.relatedTarget && !header.contains(e.relatedTarget as Node)) close(e, false);
    }}
  >
    <div class="who-with">
      ${
        others.length
          ? html`<span class="avatars"
              >${others.slice(0, 3).map((m) => avatar(m, view.nameOf(m), true))}</span
            >`
          : nothing
      }
      <div class="title">
        <slot name="header"><h2 dir="auto">${title}</h2></slot>
        ${
          others.length
            ? html`<p class="presence ${online ? 'online' : ''}" part="presence">
                ${t(online ? 'header.online' : 'header.offline')}
              </p>`
            : nothing
        }
      </div>
    </div>
    <button
      type="button"
      class="icon-button"
      part="menu-button"
      aria-expanded=${state.open ? 'true' : 'false'}
      aria-controls="conversation-menu"
      title=${t('header.menu')}
      @click=${(e: Event) => {
        state.open = !state.open;
        state.confirmForget = false;
        a.refresh();
        if (state.open) focusLater((e.currentTarget as Node).getRootNode(), '#conversation-menu button');
      }}
    >
      ${icon('menu')}<span class="vh">${t('header.menu')}</span>
    </button>
    <!-- In the flow under the header (not floating), so a short widget never clips it. -->
    <ul
      id="conversation-menu"
      part="conversation-menu"
      class="menu"
      aria-label=${t('header.menu')}
      ?hidden=${!state.open}
    >
      ${
        menu
          ? item('safety', t('header.safetyCodes'), t('header.safetyCodesHint'), (e) => {
              const root = (e.currentTarget as Node).getRootNode();
              close(e, false);
              menu.safetyCodes();
              focusLater(root, '#safety-codes');
            })
          : nothing
      }
      ${
        menu?.passkey
          ? html`<li>
              <button
                type="button"
                part="passkey-menu"
                class="menu-item"
                data-menu="passkey"
                aria-describedby="menu-passkey-hint"
                @click=${(e: Event) => {
                  const root = (e.currentTarget as Node).getRootNode();
                  close(e, false);
                  menu.passkey?.();
                  focusLater(root, '#passkey-offer-title');
                }}
              >
                ${t('header.passkey')}
              </button>
              <p class="hint" id="menu-passkey-hint">${t('header.passkeyHint')}</p>
            </li>`
          : nothing
      }
      ${item('forget', t('header.forgetKey'), t('header.forgetKeyHint'), (e) => {
        state.confirmForget = true;
        a.refresh();
        focusLater((e.currentTarget as Node).getRootNode(), '#conversation-menu .danger');
      })}
      ${
        state.confirmForget
          ? html`<li>
              ${confirmWarning({
                message: t('header.forgetKeyHint'),
                confirmLabel: t('header.forgetConfirm'),
                cancelLabel: t('key.goBack'),
                onConfirm: () => a.signOut(true),
                onCancel: (e: Event) => {
                  state.confirmForget = false;
                  a.refresh();
                  focusLater((e.currentTarget as Node).getRootNode(), '[data-menu="forget"]');
                },
              })}
            </li>`
          : nothing
      }
      ${item('signout', t('header.signOut'), t('header.signOutHint'), () => a.signOut(false))}
    </ul>
  </div>`;
}
