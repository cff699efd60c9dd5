// The pure view-model layer, without a terminal.
import { test } from 'node:test';
import { reduce } from '../../../cli/state/reducer.js';
import assert from 'node:assert/strict';
import { fmtPct, fit, fmtDuration } from '../../../cli/tui/view-model/format.js';
import { columnMetrics, metricValues, rowMetrics } from '../../../cli/tui/view-model/column-metrics.js';
import { arrangeRows, cpuEntries, isBusy, nextSort, SORT_CYCLE, spanAll, spanSeconds } from '../../../cli/tui/view-model/cpu-rows.js';
import { metric } from '../../../cli/metrics/catalogue.js';
import { combineCpus } from '../../../cli/metrics/combine.js';
import { screenModel } from '../../../cli/tui/screen-model.js';
import { coverageOf } from '../../../cli/metrics/coverage.js';
import { totalsOf } from '../../../cli/state/totals.js';
import { clampScroll, moveCursor, windowOf } from '../../../cli/tui/view-model/scroll.js';
import { cpuGroups, groupSummaries } from '../../../cli/tui/view-model/groups.js';
import { downsample, intervalSeries, SeriesCache, sparkline } from '../../../cli/tui/view-model/sparkline.js';
import { baselineModel, delta, ratio, totalsVsBaselineLine } from '../../../cli/tui/view-model/baseline.js';
import { allColumns, cellWidth, demoteUnavailable, fitColumns } from '../../../cli/tui/view-model/layout.js';
import { bucketLabel, histBars, histBuckets } from '../../../cli/tui/view-model/histogram.js';
import { headerModel, progressBar } from '../../../cli/tui/view-model/header.js';
import { initialUi, uiReducer } from '../../../cli/tui/view-model/ui-state.js';
import { emptyState, runningState, NULL_METRICS } from './states.js';
import { fixtureState } from './fixture-state.js';
import { toCapture } from '../../../cli/capture/to-capture.js';

test('format: bare percents, durations, fixed-width cells', () => {
  assert.equal(fmtPct(null), '-');
  assert.equal(fmtPct(99.97), '100');
  assert.equal(fmtPct(48.64), '48.6');
  assert.equal(fmtDuration(65_000), '1m05s');
  assert.equal(fmtDuration(null), '-');
  assert.equal(fit('abcdef', 4), 'abc…');
  assert.equal(fit('ab', 4), '  ab');
});

test("column values: the catalogue's, per second, ECHILD share, unlazy sums both functions, busy from idle", () => {
  const m = { ...NULL_METRICS, prCalls: 2000, prEchild: 500, unlazyNextCalls: 100, unlazyCalls: 20, unlazyNextFails: 4, lockrefCalls: 40, lockrefWaits: 60, lockrefNs: 250e6, lockrefMaxNs: 1e6, sysPct: 80, idlePct: 15 };
  const direct = rowMetrics(columnMetrics('direct'));
  const v = metricValues(direct, m, 2);
  assert.equal(v['pr_calls_per_s'], 1000);
  assert.equal(v['echild_per_s'], 250);
  assert.equal(v['echild_share_pct'], 25);
  assert.equal(v['unlazy_calls_per_s'], 60);
  assert.equal(v['unlazy_fails_per_s'], 2);
  assert.equal(v['lockref_calls_per_s'], 20);
  assert.equal(v['spin_ms_per_s'], 125);
  assert.equal(v['spin_pct_of_cpu'], 12.5);
  assert.equal(v['spin_max_ns'], 1e6);
  assert.equal(v['busy_pct'], 85);
  const none = metricValues(direct, NULL_METRICS, 1);
  assert.ok(Object.values(none).every((x) => x === null), 'unavailable stays null, never 0');
  assert.equal(metricValues(direct, m, 0)['pr_calls_per_s'], null, 'no span yet: no rate');
});

