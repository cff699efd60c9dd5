// Text from outside (a --cmd, a kernel string, an error, a file name) made safe to print: ink strips cursor moves
// and screen clears, but keeps OSC sequences (a window title) and bare C0 controls (BEL), so we drop them first.
// Pure.

// C0 controls (ESC among them), DEL and the C1 controls: a tab becomes a space, the rest go
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000A-\u001F\u007F-\u009F]/g;

/** Text from outside made safe to print: no control characters (tabs become spaces). */
export function sanitize(text: string): string {
  return text.replace(CONTROL, '').replace(/\t/g, ' ');
}
