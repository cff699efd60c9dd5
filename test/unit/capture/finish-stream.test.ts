// The capture file is streamed from the journal (the state keeps only the latest intervals): for the same run it is
// byte for byte the old whole-object write (JSON.stringify(capture, null, 1)); each interval is schema-checked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finishCapture } from '../../../cli/capture/finish.js';
import { captureJsonChunks } from '../../../cli/capture/capture-json.js';
import { openJournal, type Journal } from '../../../cli/capture/journal.js';
import { toCapture } from '../../../cli/capture/to-capture.js';
import { initialState, reduce } from '../../../cli/state/reducer.js';
import { intervalWindow, type CaptureState } from '../../../cli/state/state.js';
import type { CaptureEvent, CaptureMeta, CpuTimes } from '../../../cli/state/events.js';
import type { Capture, Interval } from '../../../cli/schema/types.generated.js';
import { validateCapture, validateCaptureInterval } from '../../../cli/schema/validate.js';
import { UserError } from '../../../cli/errors.js';
import { contentionMeta, fixtureEvents, standinMeta } from './fixture-replay.js';
import { withTmpfs } from '../../helpers/tmpfs.js';

const dir = mkdtempSync(join(tmpdir(), 'rcuwalk-finish-'));
let n = 0;
const fresh = (name: string) => { const d = join(dir, `${n++}`); mkdirSync(d); return join(d, name); };
const noLog = () => {};

/** Reduces events as the engine does: each tick's interval appended to the journal (and collected). */
function drive(events: Iterable<CaptureEvent>, journal: Journal | null): { state: CaptureState; all: Interval[] } {
  let s = initialState();
  const all: Interval[] = [];
  for (const e of events) {
    s = reduce(s, e);
    if (e.type === 'tick') {
      const last = s.intervals.at(-1)!;
      all.push(last);
      journal?.append(last, { attachMs: s.attachMs, lostEvents: s.lostEvents });
    }
  }
  return { state: s, all };
}

/** A long run from a recorded fixture: its interval records replayed `ticks` times, 100 ms apart. */
function* longRun(base: string, meta: CaptureMeta, ticks: number): Generator<CaptureEvent> {
  const ev = fixtureEvents(base, meta);
  const at = ev.findIndex((e) => e.type === 'attached');
  yield* ev.slice(0, at);
  const blocks: CaptureEvent[][] = [];
  let cur: CaptureEvent[] = [];
  for (const e of ev.slice(at + 1)) {
    if (e.type === 'bpf') cur.push(e);
    else if (e.type === 'tick') { blocks.push(cur); cur = []; }
  }
  const ct = (k: number): CpuTimes[] => [0, 1].map((cpu) => ({ cpu, user: 3 * k, nice: 0, system: 6 * k, idle: k + cpu, iowait: 0, irq: 0, softirq: 0, steal: 0 }));
  yield { type: 'attached', atMs: 500, probes: 4, cpuTimes: ct(0) };
  for (let i = 0; i < ticks; i++) {
    yield* blocks[i % blocks.length]!;
    yield { type: 'tick', atMs: 500 + (i + 1) * 100, cpuTimes: ct(i + 1), runsPerWorker: [i % 5, 2] };
  }
  yield { type: 'end', atMs: 600 + ticks * 100, endedAt: '2026-11-25T16:00:00.000Z', reason: 'duration', error: null };
}

const oldWrite = (c: Capture) => JSON.stringify(c, null, 1) + '\n';