test('the lockref column: calls where the function is probed, waits under the contention strategy, and its header says which', () => {
  const m = { ...NULL_METRICS, lockrefCalls: null, lockrefWaits: 60 };
  assert.equal(columnMetrics('direct').lockref.id, 'lockref_calls_per_s');
  assert.equal(columnMetrics('callsite').lockref.id, 'lockref_calls_per_s');
  assert.equal(columnMetrics('contention').lockref.id, 'lockref_waits_per_s');
  // a row without calls shows no number under the calls header (no silent switch to waits)
  assert.equal(metricValues(rowMetrics(columnMetrics('direct')), m, 2)['lockref_calls_per_s'], null);
  assert.equal(metricValues(rowMetrics(columnMetrics('contention')), m, 2)['lockref_waits_per_s'], 30);
  assert.equal(allColumns(columnMetrics('direct')).find((c) => c.key === 'lockref')!.header, 'lockref/s');
  assert.equal(allColumns(columnMetrics('contention')).find((c) => c.key === 'lockref')!.header, 'lrwait/s');
});

test('cpu rows: sort descending with nulls last, busy filter, spans', () => {
  const st = runningState({ cpus: 8, intervals: 3, idleCpus: [2, 5] });
  const cols = columnMetrics('direct');
  const e = cpuEntries(st, 'now', cols);
  assert.equal(e.length, 8);
  assert.equal(spanSeconds(st, 'now'), 1);
  assert.equal(spanSeconds(st, 'run'), 3);
  const bySpin = arrangeRows(e, 'spinMs', false, cols);
  for (let i = 1; i < bySpin.length; i++) assert.ok((bySpin[i - 1]!.values['spin_ms_per_s'] ?? -1) >= (bySpin[i]!.values['spin_ms_per_s'] ?? -1));
  const busy = arrangeRows(e, 'cpu', true, cols).map((r) => r.cpu);
  assert.deepEqual(busy, [0, 1, 3, 4, 6, 7]);
  assert.equal(e[2]!.values['busy_pct'], 1, 'an idle CPU: 99% idle is 1% busy (the catalogue\'s busy_pct)');
  assert.equal(isBusy(e[2]!), false);
  const withNull = arrangeRows([...e, { cpu: 99, metrics: { ...NULL_METRICS, cpu: 99 }, values: metricValues(rowMetrics(cols), NULL_METRICS, 1) }], 'echild', false, cols);
  assert.equal(withNull[withNull.length - 1]!.cpu, 99);
  assert.equal(cpuEntries(emptyState(), 'now', cols).length, 0);
  let k = SORT_CYCLE[0]!;
  for (let i = 0; i < SORT_CYCLE.length; i++) k = nextSort(k);
  assert.equal(k, SORT_CYCLE[0]);
});

test('the all row over the whole run is the run totals: a CPU measured 1 s of 10 weighs 1/10 in %sys, as in the header', () => {
  const row = (cpu: number, sysPct: number) => ({ ...NULL_METRICS, cpu, prCalls: 1, sysPct, userPct: 0, idlePct: 100 - sysPct });
  const intervals = Array.from({ length: 10 }, (_, k) => ({ seq: k, startMs: k * 1000, endMs: (k + 1) * 1000, cpus: k === 9 ? [row(0, 90), row(1, 10)] : [row(0, 90)], runs: null, runsPerWorker: null }));
  const st = { ...runningState({ cpus: 2, intervals: 1 }), intervals, intervalCount: 10, coverage: coverageOf(intervals), totals: totalsOf(intervals) };
  assert.ok(Math.abs(st.totals.all.sysPct! - 910 / 11) < 1e-9, `${st.totals.all.sysPct}`); // (90 x 10 s + 10 x 1 s) / 11 CPU-seconds
  assert.equal(spanAll(st, 'run'), st.totals.all);
  const m = screenModel({ ...initialUi, span: 'run' }, { state: st, base: null, status: null, width: 120, height: 40 });
  assert.equal(m.table.all!['sys_pct'], st.totals.all.sysPct);
  assert.equal(m.table.all!['pr_calls_per_s'], 11 / 10);
  assert.equal(headerModel(st, null, null).sysAll, fmtPct(st.totals.all.sysPct));
  assert.equal(combineCpus(st.totals.cpus).sysPct, 50, 'what the row showed before: the plain mean of the two CPU rows');
  // the last interval alone: both CPUs measured the same second, so the plain mean is the time-weighted one
  assert.equal(spanAll(st, 'now')!.sysPct, 50);
});

