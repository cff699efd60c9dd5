// A bordered box around lines, as wide as the screen (ink's round / classic borders, one column of padding). Pure.
import { lineWidth, truncateLine } from '../text/width.js';
import { colored } from '../text/style.js';

const ROUND = { tl: '╭', tr: '╮', bl: '╰', br: '╯', h: '─', v: '│' };
const CLASSIC = { tl: '+', tr: '+', bl: '+', br: '+', h: '-', v: '|' };

/** `inner` lines (styled, at most width - 4 columns: the caller wraps or cuts) framed; round borders with colour. */
export function boxLines(inner: readonly string[], width: number, color: boolean, borderColor?: string): string[] {
  const b = color ? ROUND : CLASSIC;
  const w = Math.max(4, width);
  const paint = (s: string) => colored(s, color ? borderColor : undefined);
  const side = paint(b.v);
  const body = inner.map((l) => {
    const cut = truncateLine(l, w - 4);
    return `${side} ${cut}${' '.repeat(Math.max(0, w - 4 - lineWidth(cut)))} ${side}`;
  });
  return [paint(b.tl + b.h.repeat(w - 2) + b.tr), ...body, paint(b.bl + b.h.repeat(w - 2) + b.br)];
}