for (const [base, meta] of [['contention-6.18', contentionMeta()], ['percpu-standin-6.18', standinMeta()]] as const) {
  test(`golden ${base}: the streamed file is byte for byte the old whole-object write; the journal is removed`, async () => {
    const out = fresh('run.json');
    const journal = openJournal(`${out}.journal`, meta);
    const { state } = drive(fixtureEvents(base, meta), journal);
    assert.equal(state.intervals.length, state.intervalCount, 'a short run: the window is the whole run, as the old state was');
    const trial = { index: 2, count: 3, label: 'A' };
    const old = toCapture(state);
    old.trial = trial;
    const r = await finishCapture({ state, outPath: out, force: false, journal, trial, log: noLog });
    const text = readFileSync(out, 'utf8');
    assert.equal(text, oldWrite(old));
    assert.deepEqual(JSON.parse(text), r.capture);
    assert.equal(r.intervalCount, state.intervalCount);
    assert.equal(existsSync(`${out}.journal`), false);
    validateCapture(JSON.parse(text), 'golden');
  });
}

test('a run longer than the window: every interval in the file, in order; file = old write of the whole run', async () => {
  const out = fresh('long.json');
  const meta = contentionMeta();
  const journal = openJournal(`${out}.journal`, meta);
  const { state, all } = drive(longRun('contention-6.18', meta, 2000), journal);
  assert.equal(state.intervals.length, intervalWindow(2));
  assert.equal(state.intervalCount, 2000);
  const r = await finishCapture({ state, outPath: out, force: false, journal, trial: undefined, log: noLog, resultIntervals: 'recent' });
  const text = readFileSync(out, 'utf8');
  const whole = toCapture(state, all);
  assert.equal(text, oldWrite(whole));
  const c = validateCapture(JSON.parse(text), 'long');
  assert.equal(c.intervals.length, 2000);
  assert.deepEqual(c.intervals.map((iv) => iv.seq), all.map((_, k) => k));
  assert.equal(c.run.elapsedMs, 200_000, 'elapsed from the first interval, long gone from the window');
  assert.deepEqual(c.totals, JSON.parse(JSON.stringify(state.totals)));
  // 'recent': the caller gets the window and the count
  assert.equal(r.intervalCount, 2000);
  assert.equal(r.capture.intervals.length, intervalWindow(2));
  assert.equal(r.capture.intervals[0]!.seq, 2000 - intervalWindow(2));
  assert.deepEqual(r.capture.totals, c.totals);
});

test('no file: every interval when the engine kept them; the window (and the count) when asked for recent', async () => {
  const meta = standinMeta();
  const { state, all } = drive(longRun('percpu-standin-6.18', meta, 700), null);
  const full = await finishCapture({ state, outPath: null, force: false, journal: null, kept: all, trial: undefined, log: noLog });
  assert.equal(full.capture.intervals.length, 700);
  assert.deepEqual(full.capture, JSON.parse(oldWrite(toCapture(state, all))));
  const recent = await finishCapture({ state, outPath: null, force: false, journal: null, kept: null, trial: undefined, log: noLog, resultIntervals: 'recent' });
  assert.equal(recent.capture.intervals.length, intervalWindow(2));
  assert.equal(recent.intervalCount, 700);
  // asked for all with nothing kept and a window short of the run: an error, not a capture missing intervals
  await assert.rejects(finishCapture({ state, outPath: null, force: false, journal: null, kept: null, trial: undefined, log: noLog }), /interval 0 has seq 188/);
});

test('a bad interval is rejected with its JSON path: no file, no temp file, the journal kept', async () => {
  const out = fresh('bad.json');
  const meta = contentionMeta();
  const journal = openJournal(`${out}.journal`, meta);
  const { state } = drive(longRun('contention-6.18', meta, 20), null);
  const ivs = readAll(state, meta);
  ivs.forEach((iv, k) => journal.append(k === 7 ? { ...iv, cpus: [{ ...iv.cpus[0]!, spinWaits: 'lots' as unknown as number }, ...iv.cpus.slice(1)] } : iv));
  await assert.rejects(finishCapture({ state, outPath: out, force: false, journal, trial: undefined, log: noLog }), (err: unknown) => {
    assert.ok(err instanceof UserError);
    assert.match(err.message, /\/intervals\/7\/cpus\/0\/spinWaits must be integer/);
    assert.match(err.next ?? '', /rcuwalk recover/);
    return true;
  });
  assert.equal(existsSync(out), false);
  assert.deepEqual(readdirSync(join(out, '..')), ['bad.json.journal']);
  assert.equal(readFileSync(`${out}.journal`, 'utf8').trimEnd().split('\n').length, 21, 'the journal still holds the run (meta + 20)');
  assert.throws(() => validateCaptureInterval({ ...ivs[0]!, startMs: -1 }, 3), /\/intervals\/3\/startMs/);
  assert.equal(validateCaptureInterval(ivs[0]!, 0), ivs[0]);
});

