// The capture journal: <out>.journal, NDJSON (schemas/journal.schema.json). A meta line when the capture starts,
// then one line per closed interval, each written and fdatasync'ed before the next interval closes. If rcuwalk
// dies mid-run, recoverFromJournal rebuilds a capture (complete: false, endReason interrupted) from it.
import { closeSync, fdatasyncSync, fstatSync, openSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename } from 'node:path';
import type { BpfErrorSample, Capture, Interval, JournalIntervalLine, JournalMetaLine } from '../schema/types.generated.js';
import { CAPTURE_SCHEMA_VERSION } from '../schema/versions.js';
import type { CaptureMeta } from '../state/events.js';
import type { CaptureState } from '../state/state.js';
import { UserError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import { validateWith } from '../schema/validate.js';
import { totalsOf } from '../state/totals.js';
import { coverageOf, coveredMs } from '../metrics/coverage.js';
import { planFor } from '../state/reducer.js';
import { fileLines } from './file-lines.js';

export interface Journal {
  readonly path: string;
  /**
   * appends one closed interval (durably: write + fdatasync); `run` adds attachMs, lostEvents and bpftrace's errors so far. After a
   * failed write (ENOSPC, EIO...) this and every later interval is kept in memory instead (see intervals()).
   */
  append(interval: Interval, run?: JournalRun): void;
  /**
   * Every interval appended, oldest first: read back from the file line by line (one at a time in memory), then
   * those kept in memory after a failed write (by seq, so none twice). Close the journal first. A cut-short
   * last line is skipped (its interval is among those kept in memory); a damaged line before it is a UserError.
   */
  intervals(): Generator<Interval>;
  close(): void;
  /** closes and deletes the journal (after the capture file is safely written) */
  remove(): void;
}

/** The run's counters so far, journaled with each interval. */
export interface JournalRun { attachMs?: number | null; lostEvents?: number; bpfErrors?: number; bpfErrorSamples?: BpfErrorSample[] }

/** What a state knows of the run so far, for the journal line of its latest interval. */
export function journalRun(s: Pick<CaptureState, 'attachMs' | 'lostEvents' | 'bpfErrors' | 'bpfErrorSamples'>): JournalRun {
  const run: JournalRun = { attachMs: s.attachMs, lostEvents: s.lostEvents, bpfErrors: s.bpfErrors };
  if (s.bpfErrorSamples.length > 0) run.bpfErrorSamples = s.bpfErrorSamples;
  return run;
}

export interface OpenJournalOptions {
  /** replace a journal left by an earlier run at the same path */
  force?: boolean;
  /** told once (one line) when an append fails (ENOSPC, EIO...): journaling stops, the capture goes on in memory */
  onError?: (line: string) => void;
}

function writeLine(fd: number, obj: unknown): void {
  const buf = Buffer.from(JSON.stringify(obj) + '\n', 'utf8');
  let off = 0;
  while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
  fdatasyncSync(fd);
}

/** Reading the journal back (the capture's intervals) failed. */
function cannotReadJournal(path: string): (err: unknown) => UserError {
  return (err) => new UserError(`cannot read the journal ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, 'the capture\'s intervals were in it; was it moved or removed?', EXIT.output);
}

/** Creates the journal and writes its meta line. Refuses an existing journal (it may be the only copy of a run) unless force. */
export function openJournal(path: string, meta: CaptureMeta, opts: OpenJournalOptions = {}): Journal {
  let fd: number;
  try {
    fd = openSync(path, opts.force ? 'w' : 'wx', 0o644);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      throw new UserError(`${path} exists: an earlier capture to this path was interrupted`, `recover it with 'rcuwalk recover ${path}', or remove it`, EXIT.output);
    }
    throw new UserError(`cannot create the journal ${path}: ${code ?? String(err)}`, 'choose an --out path in a writable directory', EXIT.output);
  }
  const line: JournalMetaLine = { kind: 'meta', schemaVersion: 1, meta: { ...meta } };
  try {
    writeLine(fd, line);
  } catch (err) {
    // e.g. ENOSPC on a full disk: leave nothing behind, say it in one line
    try { closeSync(fd); } catch { /* ignore */ }
    try { unlinkSync(path); } catch { /* ignore */ }
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError(code === 'ENOSPC' || code === 'EDQUOT' ? `no space left to write the journal ${path}` : `cannot write the journal ${path}: ${code ?? String(err)}`, 'free some space, or choose an --out path on another file system', EXIT.output);
  }
  let open = true;
  /** intervals appended after a write failed: the capture goes on in memory */
  let kept: Interval[] | null = null;
  return {
    path,
    append(interval, run) {
      if (kept) { kept.push(interval); return; }
      if (!open) return;
      const l: JournalIntervalLine = { kind: 'interval', interval };
      if (run?.attachMs !== undefined) l.attachMs = run.attachMs;
      if (run?.lostEvents !== undefined) l.lostEvents = run.lostEvents;
      if (run?.bpfErrors !== undefined) l.bpfErrors = run.bpfErrors;
      if (run?.bpfErrorSamples !== undefined) l.bpfErrorSamples = run.bpfErrorSamples;
      try {
        writeLine(fd, l);
      } catch (err) {
        // never throw into the engine's line handler (that crashed rcuwalk mid-run on a full disk)
        this.close();
        kept = [interval];
        opts.onError?.(`journal ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}: journaling stopped, the capture goes on in memory`);
      }
    },
    close() {
      if (!open) return;
      open = false;
      try { fstatSync(fd); closeSync(fd); } catch { /* already closed */ }
    },
    remove() {
      this.close();
      try { unlinkSync(path); } catch { /* already gone */ }
    },
    *intervals() {
      let lastSeq = -1;
      for (const { line, n, complete } of fileLines(path, cannotReadJournal(path))) {
        if (line.trim() === '') continue;
        let o: JournalMetaLine | JournalIntervalLine;
        try {
          o = JSON.parse(line) as JournalMetaLine | JournalIntervalLine;
        } catch {
          if (!complete) break; // cut short by the failed write: that interval was kept in memory
          throw new UserError(`${basename(path)}: line ${n} is not valid JSON`, `the journal is damaged; rcuwalk recover ${path} keeps what is before that line`, EXIT.usage);
        }
        if (o.kind !== 'interval') continue;
        lastSeq = o.interval.seq;
        yield o.interval;
      }
      for (const iv of kept ?? []) if (iv.seq > lastSeq) yield iv;
    },
  };
}

export interface JournalContents {
  meta: CaptureMeta;
  intervals: Interval[];
  attachMs: number | null;
  lostEvents: number;
  /** null: a journal written before bpftrace's errors were counted */
  bpfErrors: number | null;
  bpfErrorSamples: BpfErrorSample[];
  /** the last line was cut short (ignored) */
  truncated: boolean;
}

/**
 * Reads a journal, streamed line by line: a truncated or unreadable LAST line is ignored; a bad line before it is an
 * error. Whether a bad line is the last is known only at the next non-blank line (then it is an error) or at the end
 * of the file, so the one bad line is held until then. A last line that is JSON but not a journal line counts as cut
 * short only when the file does not end with a newline.
 */
export function readJournal(path: string): JournalContents {
  const name = basename(path);
  const cannotRead = (err: unknown) => new UserError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, 'check the path', EXIT.usage);
  let first: JournalMetaLine | JournalIntervalLine | undefined;
  const intervals: Interval[] = [];
  let attachMs: number | null = null;
  let lostEvents = 0;
  let bpfErrors: number | null = null;
  let bpfErrorSamples: BpfErrorSample[] = [];
  /** a bad line not yet known to be the last; `jsonOk`: it parsed but is not a journal line */
  let pending: { err: unknown; jsonOk: boolean } | null = null;
  let endsWithNewline = true;
  for (const { line, n, complete } of fileLines(path, cannotRead)) {
    endsWithNewline = complete;
    if (line.trim() === '') continue;
    if (pending) throw pending.err; // a non-blank line follows the bad one
    let obj: unknown;
    try {
      obj = JSON.parse(line);
    } catch {
      pending = { err: new UserError(`${name}: line ${n} is not valid JSON`, 'the journal is damaged before its last line; nothing can be recovered after that line', EXIT.usage), jsonOk: false };
      continue;
    }
    let o: JournalMetaLine | JournalIntervalLine;
    try {
      o = validateWith<JournalMetaLine | JournalIntervalLine>('journal.schema.json', obj, `${name} line ${n}`);
    } catch (err) {
      pending = { err, jsonOk: true };
      continue;
    }
    if (!first) { first = o; continue; }
    if (o.kind !== 'interval') continue;
    intervals.push(o.interval);
    if (o.attachMs !== undefined) attachMs = o.attachMs;
    if (o.lostEvents !== undefined) lostEvents = o.lostEvents;
    if (o.bpfErrors !== undefined) bpfErrors = o.bpfErrors;
    if (o.bpfErrorSamples !== undefined) bpfErrorSamples = o.bpfErrorSamples;
  }
  if (pending?.jsonOk && endsWithNewline) throw pending.err;
  const truncated = pending !== null;
  if (!first || first.kind !== 'meta') throw new UserError(`${name}: no meta line (the capture had not started)`, 'nothing to recover; remove the journal', EXIT.usage);
  return { meta: first.meta as CaptureMeta, intervals, attachMs, lostEvents, bpfErrors, bpfErrorSamples, truncated };
}

/**
 * Rebuilds a capture from a journal: the intervals it holds, totals recomputed from them (percents weighted by
 * interval length), complete false, endReason interrupted. Histograms, call sites and contention stacks are not
 * journaled: they come back empty. endedAt is the journal's last write time.
 */
export function recoverFromJournal(path: string): Capture {
  const j = readJournal(path);
  const plan = planFor(j.meta);
  const elapsedMs = coveredMs(coverageOf(j.intervals));
  let endedAt: string;
  try { endedAt = statSync(path).mtime.toISOString(); } catch { endedAt = j.meta.startedAt; }
  return {
    schemaVersion: CAPTURE_SCHEMA_VERSION,
    tool: j.meta.tool,
    host: j.meta.host,
    bpftrace: j.meta.bpftrace,
    run: {
      startedAt: j.meta.startedAt,
      endedAt,
      elapsedMs,
      attachMs: j.attachMs,
      complete: false,
      endReason: 'interrupted',
      error: `recovered from ${basename(path)}: ${j.intervals.length} intervals${j.truncated ? ' (its last line was cut short)' : ''}`,
      lostEvents: j.lostEvents,
      // an older journal counted no errors: the intervals' own counts (0 where absent) are all there is
      bpfErrors: j.bpfErrors ?? j.intervals.reduce((a, iv) => a + (iv.bpfErrors ?? 0), 0),
      bpfErrorSamples: j.bpfErrorSamples,
    },
    // intervals journaled before errors were counted get 0s: a schemaVersion 2 capture has them
    intervals: j.intervals.map((iv) => (iv.bpfErrors !== undefined && iv.lostEvents !== undefined ? iv : { ...iv, bpfErrors: iv.bpfErrors ?? 0, lostEvents: iv.lostEvents ?? 0 })),
    settings: j.meta.settings,
    resolution: j.meta.resolution,
    metricSources: j.meta.metricSources,
    totals: totalsOf(j.intervals),
    histograms: { lockrefNs: { strategy: plan.histStrategy, all: [], cpus: [] } },
  };
}
