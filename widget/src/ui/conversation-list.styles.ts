// The conversation list's styles; they join the widget's adopted style sheets when the list chunk loads.
import { css, unsafeCSS, type CSSResult } from 'lit';
import { AVATAR_COLOURS } from '../controllers/conversation-list-model.js';
import { pickerStyles } from './contact-picker.styles.js';

/** One class per avatar colour (`tone-N`): classes, because a strict CSP blocks style attributes. */
const tones = unsafeCSS(
  AVATAR_COLOURS.map((colour, i) => `.face.tone-${i} { background: ${colour}; }`).join('\n'),
);

export const styles: CSSResult = css`
  secure-chat-conversation-list {
    display: block;
    min-height: 100%;
  }
  .list-layout {
    display: grid;
    grid-template-columns: minmax(15rem, 1fr) minmax(0, 2fr);
    min-height: 100%;
  }
  .list-layout.stacked {
    grid-template-columns: minmax(0, 1fr);
  }
  .list-layout [hidden] {
    display: none !important;
  }
  .list-layout > .pane {
    min-width: 0;
  }
  .list-layout.split > [part~='conversation-list'] {
    border-inline-end: 1px solid var(--_border, #d1d5db);
  }
  [part~='conversation-list'] {
    display: grid;
    align-content: start;
    gap: 0.6rem;
    padding: 0.75rem;
    min-width: 0;
  }
  .list-head {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: 0.5rem;
  }
  .list-head h2 {
    display: flex;
    align-items: center;
    gap: 0.4rem;
  }
  button.new {
    display: inline-flex;
    align-items: center;
    gap: 0.35rem;
    min-height: 2.25rem;
  }
  .list-foot {
    display: grid;
    gap: 0.5rem;
    justify-items: start;
    border-top: 1px solid var(--_border, #d1d5db);
    padding-top: 0.6rem;
  }
  .badge {
    display: inline-block;
    min-width: 1.5rem;
    padding: 0.05rem 0.45rem;
    border-radius: 999px;
    background: var(--_accent);
    color: var(--_accent-fg);
    font-size: 0.8rem;
    font-weight: 600;
    line-height: 1.3;
    text-align: center;
  }
  input.search {
    inline-size: 100%;
    min-height: 2.5rem;
    border-radius: 999px;
    padding-inline: 0.9rem;
  }
  .rows,
  .skeleton-rows {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 0.15rem;
  }
  /* avatar | name, time | preview, badge */
  button.conversation,
  .skeleton-row {
    width: 100%;
    display: grid;
    grid-template-columns: auto minmax(0, 1fr) auto;
    grid-template-areas: 'avatar names when' 'avatar preview badge';
    align-items: center;
    gap: 0.1rem 0.7rem;
    text-align: start;
    background: transparent;
    color: var(--_fg);
    border: 1px solid transparent;
    border-radius: var(--_radius);
    padding: 0.55rem 0.6rem;
    min-height: 3.5rem;
  }
  button.conversation:hover {
    background: var(--_surface);
  }
  button.conversation[aria-current='true'] {
    background: var(--_surface);
    border-color: var(--_border, #d1d5db);
    box-shadow: inset 3px 0 0 var(--_accent);
  }
  :dir(rtl) button.conversation[aria-current='true'] {
    box-shadow: inset -3px 0 0 var(--_accent);
  }
  .conversation .avatar {
    grid-area: avatar;
  }
  .conversation .names {
    grid-area: names;
    font-weight: 600;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .conversation .when {
    grid-area: when;
    font-size: 0.8rem;
    color: var(--_muted);
    white-space: nowrap;
  }
  .conversation .preview {
    grid-area: preview;
    font-size: 0.875rem;
    color: var(--_muted);
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .conversation .badge {
    grid-area: badge;
    justify-self: end;
  }
  [part~='unread'] .preview {
    color: var(--_fg);
  }
  [part~='unread'] .when {
    color: var(--_accent);
    font-weight: 600;
  }
  /* Avatars: initials on a colour from the id; a group shows two overlapping faces. */
  .avatar {
    position: relative;
    display: inline-grid;
    inline-size: 2.5rem;
    block-size: 2.5rem;
    flex: none;
  }
  .face {
    display: grid;
    place-items: center;
    inline-size: 100%;
    block-size: 100%;
    border-radius: 50%;
    color: #ffffff;
    font-size: 0.95rem;
    font-weight: 600;
    line-height: 1;
    letter-spacing: 0.02em;
    user-select: none;
  }
  .avatar.group .face {
    position: absolute;
    inline-size: 1.7rem;
    block-size: 1.7rem;
    font-size: 0.7rem;
    inset-block-start: 0;
    inset-inline-start: 0;
  }
  .avatar.group .face.second {
    inset-block-start: auto;
    inset-inline-start: auto;
    inset-block-end: 0;
    inset-inline-end: 0;
    box-shadow: 0 0 0 2px var(--_bg);
  }
  ${tones}
  .presence-dot {
    position: absolute;
    inset-block-end: -1px;
    inset-inline-end: -1px;
    inline-size: 0.8rem;
    block-size: 0.8rem;
    border-radius: 50%;
    background: var(--_bg);
    border: 2px solid var(--_muted);
    box-shadow: 0 0 0 2px var(--_bg);
  }
  .presence-dot.online {
    background: #16a34a;
    border-color: #16a34a;
  }
  /* Loading, empty and error states */
  .skeleton-row .avatar-shape {
    grid-area: avatar;
    inline-size: 2.5rem;
    block-size: 2.5rem;
    border-radius: 50%;
  }
  .skeleton-row .line {
    grid-area: names;
    block-size: 0.8rem;
    inline-size: 70%;
  }
  .skeleton-row .line.short {
    grid-area: preview;
    inline-size: 45%;
  }
  .empty-state {
    display: grid;
    justify-items: center;
    gap: 0.4rem;
    padding: 1.5rem 0.75rem;
    text-align: center;
    color: var(--_muted);
  }
  .empty-state h3 {
    margin: 0;
    font-size: 1rem;
    color: var(--_fg);
  }
  .state-icon {
    inline-size: 3rem;
    block-size: 3rem;
    color: var(--_muted);
  }
  .state-icon.small {
    inline-size: 1.5rem;
    block-size: 1.5rem;
    color: var(--_danger);
  }
  .list-error {
    display: grid;
    grid-template-columns: auto 1fr;
    align-items: center;
    gap: 0.5rem 0.6rem;
    padding: 0.75rem;
    border: 1px solid var(--_danger);
    border-radius: var(--_radius);
  }
  .list-error button {
    grid-column: 2;
    justify-self: start;
  }
  .no-matches {
    padding: 0.75rem 0.25rem;
  }
  ${pickerStyles}
  .back {
    margin: 0.5rem 0.75rem 0;
  }
  @media (prefers-reduced-motion: no-preference) {
    button.conversation {
      transition: background-color 0.12s;
    }
    .start {
      animation: list-reveal 0.16s ease-out;
    }
  }
  @keyframes list-reveal {
    from {
      opacity: 0;
      transform: translateY(-4px);
    }
  }
`;
