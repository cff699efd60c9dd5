// Styled text for the live view as plain strings with SGR codes: the view functions build lines with these, the
// screen writes them. Text from outside (a --cmd, a kernel string, an error) loses its control characters first,
// so nothing it holds can move the cursor or restyle the terminal. Pure.

export interface Style {
  /** a colour name from FG, or undefined (no colour: NO_COLOR, or not coloured) */
  color?: string | undefined;
  bold?: boolean;
  dim?: boolean;
  inverse?: boolean;
  underline?: boolean;
}

const FG: Record<string, number> = { red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, gray: 90 };

// C0 controls (ESC among them), DEL and the C1 controls: a tab becomes a space, the rest go
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000A-\u001F\u007F-\u009F]/g;

/** Text from outside made safe to print: no control characters (tabs become spaces). */
export function sanitize(text: string): string {
  return text.replace(CONTROL, '').replace(/\t/g, ' ');
}

/** `text` (sanitized) in a style; codes close only what they opened, so spans nest inside a styled line. */
export function styled(text: string, s: Style): string {
  const t = sanitize(text);
  if (t === '') return '';
  return wrapStyle(t, s);
}

/** Like styled() for text that already holds our own SGR codes (a row with coloured deltas): not sanitized. */
export function wrapStyle(t: string, s: Style): string {
  let open = '', close = '';
  const fg = s.color === undefined ? undefined : FG[s.color];
  if (fg !== undefined) { open += `\u001B[${fg}m`; close = '\u001B[39m' + close; }
  if (s.bold) { open += '\u001B[1m'; close = '\u001B[22m' + close; }
  if (s.dim) { open += '\u001B[2m'; close = '\u001B[22m' + close; }
  if (s.underline) { open += '\u001B[4m'; close = '\u001B[24m' + close; }
  if (s.inverse) { open += '\u001B[7m'; close = '\u001B[27m' + close; }
  return open === '' ? t : open + t + close;
}

/** Shorthands used by the views. */
export const dim = (t: string) => styled(t, { dim: true });
export const bold = (t: string) => styled(t, { bold: true });
export const colored = (t: string, color: string | undefined) => styled(t, { color });
