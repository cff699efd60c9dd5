// Terminal columns of styled lines: how wide, cut to a width (with …), wrapped to a width. SGR codes take no
// columns and are kept; East Asian wide characters take two. Pure.
import { eastAsianWidth } from 'get-east-asian-width';

// eslint-disable-next-line no-control-regex
const SGR = /\u001B\[[0-9;]*m/y;
const RESET = '\u001B[0m';

function charWidth(cp: number): number {
  if (cp < 0x300) return 1; // ASCII and Latin: the fast path for nearly every character we draw
  if ((cp >= 0x300 && cp <= 0x36f) || cp === 0x200d || (cp >= 0xfe00 && cp <= 0xfe0f)) return 0; // combining, ZWJ, selectors
  return eastAsianWidth(cp);
}

/** Columns the line takes on a terminal. */
export function lineWidth(line: string): number {
  let w = 0;
  for (let i = 0; i < line.length;) {
    if (line.charCodeAt(i) === 0x1b) {
      SGR.lastIndex = i;
      if (SGR.test(line)) { i = SGR.lastIndex; continue; }
    }
    const cp = line.codePointAt(i)!;
    w += charWidth(cp);
    i += cp > 0xffff ? 2 : 1;
  }
  return w;
}

/** The line cut to `width` columns, ending in … when something was cut (ink's wrap="truncate"). */
export function truncateLine(line: string, width: number): string {
  if (width <= 0) return '';
  if (lineWidth(line) <= width) return line;
  let out = '', w = 0, styledSeen = false;
  for (let i = 0; i < line.length;) {
    if (line.charCodeAt(i) === 0x1b) {
      SGR.lastIndex = i;
      if (SGR.test(line)) { out += line.slice(i, SGR.lastIndex); styledSeen = true; i = SGR.lastIndex; continue; }
    }
    const cp = line.codePointAt(i)!;
    const cw = charWidth(cp);
    if (w + cw > width - 1) break;
    out += String.fromCodePoint(cp);
    w += cw;
    i += cp > 0xffff ? 2 : 1;
  }
  return out + '…' + (styledSeen ? RESET : '');
}

/** Plain text (no SGR codes) wrapped at spaces to `width` columns, each line keeping the text's indent; a word
 *  longer than the width is cut. */
export function wrapPlain(text: string, width: number): string[] {
  const indent = /^ */.exec(text)![0];
  const w = width - indent.length;
  if (w <= 0) return [truncateLine(text, width)];
  const out: string[] = [];
  let cur = '';
  for (const word of text.slice(indent.length).split(' ')) {
    if (word === '') continue;
    const next = cur === '' ? word : `${cur} ${word}`;
    if (lineWidth(next) <= w) { cur = next; continue; }
    if (cur !== '') out.push(cur);
    cur = lineWidth(word) <= w ? word : truncateLine(word, w);
  }
  if (cur !== '' || out.length === 0) out.push(cur);
  return out.map((l) => indent + l);
}
