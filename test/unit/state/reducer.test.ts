import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initialState, reduce, reduceAll, TOP_STACKS } from '../../../cli/state/reducer.js';
import type { CaptureEvent, CpuTimes } from '../../../cli/state/events.js';
import type { BpfRecord } from '../../../cli/bpftrace/records.js';
import { contentionMeta, standinMeta } from '../capture/fixture-replay.js';
import { toCapture } from '../../../cli/capture/to-capture.js';
import { validateCapture } from '../../../cli/schema/validate.js';
import { parseLine } from '../../../cli/bpftrace/ndjson-parse.js';

const times = (cpu: number, user: number, system: number, idle: number): CpuTimes => ({ cpu, user, nice: 0, system, idle, iowait: 0, irq: 0, softirq: 0, steal: 0 });
const map = (name: string, entries: Record<string, number>): CaptureEvent => ({ type: 'bpf', record: { kind: 'map', name, entries: Object.entries(entries).map(([key, value]) => ({ key, value })) } });
const tick = (atMs: number, cpuTimes: CpuTimes[], runsPerWorker: number[] | null = null): CaptureEvent => ({ type: 'tick', atMs, cpuTimes, runsPerWorker });
const start = (meta = standinMeta(), cpuTimes = [times(0, 0, 0, 0), times(1, 0, 0, 0)]): CaptureEvent[] => [
  { type: 'meta', meta }, { type: 'attached', atMs: 100, probes: 10, cpuTimes },
];

test('initial state', () => {
  const s = initialState();
  assert.equal(s.phase, 'resolving');
  assert.deepEqual(s.intervals, []);
  assert.equal(s.totals.all.prCalls, null);
  assert.deepEqual(s.pending, { maps: {}, hists: {}, errors: 0, lost: 0 });
  assert.equal(JSON.stringify(s).includes('rcuwalk.reducer'), false, 'hidden accumulators stay out of JSON');
});

test('a map printed twice before a tick sums; a max map takes the max; CPUs without entries get 0', () => {
  const s = reduceAll([
    ...start(),
    map('@pr_calls', { 0: 5 }), map('@pr_calls', { 0: 7 }),
    map('@lr_max', { 0: 100, 1: 40 }), map('@lr_max', { 0: 30 }),
    tick(1100, [times(0, 10, 50, 40), times(1, 0, 0, 100)]),
  ]);
  const [r0, r1] = s.intervals[0]!.cpus;
  assert.equal(r0!.prCalls, 12);
  assert.equal(r1!.prCalls, 0);
  assert.equal(r0!.lockrefMaxNs, 100);
  assert.equal(r1!.lockrefMaxNs, 40);
  assert.equal(r0!.sysPct, 50);
  assert.equal(r0!.userPct, 10);
  assert.equal(r0!.idlePct, 40);
  assert.equal(r1!.idlePct, 100);
  assert.equal(r0!.spinWaits, null, 'unavailable stays null');
  assert.deepEqual(s.pending, { maps: {}, hists: {}, errors: 0, lost: 0 }, 'a tick empties pending');
  assert.equal(s.intervals[0]!.startMs, 0);
  assert.equal(s.intervals[0]!.endMs, 1000);
});

/** bpftrace -f json lines -> 'bpf' events through the real parser (it maps generation names to base names) */
const lines = (...ls: unknown[]): CaptureEvent[] => ls.map((l) => ({ type: 'bpf', record: parseLine(JSON.stringify(l))! }) as CaptureEvent);

