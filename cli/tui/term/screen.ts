// Redraws a frame of lines in place, rewriting only the lines that changed since the last frame (ink redrew every
// line and rebuilt a grid of styled cells for the whole terminal each frame: most of the live UI's CPU). Produces
// the bytes to write; the caller writes them. Cursor moves are relative to the frame's first line, so the frame
// sits where the cursor was (like ink), not on a cleared screen.

const HIDE_CURSOR = '\u001B[?25l';
const SHOW_CURSOR = '\u001B[?25h';
const ERASE_LINE = '\u001B[2K';

export class Screen {
  private prev: string[] = [];
  /** the frame row the cursor is on (0 = the frame's first line) */
  private row = 0;
  /** rows the frame has used on the terminal so far (moving down past them needs a newline) */
  private rows = 0;
  private started = false;

  /** Bytes that turn the last frame into `lines` ('' when nothing changed). */
  draw(lines: readonly string[]): string {
    let out = '';
    if (!this.started) { out += HIDE_CURSOR; this.started = true; this.rows = 1; }
    const n = Math.max(lines.length, this.prev.length);
    for (let i = 0; i < n; i++) {
      const next = lines[i] ?? '';
      if (i < this.rows && next === (this.prev[i] ?? '')) continue;
      out += this.moveTo(i) + '\r' + ERASE_LINE + next;
    }
    this.prev = lines.slice();
    return out;
  }

  private moveTo(i: number): string {
    let out = '';
    if (i < this.row) out = `\u001B[${this.row - i}A`;
    else if (i > this.row) {
      const within = Math.min(i, this.rows - 1) - this.row;
      if (within > 0) out = `\u001B[${within}B`;
      // rows the frame has not used yet: newlines create them (scrolling the terminal when at its bottom)
      for (let r = Math.max(this.row, this.rows - 1); r < i; r++) out += '\n';
      this.rows = Math.max(this.rows, i + 1);
    }
    this.row = i;
    return out;
  }

  /** After a resize the terminal has reflowed the old frame: clear the screen and draw the next frame in full. */
  reset(): string {
    this.prev = [];
    this.row = 0;
    this.rows = 1;
    return '\u001B[2J\u001B[H';
  }

  /** Bytes that leave the terminal below the last frame with the cursor shown. */
  finish(): string {
    if (!this.started) return '';
    this.started = false;
    const last = Math.max(0, this.prev.length - 1);
    const out = this.moveTo(last) + '\n' + SHOW_CURSOR;
    this.prev = [];
    this.row = 0;
    this.rows = 0;
    return out;
  }
}
