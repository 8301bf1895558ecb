// The conversation list's states besides its rows: placeholder rows while it loads (shimmering only when the user
// allows motion), and the small inline icons of the empty and error states. Icons are decorative.
import { html, svg, type TemplateResult } from 'lit';

export const emptyIcon = html`<svg class="state-icon" viewBox="0 0 48 48" aria-hidden="true">
  ${svg`<path d="M8 10h32a4 4 0 0 1 4 4v16a4 4 0 0 1-4 4H20l-8 7v-7H8a4 4 0 0 1-4-4V14a4 4 0 0 1 4-4z"
    fill="none" stroke="currentColor" stroke-width="2.5" stroke-linejoin="round" />
  <path d="M14 20h20M14 26h12" stroke="currentColor" stroke-width="2.5" stroke-linecap="round" />`}
</svg>`;

export const errorIcon = html`<svg class="state-icon small" viewBox="0 0 24 24" aria-hidden="true">
  ${svg`<circle cx="12" cy="12" r="10" fill="none" stroke="currentColor" stroke-width="2" />
  <path d="M12 7v6M12 16.5v.5" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" />`}
</svg>`;

/** Three placeholder rows shaped like real ones; `label` is announced once as the status. */
export function renderSkeletonRows(label: string): TemplateResult {
  const row = html`<li class="skeleton-row">
    <span class="skeleton avatar-shape"></span>
    <span class="skeleton line"></span>
    <span class="skeleton line short"></span>
  </li>`;
  return html`<div class="loading" part="list-loading" aria-busy="true">
    <p class="visually-hidden" role="status">${label}</p>
    <ul class="skeleton-rows" aria-hidden="true">
      ${row}${row}${row}
    </ul>
  </div>`;
}