/** the intervals of a state's run (short runs: the window holds them all) */
function readAll(state: CaptureState, _meta: CaptureMeta): Interval[] {
  assert.equal(state.intervals.length, state.intervalCount);
  return state.intervals;
}

test('a journal missing an interval is an error: nothing written, the journal kept', async () => {
  const out = fresh('short.json');
  const meta = contentionMeta();
  const journal = openJournal(`${out}.journal`, meta);
  const { state } = drive(longRun('contention-6.18', meta, 10), null);
  for (const iv of state.intervals.slice(0, 9)) journal.append(iv);
  await assert.rejects(finishCapture({ state, outPath: out, force: false, journal, trial: undefined, log: noLog }), /9 intervals to write, the run closed 10/);
  assert.equal(existsSync(out), false);
  assert.equal(existsSync(`${out}.journal`), true);
});

test('journal.intervals(): a cut-short last line is skipped; a damaged line before it is an error', () => {
  const meta = contentionMeta();
  const { state } = drive(longRun('contention-6.18', meta, 5), null);
  const p = fresh('cut.json.journal');
  const j = openJournal(p, meta);
  for (const iv of state.intervals.slice(0, 4)) j.append(iv);
  j.close();
  appendFileSync(p, JSON.stringify({ kind: 'interval', interval: state.intervals[4] }).slice(0, 50));
  assert.deepEqual([...j.intervals()].map((iv) => iv.seq), [0, 1, 2, 3]);
  appendFileSync(p, '\n{"kind":"interval"}\n');
  assert.throws(() => [...j.intervals()], /line 6 is not valid JSON/);
});

test('a journal that fills its disk keeps the rest in memory: every interval once, in order, in the file', { skip: process.getuid?.() !== 0 ? 'needs root to mount' : false }, async (t) => {
  const small = fresh('small');
  await withTmpfs(t, small, 'size=64k', async () => {
    const meta = contentionMeta();
    const errors: string[] = [];
    const journal = openJournal(join(small, 'run.json.journal'), meta, { onError: (l) => errors.push(l) });
    const { state, all } = drive(longRun('contention-6.18', meta, 300), journal);
    assert.equal(errors.length, 1);
    assert.match(errors[0]!, /ENOSPC/);
    assert.deepEqual([...journal.intervals()], all);
    const out = fresh('full.json');
    const r = await finishCapture({ state, outPath: out, force: false, journal, trial: undefined, log: noLog });
    assert.equal(readFileSync(out, 'utf8'), oldWrite(toCapture(state, all)));
    assert.equal(r.capture.intervals.length, 300);
  });
});

test('captureJsonChunks: JSON.stringify(x, null, 1) for no intervals, and with optional keys', () => {
  const meta = standinMeta();
  const { state, all } = drive(longRun('percpu-standin-6.18', meta, 3), null);
  const empty = toCapture(state, []);
  assert.equal([...captureJsonChunks(empty, [])].join(''), oldWrite(empty));
  const c = toCapture(state, all);
  c.trial = { index: 1, count: 1, label: 'B' };
  assert.equal([...captureJsonChunks({ ...c, intervals: [] }, all)].join(''), oldWrite(c));
  assert.throws(() => [...captureJsonChunks({ schemaVersion: 1 } as unknown as Capture, [])], /no intervals key/);
});