test('both generations of a map in one interval (END prints both; old recordings print the base name) add up', () => {
  // per-CPU maps, a hist and the call sites: count and sum add per key, max takes the max, hist buckets add
  const s = reduceAll([
    ...start(),
    ...lines(
      { type: 'map', data: { '@pr_calls_0': { 0: 5, 1: 1 } } }, { type: 'map', data: { '@pr_calls_1': { 0: 7 } } }, { type: 'map', data: { '@pr_calls': { 1: 2 } } },
      { type: 'map', data: { '@lr_ns_1': { 0: 100 } } }, { type: 'map', data: { '@lr_ns_0': { 0: 50 } } },
      { type: 'map', data: { '@lr_max_0': { 0: 100, 1: 40 } } }, { type: 'map', data: { '@lr_max_1': { 0: 30, 1: 90 } } },
      { type: 'map', data: { '@lr_site_0': { 'try_to_unlazy_next+68': 3 } } }, { type: 'map', data: { '@lr_site_1': { 'try_to_unlazy_next+68': 4, '__legitimize_path+37': 1 } } },
      { type: 'hist', data: { '@lr_hist_0': { 0: [{ min: 64, max: 127, count: 2 }] } } },
      { type: 'hist', data: { '@lr_hist_1': { 0: [{ min: 64, max: 127, count: 3 }, { min: 128, max: 255, count: 1 }] } } },
    ),
    tick(1100, []),
  ]);
  const [r0, r1] = s.intervals[0]!.cpus;
  assert.deepEqual([r0!.prCalls, r1!.prCalls], [12, 3]);
  assert.equal(r0!.lockrefNs, 150);
  assert.deepEqual([r0!.lockrefMaxNs, r1!.lockrefMaxNs], [100, 90]);
  assert.deepEqual(s.lockrefCallsites, [{ site: 'try_to_unlazy_next+68', calls: 7 }, { site: '__legitimize_path+37', calls: 1 }]);
  assert.deepEqual(s.histograms.lockrefNs.all, [{ min: 64, max: 127, count: 5 }, { min: 128, max: 255, count: 1 }]);
  // contention maps keyed by [kstack, cpu]: the same stack in both generations is one stack
  const lr = '\n    __pv_queued_spin_lock_slowpath+347\n    _raw_spin_lock+59\n    lockref_get_not_dead+93\n    __legitimize_path+45\n';
  const c = reduceAll([
    ...start(contentionMeta()),
    ...lines(
      { type: 'map', data: { '@cw_n_0': { [`${lr},0`]: 3 } } }, { type: 'map', data: { '@cw_n_1': { [`${lr},0`]: 2, [`${lr},1`]: 1 } } },
      { type: 'map', data: { '@cw_ns_0': { [`${lr},0`]: 3000 } } }, { type: 'map', data: { '@cw_ns_1': { [`${lr},0`]: 500, [`${lr},1`]: 70 } } },
      { type: 'map', data: { '@cw_max_1': { [`${lr},0`]: 400 } } }, { type: 'map', data: { '@cw_max_0': { [`${lr},0`]: 2000 } } },
      { type: 'hist', data: { '@cw_hist_0': { [`${lr},0`]: [{ min: 512, max: 1023, count: 3 }] } } },
      { type: 'hist', data: { '@cw_hist_1': { [`${lr},0`]: [{ min: 512, max: 1023, count: 2 }] } } },
    ),
    tick(1100, []),
  ]);
  const [c0, c1] = c.intervals[0]!.cpus;
  assert.deepEqual([c0!.spinWaits, c0!.spinNs, c0!.lockrefWaits, c0!.lockrefNs, c0!.lockrefMaxNs], [5, 3500, 5, 3500, 2000]);
  assert.deepEqual([c1!.spinWaits, c1!.lockrefWaits], [1, 1]);
  assert.deepEqual(c.histograms.lockrefNs.all, [{ min: 512, max: 1023, count: 5 }]);
  assert.deepEqual(c.contentionStacks.map((k) => [k.waits, k.ns]), [[6, 3570]]);
});

test('records printed before probes were confirmed attached belong to no interval', () => {
  const [meta, attached] = start();
  const s = reduceAll([meta!, map('@pr_calls', { 0: 99 }), attached!, map('@pr_calls', { 0: 1 }), tick(1100, [])]);
  assert.equal(s.intervals[0]!.cpus[0]!.prCalls, 1);
});

test('every online CPU has a row every interval, even with no data and no /proc/stat line', () => {
  const meta = standinMeta();
  meta.host = { ...meta.host, onlineCpus: [0, 1, 2, 3], cpuCount: 4 };
  const s = reduceAll([...start(meta), tick(1100, []), map('@pr_calls', { 3: 1 }), tick(2100, [])]);
  for (const iv of s.intervals) assert.deepEqual(iv.cpus.map((r) => r.cpu), [0, 1, 2, 3]);
  assert.equal(s.intervals[0]!.cpus[2]!.prCalls, 0);
  assert.equal(s.intervals[0]!.cpus[2]!.sysPct, null, 'no /proc/stat sample: percent unknown');
  assert.equal(s.intervals[1]!.cpus[3]!.prCalls, 1);
  assert.equal(s.totals.cpus[3]!.prCalls, 1);
  assert.equal(s.totals.all.prCalls, 1);
});

