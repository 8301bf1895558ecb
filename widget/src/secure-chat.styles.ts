import { css } from 'lit';
import { shellStateStyles } from './ui/shell-states.styles.js';

/** Dark theme defaults; every token can still be overridden with its `--secure-chat-*` property. */
const darkTokens = css`
  --_accent: var(--secure-chat-accent, #93c5fd);
  --_accent-fg: var(--secure-chat-accent-text, #111827);
  --_bg: var(--secure-chat-background, #111827);
  --_fg: var(--secure-chat-text, #f3f4f6);
  --_muted: var(--secure-chat-muted-text, #9ca3af);
  --_surface: var(--secure-chat-surface, #1f2937);
  --_danger: var(--secure-chat-danger, #fca5a5);
  --_border: var(--secure-chat-border, #4b5563);
  --_focus: var(--secure-chat-focus-ring, #93c5fd);
  color-scheme: dark;
`;

/** Shell styles (in the entry chunk). Colours meet WCAG AA in both themes. */
export const styles = css`
  :host {
    --_accent: var(--secure-chat-accent, #1d4ed8);
    --_accent-fg: var(--secure-chat-accent-text, #ffffff);
    --_bg: var(--secure-chat-background, #ffffff);
    --_fg: var(--secure-chat-text, #111827);
    --_muted: var(--secure-chat-muted-text, #4b5563);
    --_surface: var(--secure-chat-surface, #f3f4f6);
    --_danger: var(--secure-chat-danger, #b91c1c);
    --_border: var(--secure-chat-border, #d1d5db);
    --_focus: var(--secure-chat-focus-ring, #1d4ed8);
    --_radius: var(--secure-chat-radius, 8px);
    color-scheme: light;
    display: block;
    /* Inherited properties are the only host-page styles that reach inside: reset them, winning over the page. */
    color: var(--_fg) !important;
    font: var(--secure-chat-font, 1rem/1.4 system-ui, sans-serif) !important;
    letter-spacing: normal !important;
    word-spacing: normal !important;
    text-align: start !important;
    text-indent: 0 !important;
    text-transform: none !important;
    text-shadow: none !important;
    white-space: normal !important;
    font-variant: normal !important;
    visibility: visible !important;
    cursor: auto !important;
    direction: ltr !important;
  }
  :host([theme='dark']) {
    ${darkTokens}
  }
  @media (prefers-color-scheme: dark) {
    :host(:not([theme='light'])) {
      ${darkTokens}
    }
  }
  :host([hidden]) {
    display: none !important;
  }
  /* The visible box lives inside, so a page rule like "* { all: unset }" on the host cannot remove it. */
  .root {
    display: block;
    box-sizing: border-box;
    min-block-size: 12rem;
    block-size: 100%;
    color: var(--_fg);
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    overflow: hidden;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }

  .screen {
    padding: 1rem;
    display: grid;
    gap: 0.75rem;
    align-content: start;
  }
  h2 {
    font-size: 1.125rem;
    margin: 0;
  }
  p {
    margin: 0;
  }
  .muted {
    color: var(--_muted);
  }
  [part~='error'],
  .error {
    color: var(--_danger);
  }
  button {
    font: inherit;
    padding: 0.45rem 0.9rem;
    border-radius: var(--_radius);
    border: 1px solid var(--_accent);
    background: var(--_accent);
    color: var(--_accent-fg);
    cursor: pointer;
  }
  button.secondary {
    background: transparent;
    color: var(--_accent);
  }
  button.link {
    border: none;
    background: none;
    color: var(--_accent);
    padding: 0.15rem 0.3rem;
    text-decoration: underline;
  }
  button.danger {
    background: var(--_danger);
    border-color: var(--_danger);
  }
  :focus-visible {
    outline: 3px solid var(--_focus);
    outline-offset: 2px;
  }
  button[disabled] {
    opacity: 0.6;
    cursor: default;
  }
  label {
    display: grid;
    gap: 0.25rem;
  }
  input,
  textarea {
    font: inherit;
    color: var(--_fg);
    background: var(--_bg);
    padding: 0.45rem;
    border: 1px solid var(--_muted);
    border-radius: var(--_radius);
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
  }
  .warning {
    border-inline-start: 4px solid var(--_danger);
    padding: 0.5rem 0.75rem;
    background: var(--_surface);
  }
  [part~='header'] {
    display: flex;
    flex-wrap: wrap;
    justify-content: space-between;
    align-items: center;
    gap: 0.5rem;
    padding: 0.6rem 1rem;
    border-block-end: 1px solid var(--_border);
  }
  .layout {
    display: grid;
    grid-template-columns: 1fr;
  }
  .layout.with-thread {
    grid-template-columns: minmax(0, 3fr) minmax(0, 2fr);
  }
  [part~='messages'],
  [part~='thread'] {
    list-style: none;
    margin: 0;
    padding: 0.5rem 1rem;
    display: grid;
    gap: 0.5rem;
    max-height: var(--secure-chat-max-height, 28rem);
    overflow-y: auto;
  }
  .thread-panel {
    border-inline-start: 1px solid var(--_border);
    display: grid;
    align-content: start;
  }
  .thread-panel h3 {
    margin: 0;
    padding: 0.6rem 1rem 0;
    font-size: 1rem;
  }
  .text {
    white-space: pre-wrap;
  }
  .quote {
    border-inline-start: 3px solid var(--_muted);
    padding-inline-start: 0.5rem;
    color: var(--_muted);
    font-size: 0.9rem;
  }
  [part~='composer'] {
    display: grid;
    gap: 0.5rem;
    padding: 0.6rem 1rem;
    border-block-start: 1px solid var(--_border);
  }
  [part~='composer'] textarea {
    resize: vertical;
    min-height: 2.5rem;
  }
  /* The composer's controls, disabled together while members wait for confirmation. */
  fieldset.plain {
    display: grid;
    gap: 0.5rem;
    margin: 0;
    padding: 0;
    border: 0;
    min-width: 0;
  }
  fieldset.plain:disabled :is(textarea, button) {
    opacity: 0.6;
    cursor: not-allowed;
  }
  .files {
    display: grid;
    gap: 0.25rem;
    margin: 0.25rem 0 0;
    padding: 0;
    list-style: none;
  }
  .thumbnail {
    display: block;
    max-width: min(100%, 16rem);
    max-height: 12rem;
    border-radius: var(--secure-chat-radius, 8px);
  }
  .drop-zone.dropping {
    outline: 2px dashed var(--_accent);
    outline-offset: -4px;
  }
  .connection:not(.offline) {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
  }
  .connection {
    margin: 0;
    padding: 0.4rem 1rem;
    border-block-end: 1px solid var(--_border);
  }
  /* Safeguards: safety codes, key-change warning, idle warning. */
  .safeguards {
    padding: 0.25rem 1rem;
  }
  .safety {
    padding-inline: 0;
  }
  .safety .contact {
    border-block-start: 1px solid var(--_border);
    padding-block: 0.5rem;
  }
  .safety h4,
  .safety .trust {
    margin: 0;
  }
  .safety .code {
    font-family: ui-monospace, monospace;
    font-size: 1.05rem;
    word-spacing: 0.3em;
    overflow-wrap: anywhere;
  }
  .safety .qr {
    display: block;
  }
  @media (prefers-reduced-motion: no-preference) {
    button {
      transition: background-color 0.15s;
    }
  }
  /* Users who ask for less motion get none, whatever later rules add. */
  @media (prefers-reduced-motion: reduce) {
    *,
    *::before,
    *::after {
      animation: none !important;
      transition: none !important;
      scroll-behavior: auto !important;
    }
  }
  /* Layout helpers instead of style attributes, which a strict CSP (no 'unsafe-inline') blocks. */
  .flush {
    padding: 0;
  }
  .empty-hint {
    padding-block: 0;
    padding-inline: 1rem;
  }
  .thread-head {
    justify-content: space-between;
    padding-inline-end: 1rem;
  }
  ${shellStateStyles}
`;
