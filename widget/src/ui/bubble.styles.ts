// Styles of the messages: bubbles, avatars, the toolbar, the reaction picker and the touch menu. A lazy chunk with
// the views: the message list element adopts them into the widget's shadow root. Colours come only from the theme
// tokens (`--_accent`, `--_surface`, … set from the `--secure-chat-*` properties).
import { css } from 'lit';

export const bubbleStyles = css`
  .vh {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  .icon {
    display: block;
    flex: none;
  }
  .icon-button {
    display: inline-grid;
    place-items: center;
    min-width: 2rem;
    min-height: 2rem;
    padding: 0.25rem;
    border: none;
    background: transparent;
    color: var(--_fg);
    border-radius: calc(var(--_radius) - 2px);
  }
  .icon-button:hover {
    background: var(--_surface);
  }

  /* Messages: bubbles in a grid row (avatar | bubbles | more), mirrored for the user's own. */
  [part~='messages'],
  [part~='thread'] {
    gap: 0;
    padding-block: 1rem 0.5rem;
  }
  [part~='message'] {
    position: relative;
    display: grid;
    grid-template-columns: 2rem minmax(0, 1fr) auto;
    column-gap: 0.5rem;
    align-items: end;
    margin-block-start: 0.125rem;
    border-radius: var(--_radius);
  }
  [part~='message'].group-start {
    margin-block-start: 0.75rem;
  }
  [part~='message'].own {
    grid-template-columns: auto minmax(0, 1fr);
  }
  [part~='message']:focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 2px;
  }
  .msg > .avatar {
    grid-column: 1;
    grid-row: 1;
    align-self: start;
  }
  .msg > .stack {
    grid-column: 2;
    grid-row: 1;
    display: flex;
    flex-direction: column;
    align-items: flex-start;
    min-width: 0;
  }
  .msg.own > .stack {
    align-items: flex-end;
  }
  .msg > .more {
    grid-column: 3;
    grid-row: 1;
    display: none;
  }
  .msg.own > .more {
    grid-column: 1;
  }
  .avatar {
    display: inline-grid;
    place-items: center;
    inline-size: 2rem;
    block-size: 2rem;
    border-radius: 50%;
    font-size: 0.75rem;
    font-weight: 700;
    color: #fff;
    background: #1d4ed8;
    user-select: none;
  }
  .avatar.big {
    inline-size: 2.25rem;
    block-size: 2.25rem;
  }
  .avatar.tone-1 {
    background: #047857;
  }
  .avatar.tone-2 {
    background: #a1460a;
  }
  .avatar.tone-3 {
    background: #6d28d9;
  }
  .avatar.tone-4 {
    background: #be123c;
  }
  .avatar.tone-5 {
    background: #0f766e;
  }
  .who-line {
    font-size: 0.8rem;
    font-weight: 600;
    color: var(--_muted);
    margin: 0 0.75rem 0.125rem;
  }
  .bubble {
    order: 1;
    max-inline-size: min(85%, 36rem);
    padding: 0.4rem 0.75rem;
    border-radius: 1.1rem;
    background: var(--_surface);
    color: var(--_fg);
    overflow-wrap: anywhere;
  }
  .msg:not(.own) .bubble {
    border-end-start-radius: 0.35rem;
  }
  .msg.own .bubble {
    background: var(--_accent);
    color: var(--_accent-fg);
    border-end-end-radius: 0.35rem;
  }
  .msg.own .bubble a {
    color: inherit;
  }
  .msg.own .quote {
    color: inherit;
    border-color: currentColor;
  }
  .msg.quiet .bubble {
    background: transparent;
    color: var(--_muted);
    border: 1px dashed var(--_muted);
  }
  .msg.failed .bubble {
    background: var(--_bg);
    color: var(--_danger);
    border: 2px solid var(--_danger);
  }
  .msg.flagged .bubble {
    outline: 2px dashed var(--_danger);
    outline-offset: 1px;
  }
  .msg[data-delivery='failed'] .bubble {
    opacity: 0.85;
  }
  .replies {
    order: 2;
    font-size: 0.85rem;
  }
  .reactions {
    order: 3;
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem;
    margin-block-start: -0.3rem;
    padding-inline: 0.5rem;
  }
  [part~='reaction-chip'] {
    min-block-size: 1.5rem;
    padding: 0 0.5rem;
    font-size: 0.85rem;
    border-radius: 999px;
    background: var(--_bg);
    color: var(--_fg);
    border: 1px solid var(--_muted);
  }
  [part~='reaction-chip'][aria-pressed='true'] {
    border: 2px solid var(--_accent);
    font-weight: 600;
  }
  .meta {
    order: 4;
    display: flex;
    flex-wrap: wrap;
    gap: 0 0.4rem;
    margin: 0.125rem 0.5rem 0;
    font-size: 0.75rem;
    color: var(--_muted);
  }
  .meta.quiet {
    margin: 0;
  }
  .meta > :not(.vh) + :not(.vh)::before {
    content: '· ';
  }
  .delivery {
    order: 5;
    font-size: 0.75rem;
    color: var(--_muted);
  }
  p.delivery {
    margin-inline: 0.5rem;
  }
  .delivery.failed,
  .delivery.warning,
  .sender-flag {
    color: var(--_danger);
  }
  .sender-flag {
    font-weight: 600;
  }
  .editing {
    order: 6;
    font-size: 0.8rem;
  }

  /* Actions on demand: a toolbar over the message on hover or keyboard focus. */
  .toolbar {
    position: absolute;
    z-index: 1;
    inset-block-start: -1.1rem;
    inset-inline-end: 0.5rem;
    display: flex;
    gap: 0.125rem;
    padding: 0.125rem;
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    box-shadow: 0 1px 4px rgb(0 0 0 / 0.2);
    opacity: 0;
    pointer-events: none;
  }
  .msg.own > .toolbar {
    inset-inline-end: auto;
    inset-inline-start: 0.5rem;
  }
  .msg:hover > .toolbar,
  .msg:focus-within > .toolbar {
    opacity: 1;
    pointer-events: auto;
  }
  .picker {
    display: none;
    grid-column: 1 / -1;
    grid-row: 2;
    justify-self: start;
    gap: 0.125rem;
    margin: 0.25rem 2.5rem 0;
    padding: 0.125rem;
    border: 1px solid var(--_border);
    border-radius: 999px;
    background: var(--_bg);
    box-shadow: 0 1px 4px rgb(0 0 0 / 0.2);
  }
  .msg.own > .picker {
    justify-self: end;
  }
  .msg[data-open='react'] > .picker {
    display: flex;
  }
  .picker button {
    min-inline-size: 2.25rem;
    min-block-size: 2.25rem;
    padding: 0;
    border: 2px solid transparent;
    border-radius: 50%;
    background: transparent;
    font-size: 1.1rem;
  }
  .picker button[aria-pressed='true'] {
    border-color: var(--_accent);
  }
  /* Touch: no hover, so a visible "More actions" button opens the actions as a menu with their labels. */
  @media (pointer: coarse) {
    .msg > .more {
      display: inline-grid;
      align-self: center;
      min-width: 2.75rem;
      min-height: 2.75rem;
    }
    .msg > .toolbar,
    .msg:hover > .toolbar,
    .msg:focus-within > .toolbar {
      display: none;
    }
    .msg[data-open='menu'] > .toolbar {
      position: static;
      display: flex;
      flex-wrap: wrap;
      grid-column: 1 / -1;
      grid-row: 2;
      justify-self: stretch;
      margin-block-start: 0.25rem;
      opacity: 1;
      pointer-events: auto;
    }
    .msg[data-open='menu'] > .toolbar .icon-button {
      display: inline-flex;
      gap: 0.4rem;
      padding-inline: 0.6rem;
      min-height: 2.75rem;
    }
    .msg[data-open='menu'] > .toolbar .vh {
      position: static;
      width: auto;
      height: auto;
      clip-path: none;
    }
  }
  @media (prefers-reduced-motion: no-preference) {
    .toolbar {
      transition: opacity 0.12s;
    }
    [part~='messages'] > .msg:last-child {
      animation: bubble-in 0.2s ease-out;
    }
  }
  /* Movement only, no fading: colours (and their contrast) are final from the first frame. */
  @keyframes bubble-in {
    from {
      transform: translateY(0.5rem);
    }
  }
`;