test('a metric with no metricSources entry or strategy unavailable is null in every row and in totals', () => {
  const meta = standinMeta();
  meta.metricSources = { ...meta.metricSources, prEchild: { target: 'pid_revalidate', strategy: 'unavailable', reason: 'no symbol' } };
  delete meta.metricSources.unlazyFails;
  const s = reduceAll([...start(meta), map('@pr_echild', { 0: 9 }), map('@ul_fails', { 1: 2 }), tick(1100, [])]);
  for (const r of s.intervals[0]!.cpus) { assert.equal(r.prEchild, null); assert.equal(r.unlazyFails, null); }
  assert.equal(s.totals.all.prEchild, null);
  assert.equal(s.totals.all.unlazyFails, null);
});

test('contention: lockref stacks vs all stacks, under the contention strategy only', () => {
  const lr = '\n    __pv_queued_spin_lock_slowpath+347\n    _raw_spin_lock+59\n    lockref_get_not_dead+93\n    __legitimize_path+45\n';
  const other = '\n    __pv_queued_spin_lock_slowpath+347\n    _raw_spin_lock+59\n    tick_do_update_jiffies64+37\n';
  const ev = (meta = contentionMeta()) => [
    ...start(meta),
    map('@cw_n', { [`${lr},0`]: 3, [`${other},0`]: 2, [`${lr},1`]: 1 }),
    map('@cw_ns', { [`${lr},0`]: 3000, [`${other},0`]: 500, [`${lr},1`]: 70 }),
    map('@cw_max', { [`${lr},0`]: 2000, [`${other},0`]: 400, [`${lr},1`]: 70 }),
    { type: 'bpf', record: { kind: 'hist', name: '@cw_hist', entries: [{ key: `${lr},0`, buckets: [{ min: 512, max: 1023, count: 2 }, { min: 1024, max: 2047, count: 1 }] }, { key: `${other},0`, buckets: [{ min: 128, max: 255, count: 2 }] }] } } as CaptureEvent,
    tick(1100, []),
  ];
  const s = reduceAll(ev());
  const [r0, r1] = s.intervals[0]!.cpus;
  assert.deepEqual([r0!.spinWaits, r0!.spinNs, r0!.lockrefWaits, r0!.lockrefNs, r0!.lockrefMaxNs], [5, 3500, 3, 3000, 2000]);
  assert.deepEqual([r1!.spinWaits, r1!.spinNs, r1!.lockrefWaits, r1!.lockrefNs, r1!.lockrefMaxNs], [1, 70, 1, 70, 70]);
  assert.deepEqual(s.histograms.lockrefNs.all, [{ min: 512, max: 1023, count: 2 }, { min: 1024, max: 2047, count: 1 }]);
  assert.deepEqual(s.contentionStacks.map((c) => [c.stack[2], c.lockref, c.waits, c.ns]), [['lockref_get_not_dead+93', true, 4, 3070], ['tick_do_update_jiffies64+37', false, 2, 500]]);
  // 0.24 spelling of the same keys lands on the same stacks
  const s24 = reduceAll([...start(contentionMeta()), map('@cw_n', { [`${lr.replace(/ /g, '')},0`]: 1 }), tick(1100, [])]);
  assert.equal(s24.intervals[0]!.cpus[0]!.lockrefWaits, 1);
});

test('contention stacks keep the top by ns', () => {
  const evs: CaptureEvent[] = [...start(contentionMeta())];
  const n: Record<string, number> = {}, ns: Record<string, number> = {};
  for (let i = 0; i < 80; i++) { n[`\n    f${i}+1\n    g+2\n,0`] = 1; ns[`\n    f${i}+1\n    g+2\n,0`] = i * 10; }
  evs.push(map('@cw_n', n), map('@cw_ns', ns), tick(1100, []));
  const s = reduceAll(evs);
  assert.equal(s.contentionStacks.length, TOP_STACKS);
  assert.equal(s.contentionStacks[0]!.stack[0], 'f79+1');
  assert.equal(s.contentionStacks[0]!.ns, 790);
});

