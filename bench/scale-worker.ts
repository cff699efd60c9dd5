// One scale measurement in its own process (so peak RSS is this size's alone):
//   node dist/bench/scale-worker.js CPUS INTERVALS [fixture]
// A capture of CPUS x INTERVALS (1 s each) built by replaying REAL per-CPU records of a recorded bpftrace run
// (test/fixtures/bpftrace/<fixture>.ndjson: recorded CPU c's records become CPU k for every k = c mod 2, blocks of
// the recording repeat over the intervals) through the reducer, each closed interval appended to a journal as the
// engine does, then the capture file streamed from the journal (cli/capture/finish.ts), load, compare, CSV export.
// Prints one JSON line of timings (ms) and memory (MB).
import { performance } from 'node:perf_hooks';
import { mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initialState, reduce } from '../cli/state/reducer.js';
import { openJournal } from '../cli/capture/journal.js';
import { finishCapture } from '../cli/capture/finish.js';
import type { CaptureEvent, CaptureMeta, CpuTimes } from '../cli/state/events.js';
import type { BpfRecord, HistEntry, MapEntry } from '../cli/bpftrace/records.js';
import { loadCapture } from '../cli/schema/validate.js';
import { compareCaptures } from '../cli/compare/compare.js';
import { toCsv } from '../cli/export/csv.js';
import { contentionMeta, fixtureRecords, standinMeta } from '../test/unit/capture/fixture-replay.js';

const CPUS = Number(process.argv[2] ?? 128);
const INTERVALS = Number(process.argv[3] ?? 3600);
const FIXTURE = process.argv[4] ?? 'contention-6.18';

/** "stack...,cpu" or "cpu": the recorded CPU is after the last comma. */
function splitKey(key: string): [string, number] {
  const i = key.lastIndexOf(',');
  return i < 0 ? ['', Number(key)] : [key.slice(0, i + 1), Number(key.slice(i + 1))];
}

function widen(r: BpfRecord): BpfRecord {
  if (r.kind === 'map') {
    if (r.name === '@lr_site') return r;
    const out: MapEntry[] = [];
    for (const e of r.entries) {
      const [prefix, cpu] = splitKey(e.key);
      for (let c = cpu; c < CPUS; c += 2) out.push({ key: `${prefix}${c}`, value: e.value });
    }
    return { ...r, entries: out };
  }
  if (r.kind === 'hist') {
    const out: HistEntry[] = [];
    for (const e of r.entries) {
      const [prefix, cpu] = splitKey(e.key);
      for (let c = cpu; c < CPUS; c += 2) out.push({ key: `${prefix}${c}`, buckets: e.buckets });
    }
    return { ...r, entries: out };
  }
  return r;
}

const mb = () => process.resourceUsage().maxRSS / 1024;

const recs = fixtureRecords(FIXTURE);
const blocks: BpfRecord[][] = [];
let cur: BpfRecord[] = [];
for (const r of recs) {
  if (r.kind === 'printf' && r.text.startsWith('rcuwalk-tick')) { blocks.push(cur); cur = []; }
  else if (r.kind === 'map' || r.kind === 'hist') cur.push(widen(r));
}
const meta: CaptureMeta = FIXTURE.startsWith('contention') ? contentionMeta() : standinMeta();
const cpus = Array.from({ length: CPUS }, (_, i) => i);
meta.host = { ...meta.host, cpuCount: CPUS, onlineCpus: cpus, numaNodes: [{ node: 0, cpus }] };
meta.settings = { ...meta.settings, parallel: CPUS, durationMs: INTERVALS * 1000, intervalMs: 1000 };
const ct = (k: number): CpuTimes[] => cpus.map((cpu) => ({ cpu, user: 40 * k, nice: 0, system: 55 * k + (cpu % 7) * (k % 3), idle: 5 * k, iowait: 0, irq: 0, softirq: 0, steal: 0 }));
const runs = Array.from({ length: CPUS }, (_, w) => 3 + (w % 3));
function* events(): Generator<CaptureEvent> {
  yield { type: 'meta', meta };
  yield { type: 'attached', atMs: 0, probes: 5, cpuTimes: ct(0) };
  for (let i = 0; i < INTERVALS; i++) {
    for (const r of blocks[i % blocks.length]!) yield { type: 'bpf', record: r };
    yield { type: 'tick', atMs: (i + 1) * 1000, cpuTimes: ct(i + 1), runsPerWorker: runs };
  }
  yield { type: 'end', atMs: INTERVALS * 1000 + 1, endedAt: new Date().toISOString(), reason: 'duration', error: null };
}
const baseRss = mb();
const timed = <T>(f: () => T): [T, number] => { const t = performance.now(); const v = f(); return [v, performance.now() - t]; };

const dir = mkdtempSync(join(tmpdir(), 'rcuwalk-scale-'));
const file = join(dir, 'big.json');
// the engine's path: reduce each event; after each tick, the new interval goes to the journal (write + fdatasync)
let state = initialState();
let reduceMs = 0;
let journalMs = 0;
let journal: ReturnType<typeof openJournal> | null = null;
for (const e of events()) {
  let t = performance.now();
  state = reduce(state, e);
  reduceMs += performance.now() - t;
  t = performance.now();
  if (e.type === 'meta') journal = openJournal(`${file}.journal`, state.meta!);
  if (e.type === 'tick') journal!.append(state.intervals[state.intervals.length - 1]!, { attachMs: state.attachMs, lostEvents: state.lostEvents });
  journalMs += performance.now() - t;
}
const rssReduce = mb();
const t0 = performance.now();
await finishCapture({ state, outPath: file, force: false, journal, trial: undefined, resultIntervals: 'recent', log: () => {} });
const writeMs = performance.now() - t0;
const bytes = statSync(file).size;
const rssWrite = mb();
// RCUWALK_SCALE_KEEP=PATH keeps the capture file there (bench/view-open.ts opens it with rcuwalk view)
const keep = process.env['RCUWALK_SCALE_KEEP'];
if (keep) { renameSync(file, keep); process.stdout.write(JSON.stringify({ kept: keep, bytes }) + '\n'); process.exit(0); }
const [loaded, loadMs] = timed(() => loadCapture(file));
const [, compareMs] = timed(() => compareCaptures([{ file, capture: loaded }], [{ file: 'cand', capture: loaded }]));
const rssCompare = mb();
const [csv, csvMs] = timed(() => toCsv(loaded, 'intervals'));
const rssCsv = mb();
rmSync(dir, { recursive: true, force: true });
process.stdout.write(JSON.stringify({
  cpus: CPUS, intervals: INTERVALS, fixture: FIXTURE,
  reduceMs, journalMs, writeMs, loadMs, compareMs, csvMs,
  bytes, csvBytes: Buffer.byteLength(csv),
  rssBaseMb: baseRss, rssReduceMb: rssReduce, rssWriteMb: rssWrite, rssCompareMb: rssCompare, rssCsvMb: rssCsv,
}) + '\n');
