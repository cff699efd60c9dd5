// bpftrace's error records and lost events, from REAL recordings (test/fixtures/bpftrace/errors-6.18*.ndjson:
// errors.bt under bpftrace 0.17 -k, 0.23 and 0.27 on Linux 6.18; lost-events-6.18.head40.ndjson), counted per
// interval and per run, kept through the capture file (schemaVersion 2) and the journal, and shown in the summary
// and the report. Expected counts come from the raw lines, not from the parser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reduce, reduceAll } from '../../../cli/state/reducer.js';
import { toCapture } from '../../../cli/capture/to-capture.js';
import { journalRun, openJournal, recoverFromJournal } from '../../../cli/capture/journal.js';
import { loadCapture, validateCapture } from '../../../cli/schema/validate.js';
import { summaryLines } from '../../../cli/commands/capture-summary.js';
import { buildReport } from '../../../cli/report/html.js';
import { troubleLine, troubleOfCapture, troubleOfState } from '../../../cli/format/bpftrace-trouble.js';
import { parseLine } from '../../../cli/bpftrace/ndjson-parse.js';
import { FIXTURES_DIR } from '../../helpers/fixtures.js';
import { MAX_ERROR_SAMPLES } from '../../../cli/state/state.js';
import type { Capture } from '../../../cli/schema/types.generated.js';
import { ERROR_RECORDERS, errorsMeta, fixtureEvents, fixtureLines, standinMeta, type ErrorsFixture } from '../capture/fixture-replay.js';

const ERROR_TYPES = new Set(['helper_error', 'runtime_error', 'print_error', 'error']);

/** Error records per interval (split at each tick printf) and after the last tick, from the raw lines. */
function rawErrorCounts(base: string): { perInterval: number[]; total: number } {
  const perInterval: number[] = [];
  let cur = 0, total = 0;
  for (const l of fixtureLines(base)) {
    if (!l.trim()) continue;
    const o = JSON.parse(l) as { type: string; data?: unknown };
    if (o.type === 'attached_probes') cur = 0;
    if (o.type === 'printf' && typeof o.data === 'string' && o.data.startsWith('rcuwalk-tick')) { perInterval.push(cur); cur = 0; continue; }
    if (ERROR_TYPES.has(o.type)) { cur++; total++; }
  }
  return { perInterval, total };
}

