// A few inline icons (24×24 stroke paths), drawn in Lit templates: no icon font, no library. Every icon is
// decorative (aria-hidden); the control that holds it carries the accessible name as text.
import { html, type TemplateResult } from 'lit';

const PATHS = {
  react: 'M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zM8.5 14.5a4.5 4.5 0 0 0 7 0M9 9.5h.01M15 9.5h.01',
  thread: 'M4 5h16v11H9l-5 4z',
  quote: 'M9 7H5v5h4v-5zm0 5c0 3-1 4-4 5M19 7h-4v5h4v-5zm0 5c0 3-1 4-4 5',
  edit: 'M4 20h4L19 9l-4-4L4 16zM13.5 6.5l4 4',
  delete: 'M4 7h16M9 7V4h6v3M6 7l1 13h10l1-13M10 11v6M14 11v6',
  copy: 'M9 9h11v11H9zM5 15H4V4h11v1',
  more: 'M5 12h.01M12 12h.01M19 12h.01',
  menu: 'M12 5h.01M12 12h.01M12 19h.01',
  attach:
    'M20 11.5l-8.5 8.5a5 5 0 0 1-7-7L13 4.5a3.3 3.3 0 0 1 4.7 4.7L9.2 17.7a1.7 1.7 0 0 1-2.4-2.4L14.5 7.6',
  send: 'M4 12l16-8-6 16-2.5-6.5zM11.5 13.5L20 4',
  close: 'M6 6l12 12M18 6L6 18',
  file: 'M6 3h8l4 4v14H6zM14 3v4h4',
  image: 'M4 5h16v14H4zM4 16l5-5 4 4 3-3 4 4M15 9h.01',
  download: 'M12 4v11M7 10l5 5 5-5M5 20h14',
} as const;

export type IconName = keyof typeof PATHS;

export const icon = (name: IconName, size = 20): TemplateResult =>
  html`<svg
    class="icon"
    aria-hidden="true"
    focusable="false"
    viewBox="0 0 24 24"
    width=${size}
    height=${size}
    fill="none"
    stroke="currentColor"
    stroke-width="2"
    stroke-linecap="round"
    stroke-linejoin="round"
  >
    <path d=${PATHS[name]}></path>
  </svg>`;
