// A file's lines, streamed: one 1 MB buffer and the current piece of text in memory, never the whole file.
import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

export interface FileLine {
  line: string;
  /** 1-based, blank lines counted */
  n: number;
  /** false for a last line with no newline after it */
  complete: boolean;
}

/**
 * The lines of a file, read in 1 MB pieces and split on "\n" (a "\r" before it stays in the line). A failed open
 * or read throws `cannotRead(err)` (each caller says it its own way). The file is closed when the loop ends.
 */
export function* fileLines(path: string, cannotRead: (err: unknown) => Error): Generator<FileLine> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw cannotRead(err);
  }
  try {
    const buf = Buffer.alloc(1 << 20);
    const dec = new StringDecoder('utf8');
    let rest = '';
    let n = 0;
    for (;;) {
      let got: number;
      try {
        got = readSync(fd, buf, 0, buf.length, null);
      } catch (err) {
        throw cannotRead(err); // EISDIR (a directory opens fine), EIO
      }
      if (got === 0) break;
      rest += dec.write(buf.subarray(0, got));
      let start = 0;
      let i: number;
      while ((i = rest.indexOf('\n', start)) >= 0) {
        yield { line: rest.slice(start, i), n: ++n, complete: true };
        start = i + 1;
      }
      rest = rest.slice(start);
    }
    rest += dec.end();
    if (rest !== '') yield { line: rest, n: ++n, complete: false };
  } finally {
    closeSync(fd);
  }
}