test('scroll: cursor stays visible, window slices with above/below counts', () => {
  assert.deepEqual(clampScroll({ cursor: 50, offset: 0 }, 128, 20), { cursor: 50, offset: 31 });
  assert.deepEqual(moveCursor({ cursor: 0, offset: 0 }, -5, 128, 20), { cursor: 0, offset: 0 });
  assert.deepEqual(moveCursor({ cursor: 120, offset: 108 }, 50, 128, 20), { cursor: 127, offset: 108 });
  const items = Array.from({ length: 128 }, (_, i) => i);
  const w = windowOf(items, { cursor: 40, offset: 30 }, 20);
  assert.equal(w.shown[0], 30);
  assert.equal(w.shown.length, 20);
  assert.equal(w.above, 30);
  assert.equal(w.below, 78);
  assert.deepEqual(windowOf([], { cursor: 3, offset: 3 }, 10), { shown: [], above: 0, below: 0 });
});

test('groups: NUMA nodes when there are several, else groups of 16 CPUs', () => {
  const st2 = runningState({ cpus: 128, intervals: 2, numaNodes: 2 });
  assert.deepEqual(cpuGroups(st2.meta!.host, []).map((g) => g.label), ['node0', 'node1']);
  const st1 = runningState({ cpus: 128, intervals: 2 });
  const cols = columnMetrics('direct');
  const g = groupSummaries(st1.meta!.host, cpuEntries(st1, 'now', cols), 1, cols);
  assert.equal(g.length, 8);
  assert.equal(g[0]!.label, '0-15');
  assert.equal(g[0]!.cpus, 16);
  const direct = cpuEntries(st1, 'now', cols).slice(0, 16).reduce((a, e) => a + (e.values['echild_per_s'] ?? 0), 0);
  assert.equal(g[0]!.values['echild_per_s'], direct, 'group rates are sums of its CPUs');
  assert.ok(g[0]!.values['spin_pct_of_cpu']! <= 100);
  assert.deepEqual(groupSummaries(null, [], 1, cols), []);
});

test('sparkline: scaled blocks, null as space, last width values', () => {
  assert.equal(sparkline([0, 1, 2, 4, 8], 5), '▁▂▃▅█');
  assert.equal(sparkline([null, 8], 5), ' █');
  assert.equal(sparkline([1, 2, 3, 4], 2), '▆█');
  assert.equal(sparkline([0, 0], 5), '▁▁');
  assert.equal(sparkline([], 5), '');
  const s = intervalSeries(fixtureState('contention-6.18').intervals);
  assert.ok(s.runsPerSec.every((x) => x !== null && x > 0), 'the recording ran ps workers');
  assert.ok(s.echildPerSec.every((x) => x === null), 'no pid_revalidate probe on 6.18 without kprobes: unknown, not 0');
});

