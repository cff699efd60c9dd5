// Counts worker run reports ("<index>\n" per completed run) from raw bytes, chunk by chunk: a line cut between
// two reads is carried over. Pure: no I/O.

const NL = 0x0a;
const ZERO = 0x30;
const NINE = 0x39;

export class RunTally {
  private readonly counts: number[];
  /** the digits of a line not yet ended by '\n' (-1: none yet; -2: the line is garbage) */
  private partial = -1;

  constructor(workers: number) {
    this.counts = new Array<number>(workers).fill(0);
  }

  /** Adds the complete lines in `bytes[0..length)`; an index out of range or a non-digit line is ignored. */
  feed(bytes: Uint8Array, length = bytes.length): void {
    let cur = this.partial;
    for (let i = 0; i < length; i++) {
      const b = bytes[i]!;
      if (b === NL) {
        if (cur >= 0 && cur < this.counts.length) this.counts[cur]! += 1;
        cur = -1;
      } else if (b >= ZERO && b <= NINE && cur !== -2) {
        cur = (cur < 0 ? 0 : cur * 10) + (b - ZERO);
        if (cur > 1e9) cur = -2;
      } else {
        cur = -2;
      }
    }
    this.partial = cur;
  }

  /** runs per worker since the last take (and resets them) */
  take(): number[] {
    const out = this.counts.slice();
    this.counts.fill(0);
    return out;
  }
}
