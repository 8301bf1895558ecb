// The new-conversation picker's styles (combobox, options, chips), part of the conversation list's sheet.
import { css, type CSSResult } from 'lit';

export const pickerStyles: CSSResult = css`
  .start {
    display: grid;
    gap: 0.5rem;
    padding: 0.75rem;
    border: 1px solid var(--_border, #d1d5db);
    border-radius: var(--_radius);
    background: var(--_surface);
  }
  .start h3 {
    margin: 0;
    font-size: 1rem;
  }
  .picker {
    display: grid;
    gap: 0.25rem;
    position: relative;
  }
  .small {
    font-size: 0.85rem;
  }
  .picker-field {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.3rem;
    padding: 0.25rem;
    border: 1px solid var(--_muted);
    border-radius: var(--_radius);
    background: var(--_bg);
    cursor: text;
  }
  .picker-field:focus-within {
    outline: 3px solid var(--_focus);
    outline-offset: 1px;
  }
  .picker-field input {
    flex: 1 1 6rem;
    min-width: 6rem;
    min-height: 2rem;
    border: none;
    outline: none;
    padding: 0.2rem 0.3rem;
  }
  .chips {
    display: contents;
    list-style: none;
  }
  .chip {
    display: inline-flex;
    align-items: center;
    gap: 0.3rem;
    padding-block: 0.15rem;
    padding-inline: 0.15rem 0.1rem;
    border-radius: 999px;
    background: var(--_surface);
    border: 1px solid var(--_border, #d1d5db);
    font-size: 0.9rem;
  }
  .chip .avatar,
  [role='option'] .avatar {
    inline-size: 1.5rem;
    block-size: 1.5rem;
  }
  .chip .face,
  [role='option'] .face {
    font-size: 0.65rem;
  }
  button.chip-remove {
    display: inline-grid;
    place-items: center;
    min-inline-size: 1.5rem;
    min-block-size: 1.5rem;
    padding: 0;
    border-radius: 50%;
    border-color: transparent;
    background: transparent;
    color: var(--_fg);
  }
  button.chip-remove:hover {
    background: var(--_border, #d1d5db);
  }
  /* The options pop over what follows, so closing them never moves the buttons under the pointer. */
  [role='listbox'] {
    position: absolute;
    inset-inline: 0;
    inset-block-start: 100%;
    z-index: 2;
    list-style: none;
    margin: 0.25rem 0 0;
    padding: 0.25rem;
    max-block-size: 15rem;
    overflow-y: auto;
    border: 1px solid var(--_border, #d1d5db);
    border-radius: var(--_radius);
    background: var(--_bg);
    box-shadow: 0 6px 16px rgb(0 0 0 / 0.15);
  }
  [role='option'] {
    display: flex;
    align-items: center;
    gap: 0.6rem;
    min-block-size: 2.75rem;
    padding: 0.3rem 0.5rem;
    border-radius: calc(var(--_radius) - 2px);
    cursor: pointer;
  }
  [role='option'] .option-name {
    flex: 1;
  }
  [role='option']:hover,
  [role='option'].active {
    background: var(--_surface);
  }
  [role='option'].active {
    outline: 2px solid var(--_focus);
    outline-offset: -2px;
  }
  [role='option'] .check {
    visibility: hidden;
    color: var(--_accent);
  }
  [role='option'][aria-selected='true'] .check {
    visibility: visible;
  }
`;