test('baseline deltas: direction, tone, new/=, ratio; CPU count mismatch compares totals only', () => {
  const M = metric;
  assert.deepEqual(delta(M('echild_per_s'), 150, 100), { text: '+50%', tone: 'worse' });
  assert.deepEqual(delta(M('echild_per_s'), 50, 100), { text: '-50%', tone: 'better' });
  assert.deepEqual(delta(M('runs_per_s'), 340, 100), { text: '3.4x', tone: 'better' });
  assert.deepEqual(delta(M('pr_calls_per_s'), 340, 100), { text: '3.4x', tone: 'neutral' });
  assert.deepEqual(delta(M('runs_per_s'), 1000, 100), { text: '10x', tone: 'better' });
  assert.deepEqual(delta(M('runs_per_s'), 994, 100), { text: '9.9x', tone: 'better' });
  assert.deepEqual(delta(M('spin_ms_per_s'), 5, 0), { text: 'new', tone: 'worse' });
  assert.deepEqual(delta(M('spin_ms_per_s'), 0, 0), { text: '=', tone: 'neutral' });
  assert.deepEqual(delta(M('sys_pct'), 100.2, 100), { text: '=', tone: 'neutral' });
  assert.deepEqual(delta(M('sys_pct'), 99.4, 100), { text: '-1%', tone: 'better' });
  assert.equal(delta(M('sys_pct'), null, 3).text, '');
  assert.equal(ratio(120, 100), 'x1.20');
  assert.equal(ratio(1, 0), '-');
  const b = toCapture(runningState({ cpus: 4, intervals: 3 }));
  const same = baselineModel(b, 4);
  assert.equal(same.perCpu?.size, 4);
  assert.equal(same.perCpuNote, null);
  const other = baselineModel(b, 128);
  assert.equal(other.perCpu, null);
  assert.match(other.perCpuNote!, /4 CPUs.*128.*don't apply/);
  assert.ok(other.runsPerSec! > 0);
});

test('layout: the table fits 80 columns, wider terminals get more columns, unavailable columns go last', () => {
  const cols = allColumns(columnMetrics('direct'));
  const width = (cs: ReturnType<typeof fitColumns>, d: boolean) => cs.reduce((a, c) => a + cellWidth(c, d), 0) + cs.length - 1;
  for (const w of [40, 60, 80, 100, 120, 160]) {
    for (const d of [false, true]) {
      const f = fitColumns(cols, w, d);
      assert.ok(width(f, d) <= w, `${w} cols${d ? ' with deltas' : ''}: ${width(f, d)}`);
      assert.equal(f[0]!.key, 'cpu');
    }
  }
  assert.ok(fitColumns(cols, 160, true).length > fitColumns(cols, 80, true).length);
  assert.ok(fitColumns(cols, 80, false).some((c) => c.key === 'echild'));
  const demoted = fitColumns(demoteUnavailable(allColumns(columnMetrics('contention')), new Set(['pid_revalidate', 'unlazy', 'unlazy_next'])), 60, false);
  assert.ok(!demoted.some((c) => c.key === 'pr' || c.key === 'unlazy'), 'n/a columns make room on narrow terminals');
  assert.ok(demoted.some((c) => c.key === 'spinMs'));
});

test('histogram: bpftrace-like labels, trimmed empty edges, per CPU', () => {
  assert.equal(bucketLabel({ min: 256, max: 511, count: 1 }), '[256, 512)');
  assert.equal(bucketLabel({ min: 1024, max: 2047, count: 1 }), '[1K, 2K)');
  const bars = histBars([{ min: 1, max: 1, count: 0 }, { min: 2, max: 3, count: 5 }, { min: 4, max: 7, count: 10 }, { min: 8, max: 15, count: 0 }], 10);
  assert.deepEqual(bars.map((b) => [b.label, b.bar.length]), [['[2, 4)', 5], ['[4, 8)', 10]]);
  const st = fixtureState('percpu-standin-6.18');
  assert.ok(histBuckets(st.histograms.lockrefNs, null).length > 0);
  assert.ok(histBuckets(st.histograms.lockrefNs, 1).length > 0);
  assert.deepEqual(histBuckets(st.histograms.lockrefNs, 77), []);
});

test('header model: empty state, recorded state, baseline ratios', () => {
  const e = headerModel(emptyState(), null, null);
  assert.equal(e.runsNow, '-');
  assert.equal(e.progress, 0);
  assert.ok(e.targets.every((t) => t.strategy === null));
  const st = fixtureState('contention-6.18');
  const h = headerModel(st, null, null);
  assert.equal(h.targets.find((t) => t.target === 'lockref')!.strategy, 'contention');
  assert.equal(h.targets.find((t) => t.target === 'pid_revalidate')!.strategy, 'unavailable');
  assert.match(h.workload, /ps -fe x 4 workers/);
  assert.notEqual(h.runsAll, '-');
  const hb = headerModel(st, null, baselineModel(toCapture(st), 2));
  assert.equal(hb.runsRatio, 'x1.00');
  assert.equal(progressBar(0.5, 10, true), '#####.....');
});

test('ui state: views cycle, sort cycles and resets scroll, pause freezes the state', () => {
  let u = uiReducer(initialUi, { type: 'nextView' });
  assert.equal(u.view, 'histogram');
  u = uiReducer(u, { type: 'nextView', back: true });
  assert.equal(u.view, 'cpus');
  u = uiReducer({ ...u, scroll: { cursor: 9, offset: 5 } }, { type: 'sort' });
  assert.deepEqual(u.scroll, { cursor: 0, offset: 0 });
  assert.equal(u.sort, 'sys');
  const st = runningState({ cpus: 2, intervals: 2 });
  u = uiReducer(u, { type: 'pause', state: st });
  // the reducer never modifies a published state: the next tick makes a new window, the frozen one stays
  const next = reduce(st, { type: 'tick', atMs: 3250, cpuTimes: [], runsPerWorker: null });
  assert.equal(next.intervals.length, 3);
  assert.equal(u.frozen, st);
  assert.equal(u.frozen!.intervals.length, 2);
  u = uiReducer(u, { type: 'pause', state: st });
  assert.equal(u.frozen, null);
  u = uiReducer(u, { type: 'histCpu', delta: -1, cpus: [0, 1, 2] });
  assert.equal(u.histCpu, 2);
  u = uiReducer(u, { type: 'histCpu', delta: 1, cpus: [0, 1, 2] });
  assert.equal(u.histCpu, null);
});

test('totals vs baseline line (plain output): ratios and deltas of the run totals', () => {
  const after = toCapture(runningState({ cpus: 4, intervals: 3, load: 0.5 }));
  const before = toCapture(runningState({ cpus: 4, intervals: 3 }));
  const line = totalsVsBaselineLine(after, baselineModel(before, 4, 'before.json'));
  assert.match(line, /^vs before\.json: {2}runs\/s x1\.00 {2}%sys x0\.\d\d {2}echild\/s -\d+% /);
  const other = totalsVsBaselineLine(after, baselineModel(toCapture(runningState({ cpus: 8, intervals: 3 })), 4));
  assert.match(other, /per-CPU deltas don't apply/);
});

test('sparkline series: downsampled to the width; kept in step with the sliding interval window', () => {
  assert.deepEqual(downsample([1, 3, 5, 7], 2), [2, 6]);
  assert.deepEqual(downsample([null, null, 4, 6], 2), [null, 5]);
  assert.deepEqual(downsample([1, 2], 5), [1, 2]);
  const st = runningState({ cpus: 4, intervals: 20 });
  const all = st.intervals;
  const cache = new SeriesCache();
  assert.equal(cache.get(all.slice(0, 6)).runsPerSec.length, 6);
  // the window slides: the oldest leave, new ones arrive (series[i] belongs to window[i])
  for (const [from, to] of [[0, 8], [3, 10], [9, 11], [9, 11], [10, 20]] as const) {
    const w = all.slice(from, to);
    assert.deepEqual(cache.get(w), intervalSeries(w), `window ${from}..${to}`);
  }
  // no overlap, or other objects with the same seqs (a fork): recomputed
  assert.deepEqual(cache.get(all.slice(0, 3)), intervalSeries(all.slice(0, 3)));
  const other = runningState({ cpus: 4, intervals: 20, load: 0.25 }).intervals.slice(1, 5);
  assert.deepEqual(cache.get(other), intervalSeries(other));
  assert.notDeepEqual(intervalSeries(other), intervalSeries(all.slice(1, 5)));
  assert.deepEqual(cache.get([]), intervalSeries([]));
});