test('runs per worker, runs/s, lost events, end', () => {
  const s = reduceAll([
    ...start(),
    { type: 'bpf', record: { kind: 'lost', events: 3 } },
    tick(1100, [], [2, 3]),
    { type: 'bpf', record: { kind: 'lost', events: 4 } },
    tick(2100, [], [1, 0, 5]),
    { type: 'end', atMs: 2200, endedAt: '2026-11-25T15:35:03.000Z', reason: 'interrupted', error: null },
  ]);
  assert.equal(s.intervals[0]!.runs, 5);
  assert.deepEqual(s.intervals[1]!.runsPerWorker, [1, 0, 5]);
  assert.equal(s.totals.runs, 11);
  assert.deepEqual(s.totals.runsPerWorker, [3, 3, 5]);
  assert.equal(s.totals.runsPerSec, 11 / 2);
  assert.equal(s.lostEvents, 7);
  assert.equal(s.phase, 'done');
  assert.deepEqual(s.end, { atMs: 2200, endedAt: '2026-11-25T15:35:03.000Z', reason: 'interrupted', error: null });
  const c = validateCapture(toCapture(s), 'synthetic');
  assert.equal(c.run.complete, false);
  assert.equal(c.run.endReason, 'interrupted');
  assert.equal(c.run.lostEvents, 7);
  assert.equal(c.run.elapsedMs, 2000);
  const f = reduce(s, { type: 'end', atMs: 1, endedAt: 'x', reason: 'error', error: 'boom' });
  assert.equal(f.phase, 'failed');
});

test('workload none: runs null', () => {
  const s = reduceAll([...start(), tick(1100, [], null)]);
  assert.equal(s.intervals[0]!.runs, null);
  assert.equal(s.totals.runs, null);
  assert.equal(s.totals.runsPerSec, null);
});

test('percent totals are weighted by CPU time (ticks), not by interval count', () => {
  const s = reduceAll([
    ...start(standinMeta(), [times(0, 0, 0, 0)]),
    tick(1100, [times(0, 0, 100, 0)]), // 100 ticks, all sys
    tick(2100, [times(0, 0, 100, 300)]), // 300 ticks, all idle
  ]);
  assert.equal(s.totals.cpus[0]!.sysPct, 25);
  assert.equal(s.totals.cpus[0]!.idlePct, 75);
  assert.equal(s.totals.all.sysPct, 25);
});

test('pure: reducing an older state again (a fork) gives the same result as a fresh replay', () => {
  const base = [...start(), map('@pr_calls', { 0: 1 }), tick(1100, [])];
  const s1 = reduceAll(base);
  const a = reduceAll([map('@pr_calls', { 0: 10 }), tick(2100, [])], s1);
  const b = reduceAll([map('@pr_calls', { 1: 20 }), tick(2100, []), tick(3100, [])], s1);
  assert.equal(s1.intervals.length >= 1, true);
  assert.deepEqual(JSON.parse(JSON.stringify(a.intervals)), JSON.parse(JSON.stringify(reduceAll([...base, map('@pr_calls', { 0: 10 }), tick(2100, [])]).intervals)));
  assert.equal(a.intervals.length, 2);
  assert.equal(b.intervals.length, 3);
  assert.equal(a.totals.all.prCalls, 11);
  assert.equal(b.totals.all.prCalls, 21);
  // unrelated events return a new object but share the intervals
  const p = reduce(a, { type: 'phase', phase: 'stopping' });
  assert.equal(p.intervals, a.intervals);
  assert.equal(p.phase, 'stopping');
  // a bpftrace error is counted (run, open interval, its message), the intervals shared
  const e: BpfRecord = { kind: 'error', message: 'x' };
  const withErr = reduce(reduce(a, { type: 'bpf', record: e }), { type: 'bpf', record: e });
  assert.equal(withErr.intervals, a.intervals);
  assert.equal(withErr.bpfErrors, a.bpfErrors + 2);
  assert.equal(withErr.pending.errors, 2);
  assert.deepEqual(withErr.bpfErrorSamples, [{ message: 'x', count: 2 }]);
  assert.equal(a.bpfErrors, 0, 'the older state is unchanged');
});

test('the run accumulators are plain fields, and the parsed-key memo belongs to one capture', () => {
  const a = reduceAll([...start(contentionMeta()), tick(1100, [])]);
  const b = initialState();
  assert.deepEqual(Object.getOwnPropertySymbols(a), []);
  assert.equal(a.acc.n, a.intervalCount);
  assert.notEqual(a.keyMemo, b.keyMemo, 'each capture has its own memo');
  const fork = reduce(a, tick(2100, []));
  assert.equal(fork.keyMemo, a.keyMemo, 'states of one capture share it');
  assert.notEqual(fork.acc, a.acc, 'replaced per tick, not modified');
  assert.equal(a.acc.n, 1);
});
