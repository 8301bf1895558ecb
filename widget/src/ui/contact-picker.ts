// The "new conversation" picker: a searchable multi-select of the portal's contacts, as an ARIA 1.2 combobox whose
// listbox allows several choices (one person, or a group). Chosen people show as chips before the input.
// Keyboard: arrows move through the options (opening the list), Enter toggles the active option and closes the list
// (Enter on the closed list starts), Backspace in the empty input removes the last chip, Escape closes the list,
// then the picker.
import { html, nothing, type TemplateResult } from 'lit';
import { pickerOptions, type PickerContact } from '../controllers/conversation-list-model.js';
import type { Localizer } from '../i18n/localize.js';
import { renderAvatar } from './avatar.js';

export interface PickerHost {
  requestUpdate(): void;
  querySelector<E extends Element = Element>(selector: string): E | null;
}

export interface Contact extends PickerContact {
  readonly id: string;
}

const INPUT_ID = 'new-conversation-input';
const LISTBOX_ID = 'new-conversation-options';
const optionId = (i: number) => `new-conversation-option-${i}`;

export class ContactPicker {
  /** Portal subjects chosen, in the order they were picked. */
  chosen: string[] = [];
  query = '';
  expanded = false;
  /** The option under the keyboard cursor (aria-activedescendant), or -1. */
  active = -1;

  constructor(
    private readonly host: PickerHost,
    /** Called with the chosen subjects (Enter on a closed list, or the form's submit). */
    private readonly onStart: (peers: string[]) => void,
    /** Escape with the list already closed: the whole picker closes. */
    private readonly onCancel: () => void,
  ) {}

  reset(): void {
    this.chosen = [];
    this.query = '';
    this.expanded = false;
    this.active = -1;
  }

  focus(): void {
    this.host.querySelector<HTMLInputElement>(`#${INPUT_ID}`)?.focus();
  }

  render(contacts: readonly Contact[], i18n: Localizer): TemplateResult {
    const t = i18n.t.bind(i18n);
    const unknown = t('conversationList.unknownMember');
    const options = pickerOptions(contacts, this.query, unknown);
    const nameOf = (c: Contact) => c.name ?? unknown;
    const chosen = this.chosen.flatMap((sub) => contacts.filter((c) => c.sub === sub));
    const open = this.expanded && options.length > 0;
    const active = open ? Math.min(this.active, options.length - 1) : -1;
    const toggle = (sub: string) => {
      this.chosen = this.chosen.includes(sub) ? this.chosen.filter((s) => s !== sub) : [...this.chosen, sub];
      this.query = '';
      this.host.requestUpdate();
    };
    const onKeydown = (e: KeyboardEvent) => {
      const input = e.currentTarget as HTMLInputElement;
      const move = (by: number) => {
        e.preventDefault();
        this.expanded = true;
        this.active = options.length
          ? (Math.max(active, by > 0 ? -1 : 0) + by + options.length) % options.length
          : -1;
        this.host.requestUpdate();
      };
      if (e.key === 'ArrowDown') move(1);
      else if (e.key === 'ArrowUp') move(-1);
      else if (e.key === 'Enter') {
        e.preventDefault();
        const option = options[active];
        if (option) {
          // Picked: the options close, so a second Enter starts (typing or an arrow opens them again).
          this.expanded = false;
          this.active = -1;
          toggle(option.sub);
        } else if (this.chosen.length) this.onStart([...this.chosen]);
      } else if (e.key === 'Backspace' && input.value === '' && this.chosen.length) {
        e.preventDefault();
        this.chosen = this.chosen.slice(0, -1);
        this.host.requestUpdate();
      } else if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        if (open) this.expanded = false;
        else this.onCancel();
        this.host.requestUpdate();
      }
    };
    return html`<div class="picker" part="contact-picker">
      <label for=${INPUT_ID}>${t('conversationList.people')}</label>
      <p class="muted small" id="new-conversation-hint">${t('conversationList.peopleHint')}</p>
      <div class="picker-field" @click=${() => this.focus()}>
        ${
          chosen.length
            ? html`<ul class="chips" aria-label=${t('conversationList.chosen')}>
                ${chosen.map(
                  (c) =>
                    html`<li class="chip" part="chip">
                      ${renderAvatar([c])}<span>${nameOf(c)}</span
                      ><button
                        type="button"
                        class="chip-remove"
                        part="chip-remove"
                        aria-label=${t('conversationList.remove', { name: nameOf(c) })}
                        @click=${(e: Event) => {
                          e.stopPropagation();
                          toggle(c.sub);
                          this.focus();
                        }}
                      >
                        <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
                          <path d="M4 4l8 8M12 4l-8 8" stroke="currentColor" stroke-width="2" />
                        </svg>
                      </button>
                    </li>`,
                )}
              </ul>`
            : nothing
        }
        <input
          id=${INPUT_ID}
          part="picker-input"
          type="text"
          role="combobox"
          autocomplete="off"
          aria-autocomplete="list"
          aria-expanded=${open ? 'true' : 'false'}
          aria-controls=${LISTBOX_ID}
          aria-describedby="new-conversation-hint"
          aria-activedescendant=${active >= 0 ? optionId(active) : nothing}
          .value=${this.query}
          @input=${(e: Event) => {
            this.query = (e.currentTarget as HTMLInputElement).value;
            this.expanded = true;
            this.active = this.query.trim() ? 0 : -1;
            this.host.requestUpdate();
          }}
          @click=${() => {
            this.expanded = !this.expanded;
            this.host.requestUpdate();
          }}
          @keydown=${onKeydown}
          @blur=${() => {
            this.expanded = false;
            this.host.requestUpdate();
          }}
        />
      </div>
      <ul
        id=${LISTBOX_ID}
        role="listbox"
        part="picker-options"
        aria-label=${t('conversationList.people')}
        aria-multiselectable="true"
        ?hidden=${!open}
      >
        ${options.map(
          (c, i) =>
            html`<li
              id=${optionId(i)}
              role="option"
              part="picker-option"
              class=${i === active ? 'active' : ''}
              aria-selected=${this.chosen.includes(c.sub) ? 'true' : 'false'}
              data-sub=${c.sub}
              @mousedown=${(e: Event) => e.preventDefault() /* keeps focus (and the list) on the input */}
              @click=${() => {
                this.active = i;
                toggle(c.sub);
                this.focus();
              }}
            >
              ${renderAvatar([c])}<span class="option-name">${nameOf(c)}</span
              ><svg class="check" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
                <path d="M3 8.5l3.2 3L13 5" fill="none" stroke="currentColor" stroke-width="2" />
              </svg>
            </li>`,
        )}
      </ul>
      ${
        this.expanded && this.query.trim() && !options.length
          ? html`<p class="muted" role="status">${t('conversationList.noContacts')}</p>`
          : nothing
      }
    </div>`;
  }
}
