// The conversation list's styles; they join the widget's adopted style sheets when the list chunk loads.
import { css, type CSSResult } from 'lit';

export const styles: CSSResult = css`
  secure-chat-conversation-list {
    display: block;
    min-height: 100%;
  }
  .list-layout {
    display: grid;
    grid-template-columns: minmax(14rem, 1fr) minmax(0, 2fr);
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
