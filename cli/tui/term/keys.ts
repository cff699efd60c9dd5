// Raw terminal input (bytes from stdin in raw mode) as key presses: letters, Ctrl-C, tab, shift-tab, escape,
// enter, arrows, PgUp/PgDn, Home/End, in the xterm and VT spellings. Pure.

export interface Key {
  /** the character typed ('' for named keys) */
  input: string;
  ctrl: boolean;
  shift: boolean;
  escape: boolean;
  tab: boolean;
  return: boolean;
  upArrow: boolean;
  downArrow: boolean;
  leftArrow: boolean;
  rightArrow: boolean;
  pageUp: boolean;
  pageDown: boolean;
  home: boolean;
  end: boolean;
}

const NONE: Key = {
  input: '', ctrl: false, shift: false, escape: false, tab: false, return: false, upArrow: false, downArrow: false,
  leftArrow: false, rightArrow: false, pageUp: false, pageDown: false, home: false, end: false,
};

const SEQUENCES: Record<string, Partial<Key>> = {
  '[A': { upArrow: true }, '[B': { downArrow: true }, '[C': { rightArrow: true }, '[D': { leftArrow: true },
  'OA': { upArrow: true }, 'OB': { downArrow: true }, 'OC': { rightArrow: true }, 'OD': { leftArrow: true },
  '[5~': { pageUp: true }, '[6~': { pageDown: true },
  '[H': { home: true }, '[F': { end: true }, 'OH': { home: true }, 'OF': { end: true },
  '[1~': { home: true }, '[4~': { end: true }, '[7~': { home: true }, '[8~': { end: true },
  '[Z': { tab: true, shift: true },
};

// an escape sequence: CSI (ESC [ params final) or SS3 (ESC O letter)
// eslint-disable-next-line no-control-regex
const ESCAPE_SEQ = /^\u001B(\[[0-9;]*[A-Za-z~]|O[A-Za-z])/;

/** The keys in one chunk of input (a paste or fast typing can bring several). Unknown sequences are dropped. */
export function parseKeys(data: string): Key[] {
  const keys: Key[] = [];
  for (let i = 0; i < data.length;) {
    const ch = data[i]!;
    if (ch === '\u001B') {
      const m = ESCAPE_SEQ.exec(data.slice(i));
      if (m) {
        const known = SEQUENCES[m[1]!];
        if (known) keys.push({ ...NONE, ...known });
        i += m[0].length;
        continue;
      }
      keys.push({ ...NONE, escape: true });
      i += 1;
      continue;
    }
    const cp = data.codePointAt(i)!;
    const s = String.fromCodePoint(cp);
    i += s.length;
    if (s === '\t') keys.push({ ...NONE, tab: true });
    else if (s === '\r' || s === '\n') keys.push({ ...NONE, return: true });
    else if (cp < 0x20) keys.push({ ...NONE, ctrl: true, input: String.fromCharCode(cp + 0x60) }); // Ctrl-C is 0x03 -> 'c'
    else if (cp === 0x7f) continue; // backspace: no meaning here
    else keys.push({ ...NONE, input: s, shift: s !== s.toLowerCase() });
  }
  return keys;
}
