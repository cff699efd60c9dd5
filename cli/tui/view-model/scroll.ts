// The scrolling window over a long list (128+ CPUs): cursor movement and the visible slice. Pure.

export interface Scroll { cursor: number; offset: number }

export function clampScroll(s: Scroll, total: number, visible: number): Scroll {
  const v = Math.max(1, visible);
  if (total <= 0) return { cursor: 0, offset: 0 };
  const cursor = Math.min(Math.max(0, s.cursor), total - 1);
  let offset = Math.min(Math.max(0, s.offset), Math.max(0, total - v));
  if (cursor < offset) offset = cursor;
  if (cursor >= offset + v) offset = cursor - v + 1;
  return { cursor, offset };
}

export function moveCursor(s: Scroll, delta: number, total: number, visible: number): Scroll {
  return clampScroll({ cursor: s.cursor + delta, offset: s.offset }, total, visible);
}

/** The items shown, and what's above/below for the "N more" markers. */
export function windowOf<T>(items: readonly T[], s: Scroll, visible: number): { shown: T[]; above: number; below: number } {
  const c = clampScroll(s, items.length, visible);
  const shown = items.slice(c.offset, c.offset + Math.max(1, visible));
  return { shown, above: c.offset, below: Math.max(0, items.length - c.offset - shown.length) };
}
