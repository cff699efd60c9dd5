// Reads a recorded run for `rcuwalk view`: a capture file, or the journal of a run that was killed. A capture is
// read in pieces, one interval at a time (a 128-CPU hour is ~200 MB of text: never held whole), each piece checked
// against the schema where it sits, so a bad file is one line naming the file and the JSON path (exit 2).
import { closeSync, openSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import type { Capture, Interval } from '../schema/types.generated.js';
import { UserError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import { readJsonFile, validateCapture, validateCaptureInterval } from '../schema/validate.js';
import { recoverFromJournal } from '../capture/journal.js';

const CHUNK = 4 << 20;
// the layout rcuwalk writes (JSON.stringify(capture, null, 1)): intervals at depth 2, nothing else there
const OPEN = Buffer.from('\n "intervals": [');
const ITEM_END = Buffer.from('\n  }');
const LIST_END = Buffer.from('\n ]');

function cannotRead(path: string, err: unknown): UserError {
  const code = (err as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : String(code ?? err);
  return new UserError(`cannot read ${path}: ${why}`, 'check the path', EXIT.usage);
}

function truncated(path: string): UserError {
  return new UserError(`${path} is not valid JSON (the file looks truncated)`, 'the file was cut short; if a <file>.journal is beside it, view or recover that', EXIT.usage);
}

/** A file read forward in 4 MB pieces; `buf` holds what has not been consumed yet. */
class Reader {
  private buf = Buffer.alloc(0);
  private eof = false;
  constructor(private readonly fd: number) {}
  private more(): boolean {
    if (this.eof) return false;
    const chunk = Buffer.allocUnsafe(CHUNK);
    const got = readSync(this.fd, chunk, 0, CHUNK, null);
    if (got === 0) { this.eof = true; return false; }
    this.buf = this.buf.length === 0 ? chunk.subarray(0, got) : Buffer.concat([this.buf, chunk.subarray(0, got)]);
    return true;
  }
  /** Index of `needle` in what is unread, reading more as needed; -1 at the end of the file. */
  find(needle: Buffer): number {
    let from = 0;
    for (;;) {
      const at = this.buf.indexOf(needle, from);
      if (at >= 0) return at;
      from = Math.max(0, this.buf.length - needle.length);
      if (!this.more()) return -1;
    }
  }
  /** The next n unread bytes as text, without consuming them (fewer at the end of the file). */
  peek(n: number): string {
    while (this.buf.length < n && this.more()) { /* read on */ }
    return this.buf.toString('latin1', 0, Math.min(n, this.buf.length));
  }
  take(n: number): string {
    const s = this.buf.toString('utf8', 0, n);
    this.buf = this.buf.subarray(n);
    return s;
  }
  rest(): string {
    while (this.more()) { /* read to the end */ }
    return this.take(this.buf.length);
  }
}

/** The capture's head and tail (everything but the intervals) checked, and the intervals one by one. */
function streamCapture(path: string): Capture | null {
  const name = basename(path);
  let fd: number;
  try { fd = openSync(path, 'r'); } catch (err) { throw cannotRead(path, err); }
  try {
    const r = new Reader(fd);
    const open = r.find(OPEN);
    if (open < 0) return null; // not the layout rcuwalk writes: read it whole
    const head = r.take(open + OPEN.length - 1); // up to the key, without the '['
    // a newer schema says so before its intervals are read
    let early: unknown;
    try { early = JSON.parse(`${head}[]}`); } catch { return null; }
    const sv = (early as { schemaVersion?: unknown }).schemaVersion;
    if (sv !== 1) validateCapture(early, name);
    r.take(1); // '['
    const parsed: unknown[] = [];
    if (r.peek(1) === ']') r.take(1);
    else {
      for (;;) {
        const end = r.find(ITEM_END);
        if (end < 0) throw truncated(path);
        const text = r.take(end + ITEM_END.length).replace(/^\s*,?/, '');
        try { parsed.push(JSON.parse(text)); } catch { throw new UserError(`${name}: /intervals/${parsed.length} is not valid JSON`, 'check that the file is an rcuwalk capture', EXIT.usage); }
        const next = r.peek(LIST_END.length);
        if (next.startsWith(',')) continue;
        if (next === LIST_END.toString()) { r.take(LIST_END.length); break; }
        if (next.length < LIST_END.length) throw truncated(path);
        return null; // another layout after all
      }
    }
    const tail = r.rest();
    let top: Capture;
    try {
      top = JSON.parse(`${head}[]${tail}`) as Capture;
    } catch {
      throw truncated(path);
    }
    validateCapture(top, name);
    const intervals = parsed.map((x, i) => validateCaptureInterval(x, i, name));
    return { ...top, intervals };
  } finally {
    closeSync(fd);
  }
}

/** A capture from RUN.json, or rebuilt from RUN.json.journal; bad input is a UserError (exit 2). */
export function loadRun(path: string): Capture {
  if (path.endsWith('.journal')) return validateCapture(recoverFromJournal(path), basename(path));
  return streamCapture(path) ?? validateCapture(readJsonFile(path), basename(path));
}
