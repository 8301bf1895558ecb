// Which slice of a long list is rendered. The list keeps at most `size` items in the DOM and slides by `step`
// when the reader nears either edge, so a 10,000-message conversation stays as light as a short one.

export interface ListWindow {
  start: number;
  end: number;
}

export const WINDOW_SIZE = 60;
export const WINDOW_STEP = 20;

/** The newest `size` items: the window a conversation opens with and "jump to latest" returns to. */
export function latestWindow(total: number, size = WINDOW_SIZE): ListWindow {
  return { start: Math.max(0, total - size), end: total };
}

/** Slides the window towards older items (after `added` items were prepended, indices shift by that much). */
export function slideUp(
  w: ListWindow,
  total: number,
  added = 0,
  size = WINDOW_SIZE,
  step = WINDOW_STEP,
): ListWindow {
  const start = Math.max(0, w.start + added - step);
  return { start, end: Math.min(total, start + size) };
}

export function slideDown(w: ListWindow, total: number, size = WINDOW_SIZE, step = WINDOW_STEP): ListWindow {
  const end = Math.min(total, w.end + step);
  return { start: Math.max(0, end - size), end };
}

/** Clamps a window to a list that changed length (e.g. after a delete), keeping its start. */
export function clampWindow(w: ListWindow, total: number, size = WINDOW_SIZE): ListWindow {
  const start = Math.min(w.start, Math.max(0, total - 1));
  return { start: Math.max(0, start), end: Math.min(total, Math.max(w.end, start + 1), start + size) };
}
