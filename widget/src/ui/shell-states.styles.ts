// Shell styles for states shared by several screens (entry chunk): screen-reader-only text, loading placeholders,
// the key setup stepper and the error screen's icon. Part of the widget's main sheet (secure-chat.styles.ts).
import { css, type CSSResult } from 'lit';

export const shellStateStyles: CSSResult = css`
  /* Text for screen readers only. */
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  /* Placeholders while something loads; they shimmer only for users who allow motion. */
  .skeleton {
    display: block;
    border-radius: var(--_radius);
    background: var(--_surface);
  }
  .skeleton.line {
    block-size: 0.8rem;
  }
  .skeleton-lines {
    display: grid;
    gap: 0.6rem;
    max-inline-size: 24rem;
  }
  .skeleton-lines .line:nth-child(2) {
    inline-size: 80%;
  }
  .skeleton-lines .line:nth-child(3) {
    inline-size: 55%;
  }
  @media (prefers-reduced-motion: no-preference) {
    .skeleton {
      background: linear-gradient(90deg, var(--_surface) 30%, var(--_border) 50%, var(--_surface) 70%) 0 0 /
        300% 100%;
      animation: skeleton-shimmer 1.6s linear infinite;
    }
  }
  @keyframes skeleton-shimmer {
    from {
      background-position: 100% 0;
    }
    to {
      background-position: 0 0;
    }
  }
  /* The key setup stepper: done steps ticked, the current one filled, a bar showing progress. */
  .stepper ol {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem 1rem;
    margin: 0.25rem 0 0;
    padding: 0;
    list-style: none;
    font-size: 0.875rem;
    color: var(--_muted);
  }
  .stepper li {
    display: flex;
    align-items: center;
    gap: 0.4rem;
  }
  .step-mark {
    display: inline-grid;
    place-items: center;
    inline-size: 1.5rem;
    block-size: 1.5rem;
    border-radius: 50%;
    border: 2px solid currentColor;
    font-size: 0.75rem;
    font-weight: 600;
  }
  .stepper li.current {
    color: var(--_fg);
    font-weight: 600;
  }
  .stepper li.current .step-mark,
  .stepper li.done .step-mark {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_accent-fg);
  }
  .step-count {
    font-size: 0.8rem;
  }
  .screen-icon {
    inline-size: 2rem;
    block-size: 2rem;
  }
`;
