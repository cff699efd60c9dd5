// The state keeps a bounded window of the latest intervals (the journal has the run): over thousands of ticks the
// window stays bounded while intervalCount, elapsed time and the run totals stay exact; forks stay pure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reduce, reduceAll } from '../../../cli/state/reducer.js';
import { intervalWindow, WINDOW_MAX, WINDOW_MIN, type CaptureState } from '../../../cli/state/state.js';
import type { CaptureEvent, CpuTimes } from '../../../cli/state/events.js';
import type { Interval } from '../../../cli/schema/types.generated.js';
import { totalsOf } from '../../../cli/state/totals.js';
import { COUNTER_KEYS } from '../../../cli/state/metrics.js';
import { toCapture } from '../../../cli/capture/to-capture.js';
import { coverageOf, coveredMs } from '../../../cli/metrics/coverage.js';
import { standinMeta } from '../capture/fixture-replay.js';

const ct = (k: number): CpuTimes[] => [0, 1].map((cpu) => ({ cpu, user: 4 * k, nice: 0, system: 5 * k + cpu, idle: k, iowait: 0, irq: 0, softirq: 0, steal: 0 }));
const map = (name: string, entries: Record<string, number>): CaptureEvent => ({ type: 'bpf', record: { kind: 'map', name, entries: Object.entries(entries).map(([key, value]) => ({ key, value })) } });

/** tick i of a 100 ms run: counters that differ per tick, so a lost or doubled interval shows in the totals */
function tickEvents(i: number): CaptureEvent[] {
  return [
    map('@pr_calls', { 0: i % 7, 1: (i * 3) % 11 }),
    map('@pr_echild', { 0: i % 2 }),
    { type: 'tick', atMs: 100 + (i + 1) * 100, cpuTimes: ct(i + 1), runsPerWorker: [i % 3, 1] },
  ];
}

function run(ticks: number, onTick?: (s: CaptureState) => void): CaptureState {
  let s = reduceAll([{ type: 'meta', meta: standinMeta() }, { type: 'attached', atMs: 100, probes: 10, cpuTimes: ct(0) }]);
  for (let i = 0; i < ticks; i++) {
    for (const e of tickEvents(i)) s = reduce(s, e);
    onTick?.(s);
  }
  return s;
}

test('the window: 512 intervals below 64 CPUs, about 32k CPU rows above, never under 64', () => {
  assert.equal(intervalWindow(2), WINDOW_MAX);
  assert.equal(intervalWindow(64), 512);
  assert.equal(intervalWindow(128), 256);
  assert.equal(intervalWindow(4096), WINDOW_MIN);
});

test('5000 ticks: the window stays bounded; intervalCount, elapsed and totals are exact', () => {
  const all: Interval[] = [];
  let maxLen = 0;
  const s = run(5000, (st) => { all.push(st.intervals.at(-1)!); maxLen = Math.max(maxLen, st.intervals.length); });
  assert.equal(maxLen, intervalWindow(2));
  assert.equal(s.intervals.length, intervalWindow(2));
  assert.equal(s.intervalCount, 5000);
  assert.deepEqual(s.intervals.map((iv) => iv.seq), Array.from({ length: 512 }, (_, k) => 5000 - 512 + k));
  assert.deepEqual(all.map((iv) => iv.seq), Array.from({ length: 5000 }, (_, k) => k), 'each tick closed the next interval');
  // the window dropped 4488 intervals: the time covered is still the run's, 5000 x 100 ms, not the window's 512 x 100 ms
  assert.equal(coveredMs(s.coverage), 500_000);
  assert.equal(coveredMs(coverageOf(s.intervals)), 51_200);
  assert.equal(coveredMs(coverageOf(all)), 500_000);
  assert.equal(toCapture(s).run.elapsedMs, 500_000);
  let pr = 0, echild = 0, runs = 0;
  for (let i = 0; i < 5000; i++) { pr += (i % 7) + ((i * 3) % 11); echild += i % 2; runs += (i % 3) + 1; }
  assert.equal(s.totals.all.prCalls, pr);
  assert.equal(s.totals.all.prEchild, echild);
  assert.equal(s.totals.runs, runs);
  assert.equal(s.totals.runsPerSec, runs / 500);
  // the run totals equal totals recomputed from every interval (the journal's view)
  const again = totalsOf(all);
  for (const k of COUNTER_KEYS) assert.equal(s.totals.all[k], again.all[k], k);
  for (const c of [0, 1]) for (const k of COUNTER_KEYS) assert.equal(s.totals.cpus[c]![k], again.cpus[c]![k], `cpu ${c} ${k}`);
  assert.ok(Math.abs(s.totals.all.sysPct! - again.all.sysPct!) < 1e-9);
});

test('pure with a full window: a fork leaves the older state as it was, each branch equals a fresh replay', () => {
  const s = run(600);
  const before = { len: s.intervals.length, first: s.intervals[0]!.seq, arr: s.intervals, copy: s.intervals.slice() };
  const a = reduceAll(tickEvents(600), s);
  const b = reduceAll([...tickEvents(600), ...tickEvents(601)], s);
  assert.equal(s.intervals, before.arr);
  assert.equal(s.intervals.length, before.len);
  assert.equal(s.intervals[0]!.seq, before.first);
  assert.ok(s.intervals.every((iv, k) => iv === before.copy[k]), 'same interval objects');
  assert.equal(s.intervalCount, 600);
  // everything but the capture's key memo (a cache the branches share: its generation count differs, never its answers)
  const data = ({ keyMemo: _memo, ...rest }: CaptureState) => JSON.parse(JSON.stringify(rest)) as unknown;
  assert.deepEqual(data(a), data(run(601)));
  assert.deepEqual(data(b), data(run(602)));
  assert.equal(a.intervals.length, 512);
  assert.equal(a.intervals[0]!.seq, 601 - 512);
});