const EXPECT: Record<ErrorsFixture, { message: RegExp; kinds: string[] }> = {
  'errors-6.18': { message: /^helper_error map_update_elem: error \(-7\) at line 7:78$/, kinds: ['helper_error'] },
  'errors-6.18-bt0.23': { message: /^helper_error map_update_elem: Map full; can't update element\. Try increasing max_map_keys config \(-7\) at line 7:78$/, kinds: ['helper_error'] },
  'errors-6.18-bt0.27': { message: /^(helper_error map_update_elem: Argument list too long \(-7\) at errors\.bt:7:78|runtime_error: Divide or modulo by 0 detected\..* at errors\.bt:7:122)$/, kinds: ['helper_error', 'runtime_error'] },
};

for (const base of Object.keys(ERROR_RECORDERS) as ErrorsFixture[]) {
  test(`${base} (bpftrace ${ERROR_RECORDERS[base].bpftrace.version}): every error record counted in its interval and the run; the capture says so`, () => {
    const raw = rawErrorCounts(base);
    assert.ok(raw.total > 100, `${raw.total} error records in the recording`);
    const kinds = new Set(fixtureLines(base).filter((l) => l.trim()).map((l) => (JSON.parse(l) as { type: string }).type).filter((t) => ERROR_TYPES.has(t)));
    assert.deepEqual([...kinds].sort(), EXPECT[base].kinds);
    const state = reduceAll(fixtureEvents(base, errorsMeta(base)));
    const cap = validateCapture(JSON.parse(JSON.stringify(toCapture(state))), base);
    assert.equal(cap.schemaVersion, 2);
    assert.deepEqual(cap.intervals.map((iv) => iv.bpfErrors), raw.perInterval);
    assert.ok(cap.intervals.some((iv) => (iv.bpfErrors ?? 0) > 0));
    assert.deepEqual(cap.intervals.map((iv) => iv.lostEvents), raw.perInterval.map(() => 0));
    assert.equal(cap.run.bpfErrors, raw.total);
    const samples = cap.run.bpfErrorSamples!;
    assert.ok(samples.length >= 1 && samples.length <= MAX_ERROR_SAMPLES);
    assert.equal(samples.reduce((a, x) => a + x.count, 0), raw.total, 'few distinct messages: every error is in a sample');
    for (const x of samples) assert.match(x.message, EXPECT[base].message);
    // said in the exit summary and the report
    const summary = summaryLines(cap).join('\n');
    assert.match(summary, new RegExp(`warning: bpftrace reported ${raw.total} errors while running: some events were not counted \\(most often, \\d+x: (helper|runtime)_error`));
    const html = buildReport({ run: { file: `${base}.json`, capture: cap }, base: null, sweep: null });
    assert.match(html, new RegExp(`<div class="warn bpftrace-trouble"><p>warning: bpftrace reported ${raw.total} errors`));
    assert.match(html, /<li>\d+x <code>(helper|runtime)_error/);
    assert.equal(troubleLine(troubleOfState(state)), `bpftrace: ${raw.total} errors`);
  });
}

test('lost events (real 0.17 lost_events records) count in the interval they arrive in and in the run', () => {
  const recs = readFileSync(join(FIXTURES_DIR, 'bpftrace', 'lost-events-6.18.head40.ndjson'), 'utf8').split('\n').map(parseLine).filter((r) => r !== null);
  const lost = recs.filter((r) => r.kind === 'lost');
  assert.ok(lost.length > 0);
  const want = lost.reduce((a, r) => a + (r.kind === 'lost' ? r.events : 0), 0);
  // the recording has no tick (its own prints were lost): one interval is closed by hand around its records
  let s = reduceAll([{ type: 'meta', meta: standinMeta() }, { type: 'attached', atMs: 0, probes: 3, cpuTimes: [] }]);
  for (const record of recs) s = reduce(s, { type: 'bpf', record });
  s = reduce(s, { type: 'tick', atMs: 1000, cpuTimes: [], runsPerWorker: null });
  s = reduce(s, { type: 'bpf', record: lost[0]! });
  const first = lost[0]!.kind === 'lost' ? lost[0]!.events : 0;
  assert.equal(s.intervals[0]!.lostEvents, want);
  assert.equal(s.pending.lost, first, 'the next interval has its own count');
  assert.equal(s.lostEvents, want + first);
  const c = toCapture(s);
  assert.equal(c.run.lostEvents, want + first);
  assert.match(summaryLines(c).join('\n'), new RegExp(`warning: bpftrace lost ${want + first} events: the counts are lower bounds`));
  assert.equal(troubleLine(troubleOfState(s)), `bpftrace: ${want + first} events lost`);
});

test('schemaVersion 1 files (written before errors were counted) still load: errors unknown, not 0', () => {
  const c = loadCapture(join(FIXTURES_DIR, 'vm', '5.10.0-46-amd64', 'capture.json'));
  assert.equal(c.schemaVersion, 1);
  assert.equal(c.run.bpfErrors, undefined);
  assert.equal(troubleOfCapture(c).errors, null);
  assert.ok(!summaryLines(c).join('\n').includes('errors while running'));
});

test('a schemaVersion 2 capture without the counts is refused, naming the field', () => {
  const base: ErrorsFixture = 'errors-6.18-bt0.23';
  const good = () => JSON.parse(JSON.stringify(toCapture(reduceAll(fixtureEvents(base, errorsMeta(base)))))) as Capture;
  let c = good();
  delete c.intervals[2]!.bpfErrors;
  assert.throws(() => validateCapture(c, 'x.json'), /^UserError: x\.json: \/intervals\/2\/bpfErrors is missing$|x\.json: \/intervals\/2\/bpfErrors is missing/);
  c = good();
  delete c.run.bpfErrorSamples;
  assert.throws(() => validateCapture(c, 'x.json'), /x\.json: \/run\/bpfErrorSamples is missing/);
});

test('the journal keeps the counts: a recovered capture has the run\'s errors and each interval\'s', () => {
  const base: ErrorsFixture = 'errors-6.18-bt0.27';
  const meta = errorsMeta(base);
  const state = reduceAll(fixtureEvents(base, meta));
  const path = join(mkdtempSync(join(tmpdir(), 'rcuwalk-errors-')), 'run.json.journal');
  const j = openJournal(path, meta);
  // as the engine journals: each interval with the run's counters at that tick
  let s = reduceAll([]);
  for (const e of fixtureEvents(base, meta)) {
    const n = s.intervalCount;
    s = reduce(s, e);
    if (s.intervalCount > n) j.append(s.intervals.at(-1)!, journalRun(s));
  }
  j.close();
  const rec = validateCapture(recoverFromJournal(path), 'recovered');
  assert.deepEqual(rec.intervals.map((iv) => iv.bpfErrors), state.intervals.map((iv) => iv.bpfErrors));
  assert.equal(rec.run.bpfErrors, s.bpfErrors);
  assert.deepEqual(rec.run.bpfErrorSamples, s.bpfErrorSamples);
});
