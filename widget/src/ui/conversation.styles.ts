// Styles of the conversation screen around the messages (header and its menu, composer, file cards, lightbox). A
// lazy chunk with the views: the message list element adopts them into the widget's shadow root. Colours come only
// from the theme tokens (`--_accent`, `--_surface`, … set from the `--secure-chat-*` properties).
import { css } from 'lit';

export const conversationStyles = css`
  /* Header: who the conversation is with, presence, and one menu. */
  [part~='header'] {
    flex-wrap: wrap;
    padding-block: 0.5rem;
  }
  .who-with {
    display: flex;
    flex: 1;
    align-items: center;
    gap: 0.6rem;
    min-width: 0;
  }
  .avatars {
    display: flex;
    flex: none;
  }
  .avatars > .avatar + .avatar {
    margin-inline-start: -0.75rem;
    box-shadow: 0 0 0 2px var(--_bg);
  }
  .title {
    min-width: 0;
  }
  .title h2 {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .presence {
    font-size: 0.8rem;
    color: var(--_muted);
  }
  .presence.online::before {
    content: '';
    display: inline-block;
    inline-size: 0.5rem;
    block-size: 0.5rem;
    margin-inline-end: 0.3rem;
    border-radius: 50%;
    background: #15803d;
  }
  [part~='menu-button'] {
    flex: none;
    min-width: 2.5rem;
    min-height: 2.5rem;
  }
  /* In the flow under the header row, at its end: a short widget never clips it. */
  .menu {
    flex-basis: 100%;
    max-inline-size: 22rem;
    margin-block: 0;
    margin-inline: auto 0;
    padding: 0.25rem;
    list-style: none;
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    box-shadow: 0 2px 8px rgb(0 0 0 / 0.15);
  }
  .menu[hidden] {
    display: none;
  }
  .menu > li {
    padding: 0.25rem;
  }
  .menu > li + li {
    border-block-start: 1px solid var(--_border);
  }
  .menu-item {
    display: block;
    inline-size: 100%;
    min-block-size: 2.25rem;
    text-align: start;
    background: transparent;
    color: var(--_fg);
    border: none;
    font-weight: 600;
  }
  .menu-item:hover {
    background: var(--_surface);
  }
  .menu-item[data-menu='forget'] {
    color: var(--_danger);
  }
  .menu .hint {
    padding: 0 0.9rem 0.25rem;
    font-size: 0.8rem;
    color: var(--_muted);
  }
  @media (prefers-reduced-motion: no-preference) {
    .menu:not([hidden]) {
      animation: pop-in 0.12s ease-out;
    }
  }
  @keyframes pop-in {
    from {
      transform: translateY(-0.25rem);
    }
  }

  /* Composer: attach | growing text box | send. */
  [part~='composer'] {
    padding-block: 0.5rem;
  }
  .compose-row {
    display: flex;
    align-items: flex-end;
    gap: 0.25rem;
  }
  [part~='composer'] textarea {
    flex: 1;
    min-width: 0;
    min-height: 2.5rem;
    max-height: 40vh;
    resize: none;
    border-radius: 1.25rem;
    padding: 0.45rem 0.9rem;
    line-height: 1.4;
    field-sizing: content;
  }
  [part~='composer'] textarea::placeholder {
    color: var(--_muted);
    opacity: 1;
  }
  .compose-row > .icon-button {
    min-width: 2.5rem;
    min-height: 2.5rem;
    border-radius: 50%;
  }
  .compose-row > .send {
    background: var(--_accent);
    color: var(--_accent-fg);
  }
  .compose-row > .send:hover {
    background: var(--_accent);
  }
  .staged {
    display: flex;
    flex-wrap: wrap;
    gap: 0.35rem;
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .chip {
    display: inline-flex;
    align-items: center;
    gap: 0.35rem;
    max-inline-size: 100%;
    padding-block: 0.125rem;
    padding-inline: 0.6rem 0.125rem;
    border: 1px solid var(--_muted);
    border-radius: 999px;
    font-size: 0.85rem;
  }
  .chip .name {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    min-width: 0;
  }
  .chip .icon-button {
    min-width: 1.75rem;
    min-height: 1.75rem;
    border-radius: 50%;
  }
  .drop-zone {
    position: relative;
  }
  .drop-overlay {
    display: none;
  }
  .drop-zone.dropping > .drop-overlay {
    position: absolute;
    inset: 0.25rem;
    z-index: 2;
    display: grid;
    place-content: center;
    justify-items: center;
    gap: 0.5rem;
    border: 2px dashed var(--_accent);
    border-radius: var(--_radius);
    background: var(--_bg);
    color: var(--_fg);
    font-weight: 600;
    pointer-events: none;
  }

  /* Files: cards with an icon by kind, name, size, and a progress ring; images as thumbnails. */
  .files {
    margin-block: 0.25rem;
  }
  .file-card {
    display: flex;
    align-items: center;
    gap: 0.5rem;
    min-inline-size: min(14rem, 100%);
    padding: 0.35rem 0.35rem 0.35rem 0.6rem;
    border-radius: calc(var(--_radius) + 2px);
    background: var(--_bg);
    color: var(--_fg);
    border: 1px solid var(--_border);
  }
  .file-info {
    display: grid;
    flex: 1;
    min-width: 0;
    font-size: 0.9rem;
  }
  .file-name {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .file-size {
    font-size: 0.75rem;
    color: var(--_muted);
  }
  .upload-status {
    font-size: 0.75rem;
  }
  .ring {
    flex: none;
  }
  .ring-track {
    stroke: var(--_border);
  }
  .ring-value {
    stroke: var(--_accent);
  }
  .thumb-button {
    display: block;
    padding: 0;
    border: none;
    background: none;
    border-radius: var(--_radius);
    margin-block-end: 0.25rem;
  }
  .lightbox {
    padding: 0;
    border: none;
    background: transparent;
    max-inline-size: 95vw;
    max-block-size: 95vh;
  }
  .lightbox::backdrop {
    background: rgb(0 0 0 / 0.8);
  }
  .lightbox img {
    display: block;
    max-inline-size: 95vw;
    max-block-size: 90vh;
    object-fit: contain;
  }
  .lightbox form {
    position: absolute;
    inset-block-start: 0.5rem;
    inset-inline-end: 0.5rem;
  }
  .lightbox .close {
    background: #111827;
    color: #fff;
    border-radius: 50%;
    min-width: 2.75rem;
    min-height: 2.75rem;
  }

  .root {
    container-type: inline-size;
  }
  @container (max-width: 420px) {
    [part~='messages'],
    [part~='thread'] {
      padding-inline: 0.5rem;
    }
    .bubble {
      max-inline-size: 90%;
    }
  }
`;
