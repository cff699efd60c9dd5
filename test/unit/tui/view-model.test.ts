// The pure view-model layer, without a terminal.
import { test } from 'node:test';
import { reduce } from '../../../cli/state/reducer.js';
import assert from 'node:assert/strict';
import { fmtPct, fit, fmtDuration } from '../../../cli/tui/view-model/format.js';
import { metricValues, sumMetrics } from '../../../cli/tui/view-model/rates.js';
import { arrangeRows, cpuEntries, nextSort, SORT_CYCLE, spanSeconds } from '../../../cli/tui/view-model/cpu-rows.js';
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

test('rates: per second, ECHILD share, unlazy sums both functions, contention lockref counts waits', () => {
  const m = { ...NULL_METRICS, prCalls: 2000, prEchild: 500, unlazyNextCalls: 100, unlazyCalls: 20, unlazyNextFails: 4, lockrefWaits: 60, lockrefNs: 250e6, lockrefMaxNs: 1e6, sysPct: 80 };
  const v = metricValues(m, 2);
  assert.equal(v.pr, 1000);
  assert.equal(v.echild, 250);
  assert.equal(v.echildShare, 25);
  assert.equal(v.unlazy, 60);
  assert.equal(v.unlazyFail, 2);
  assert.equal(v.lockref, 30);
  assert.equal(v.spinMs, 125);
  assert.equal(v.spinPct, 12.5);
  assert.equal(v.maxSpin, 1e6);
  const none = metricValues(NULL_METRICS, 1);
  assert.ok(Object.values(none).every((x) => x === null), 'unavailable stays null, never 0');
  assert.equal(metricValues(m, 0).pr, null, 'no span yet: no rate');
});

test('sumMetrics: sums, max for max, mean for percents, null only when all are', () => {
  const s = sumMetrics([{ ...NULL_METRICS, cpu: 0, prCalls: 1, lockrefMaxNs: 5, sysPct: 10 }, { ...NULL_METRICS, cpu: 1, prCalls: 2, lockrefMaxNs: 9, sysPct: 30 }]);
  assert.equal(s.prCalls, 3);
  assert.equal(s.lockrefMaxNs, 9);
  assert.equal(s.sysPct, 20);
  assert.equal(s.prEchild, null);
});

test('cpu rows: sort descending with nulls last, busy filter, spans', () => {
  const st = runningState({ cpus: 8, intervals: 3, idleCpus: [2, 5] });
  const e = cpuEntries(st, 'now');
  assert.equal(e.length, 8);
  assert.equal(spanSeconds(st, 'now'), 1);
  assert.equal(spanSeconds(st, 'run'), 3);
  const bySpin = arrangeRows(e, 'spinMs', false);
  for (let i = 1; i < bySpin.length; i++) assert.ok((bySpin[i - 1]!.values.spinMs ?? -1) >= (bySpin[i]!.values.spinMs ?? -1));
  const busy = arrangeRows(e, 'cpu', true).map((r) => r.cpu);
  assert.deepEqual(busy, [0, 1, 3, 4, 6, 7]);
  const withNull = arrangeRows([...e, { cpu: 99, metrics: { ...NULL_METRICS, cpu: 99 }, values: metricValues(NULL_METRICS, 1) }], 'echild', false);
  assert.equal(withNull[withNull.length - 1]!.cpu, 99);
  assert.equal(cpuEntries(emptyState(), 'now').length, 0);
  let k = SORT_CYCLE[0]!;
  for (let i = 0; i < SORT_CYCLE.length; i++) k = nextSort(k);
  assert.equal(k, SORT_CYCLE[0]);
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
  const g = groupSummaries(st1.meta!.host, cpuEntries(st1, 'now'), 1);
  assert.equal(g.length, 8);
  assert.equal(g[0]!.label, '0-15');
  assert.equal(g[0]!.cpus, 16);
  const direct = cpuEntries(st1, 'now').slice(0, 16).reduce((a, e) => a + (e.values.echild ?? 0), 0);
  assert.equal(g[0]!.values.echild, direct, 'group rates are sums of its CPUs');
  assert.ok(g[0]!.values.spinPct! <= 100);
  assert.deepEqual(groupSummaries(null, [], 1), []);
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
  assert.deepEqual(delta('echild', 150, 100), { text: '+50%', tone: 'worse' });
  assert.deepEqual(delta('echild', 50, 100), { text: '-50%', tone: 'better' });
  assert.deepEqual(delta('runs', 340, 100), { text: '3.4x', tone: 'better' });
  assert.deepEqual(delta('pr', 340, 100), { text: '3.4x', tone: 'neutral' });
  assert.deepEqual(delta('spinMs', 5, 0), { text: 'new', tone: 'worse' });
  assert.deepEqual(delta('spinMs', 0, 0), { text: '=', tone: 'neutral' });
  assert.deepEqual(delta('sys', 100.2, 100), { text: '=', tone: 'neutral' });
  assert.equal(delta('sys', null, 3).text, '');
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
  const cols = allColumns('direct');
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
  const demoted = fitColumns(demoteUnavailable(allColumns('contention'), new Set(['pid_revalidate', 'unlazy', 'unlazy_next'])), 60, false);
  assert.ok(!demoted.some((c) => c.key === 'pr' || c.key === 'unlazy'), 'n/a columns make room on narrow terminals');
  assert.ok(demoted.some((c) => c.key === 'spinMs'));
  assert.equal(allColumns('contention').find((c) => c.key === 'lockref')!.header, 'lrwait/s');
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
