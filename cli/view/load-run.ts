// Reads a recorded run for `rcuwalk view`: a capture file, or the journal of a run that was killed. A capture in
// the layout rcuwalk writes is indexed, not parsed: one pass finds where each interval's text sits, and an
// interval is parsed and checked against the schema when it is first shown (a 128-CPU hour is ~200 MB of text,
// several seconds to parse and check whole: the viewer shows its first screen after the head, the tail and the
// intervals on that screen). Bad input is one line naming the file and the JSON path (exit 2).
import { closeSync, openSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import type { Capture, Interval } from '../schema/types.generated.js';
import { UserError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import { readJsonFile, validateCapture, validateCaptureInterval } from '../schema/validate.js';
import { recoverFromJournal } from '../capture/journal.js';

/** A recorded run whose intervals are read by index. */
export interface RunSource {
  /** the capture with `intervals: []` (checked) */
  head: Capture;
  count: number;
  /** the interval at index i; one not read yet is parsed and checked now (a bad one throws UserError, exit 2) */
  at(i: number): Interval;
  /** interval i's number (seq) without parsing it */
  seqAt(i: number): number;
  slice(start: number, end: number): Interval[];
  /** every interval, checked (the plain output, tests) */
  all(): Interval[];
}

/** A source over a capture already in memory. */
export function captureSource(c: Capture): RunSource {
  return {
    head: { ...c, intervals: [] },
    count: c.intervals.length,
    at: (i) => c.intervals[i]!,
    seqAt: (i) => c.intervals[i]!.seq,
    slice: (a, b) => c.intervals.slice(a, b),
    all: () => c.intervals,
  };
}

const CHUNK = 4 << 20;
// the layout rcuwalk writes (JSON.stringify(capture, null, 1)): intervals at depth 2, nothing else there
const OPEN = Buffer.from('\n "intervals": [');
const ITEM_END = Buffer.from('\n  }');
const LIST_END = '\n ]';
/** parsed intervals kept (an interval of 128 CPUs is ~60 KB of text, ~100 KB parsed) */
const CACHE_MAX = 2048;

function cannotRead(path: string, err: unknown): UserError {
  const code = (err as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : String(code ?? err);
  return new UserError(`cannot read ${path}: ${why}`, 'check the path', EXIT.usage);
}

function truncated(path: string): UserError {
  return new UserError(`${path} is not valid JSON (the file looks truncated)`, 'the file was cut short; if a <file>.journal is beside it, view or recover that', EXIT.usage);
}

/** A file read forward in 4 MB pieces; `buf` holds what has not been consumed yet, from file offset `pos`. */
class Reader {
  private buf = Buffer.alloc(0);
  private eof = false;
  pos = 0;
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
  skip(n: number): void { this.buf = this.buf.subarray(n); this.pos += n; }
  take(n: number): string { const s = this.buf.toString('utf8', 0, n); this.skip(n); return s; }
  rest(): string {
    while (this.more()) { /* read to the end */ }
    return this.take(this.buf.length);
  }
}

/** The capture's head and tail parsed and checked, each interval's place in the file; null: another layout. */
function indexCapture(path: string): RunSource | null {
  const name = basename(path);
  let fd: number;
  try { fd = openSync(path, 'r'); } catch (err) { throw cannotRead(path, err); }
  let keep = false;
  try {
    const r = new Reader(fd);
    const open = r.find(OPEN);
    if (open < 0) return null;
    const head = r.take(open + OPEN.length - 1); // up to the key, without the '['
    // a newer schema says so before anything else is read
    let early: unknown;
    try { early = JSON.parse(`${head}[]}`); } catch { return null; }
    if ((early as { schemaVersion?: unknown }).schemaVersion !== 1) validateCapture(early, name);
    r.skip(1); // '['
    const starts: number[] = [], ends: number[] = [], seqs: number[] = [];
    if (r.peek(1) === ']') r.skip(1);
    else {
      for (;;) {
        if (r.peek(1) === ',') r.skip(1);
        const end = r.find(ITEM_END);
        if (end < 0) throw truncated(path);
        const seq = /^\s*\{\s*"seq":\s*(\d+)/.exec(r.peek(64));
        if (!seq) return null; // not the layout rcuwalk writes after all
        starts.push(r.pos);
        r.skip(end + ITEM_END.length);
        ends.push(r.pos);
        seqs.push(Number(seq[1]));
        const next = r.peek(LIST_END.length);
        if (next.startsWith(',')) continue;
        if (next === LIST_END) { r.skip(LIST_END.length); break; }
        if (next.length < LIST_END.length) throw truncated(path);
        return null;
      }
    }
    const tail = r.rest();
    let top: Capture;
    try { top = JSON.parse(`${head}[]${tail}`) as Capture; } catch { throw truncated(path); }
    validateCapture(top, name);
    keep = true;
    const cache = new Map<number, Interval>();
    const at = (i: number): Interval => {
      const hit = cache.get(i);
      if (hit) return hit;
      const len = ends[i]! - starts[i]!;
      const buf = Buffer.allocUnsafe(len);
      readSync(fd, buf, 0, len, starts[i]!);
      let x: unknown;
      try { x = JSON.parse(buf.toString('utf8')); } catch { throw new UserError(`${name}: /intervals/${i} is not valid JSON`, 'check that the file is an rcuwalk capture', EXIT.usage); }
      const iv = validateCaptureInterval(x, i, name);
      if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
      cache.set(i, iv);
      return iv;
    };
    const slice = (a: number, b: number) => { const out: Interval[] = []; for (let i = Math.max(0, a); i < Math.min(b, starts.length); i++) out.push(at(i)); return out; };
    return { head: top, count: starts.length, at, seqAt: (i) => seqs[i]!, slice, all: () => slice(0, starts.length) };
  } finally {
    // the file stays open while the viewer reads intervals from it (until the process ends)
    if (!keep) closeSync(fd);
  }
}

/** A run from RUN.json (indexed), or rebuilt from RUN.json.journal; bad input is a UserError (exit 2). */
export function openRun(path: string): RunSource {
  if (path.endsWith('.journal')) return captureSource(validateCapture(recoverFromJournal(path), basename(path)));
  return indexCapture(path) ?? captureSource(validateCapture(readJsonFile(path), basename(path)));
}

/** A whole capture, every interval read and checked. */
export function loadRun(path: string): Capture {
  const src = openRun(path);
  return { ...src.head, intervals: src.all() };
}
