// The capture reducer: CaptureState x CaptureEvent -> CaptureState. Pure: no I/O, no clock; same inputs, same output.
//
// Events: 'bpf' records accumulate in `pending` (a map printed twice before a tick sums; max maps take the max);
// 'tick' closes the open interval: one row per online CPU, run totals, histograms, call sites, contention stacks,
// CPU percents against `lastTick`. 'tick'.runsPerWorker holds the runs completed in that interval (per worker).
//
// Memory (a long run at 100 ms is 6000+ intervals; 128 CPUs x 1 h at 1 s is 460k CPU rows): `intervals` is a bounded
// window of the latest intervals (intervalWindow(cpus), see state.ts), not the run: every closed interval goes to
// the journal (the engine appends it), and the capture file is streamed from there. `intervalCount` counts them all,
// `coverage` keeps the time they cover once the first ones left the window. Reducing a tick builds a new
// window array (at most WINDOW_MAX pointers copied) and a new state; interval objects and published arrays are never
// modified, so any older state (a fork, a paused TUI frame) stays as it was. The run accumulators are the state's
// `acc` (accumulators.ts), copied on write per tick, O(cpus); the parsed-key memo is the capture's `keyMemo`.
import type { Bucket, CpuRow, Histogram, Interval, MetricSource, Strategy, RunTotals } from '../schema/types.generated.js';
import type { HistEntry, MapEntry } from '../bpftrace/records.js';
import type { CaptureEvent, CaptureMeta, CpuTimes } from './events.js';
import { MAX_ERROR_SAMPLES, emptyPending, intervalWindow, type CaptureState, type Pending } from './state.js';
import { CONTENTION_MAPS, CPU_MAPS, LOCKREF_HIST, LOCKREF_SITES } from '../script-protocol/maps.js';
import { COUNTER_KEYS, type CounterKey } from './metrics.js';
import { counterDef } from '../metrics/counters.js';
import { emptyMetrics } from '../metrics/combine.js';
import { addIntervalRows, addRunsPerWorker, runTotals } from './totals.js';
import { NOTHING_COVERED, cover } from '../metrics/coverage.js';
import { cpuPercents } from './cpu-percent.js';
import { cpuKey } from '../bpftrace/keys.js';
import { emptyRunAcc, type RunAcc, type StackAcc } from './accumulators.js';
import { KeyMemo, type ParsedStack } from './key-memo.js';
import { mergeBuckets } from '../bpftrace/buckets.js';

/** contention stacks kept in a capture (by ns) */
export const TOP_STACKS = 50;
/** distinct stacks tracked while running before pruning to the top half */
const STACK_TRACK_CAP = 2000;

const N_COUNTERS = COUNTER_KEYS.length;
const COUNTER_INDEX = Object.fromEntries(COUNTER_KEYS.map((k, i) => [k, i])) as Record<CounterKey, number>;
/** counters whose prints within an interval combine by max (the others sum), by index in COUNTER_KEYS */
const BY_MAX: readonly boolean[] = COUNTER_KEYS.map((k) => counterDef(k).combine === 'max');

function emptyHistogram(strategy: Strategy): Histogram {
  return { strategy, all: [], cpus: [] };
}

function emptyRunTotals(): RunTotals {
  return { all: emptyMetrics(), cpus: [], runs: null, runsPerSec: null, runsPerWorker: null };
}

export function initialState(): CaptureState {
  return {
    phase: 'resolving',
    meta: null,
    attachMs: null,
    intervals: [],
    intervalCount: 0,
    coverage: NOTHING_COVERED,
    totals: emptyRunTotals(),
    histograms: { lockrefNs: emptyHistogram('unavailable') },
    lockrefCallsites: [],
    contentionStacks: [],
    lostEvents: 0,
    bpfErrors: 0,
    bpfErrorSamples: [],
    end: null,
    pending: emptyPending(),
    lastTick: null,
    acc: emptyRunAcc(),
    keyMemo: new KeyMemo(),
  };
}

// ---- how each metric is measured on this run

type Source = 'map' | 'contention' | null;
interface Plan {
  source: Record<CounterKey, Source>;
  /** contention stacks holding LOCKREF_SYMBOL count as lockref waits */
  lockrefByContention: boolean;
  histStrategy: Strategy;
}

const CONTENTION_FIELDS: Partial<Record<CounterKey, true>> = { lockrefWaits: true, lockrefNs: true, lockrefMaxNs: true, spinWaits: true, spinNs: true };

function strategyOf(meta: CaptureMeta | null, key: string): Strategy | null {
  const src: MetricSource | undefined = meta?.metricSources[key];
  return src ? src.strategy : null;
}

const planCache = new WeakMap<CaptureMeta, Plan>();
/** A metric is null throughout when its metricSources entry is missing or says 'unavailable'. */
export function planFor(meta: CaptureMeta | null): Plan {
  if (meta) {
    const hit = planCache.get(meta);
    if (hit) return hit;
  }
  const source = {} as Record<CounterKey, Source>;
  for (const k of COUNTER_KEYS) {
    const st = strategyOf(meta, k);
    if (st === null || st === 'unavailable') source[k] = null;
    else if (k === 'spinWaits' || k === 'spinNs' || k === 'lockrefWaits') source[k] = 'contention';
    else if (st === 'contention' && CONTENTION_FIELDS[k]) source[k] = 'contention';
    else source[k] = k in CPU_MAPS ? 'map' : null;
  }
  const lr = strategyOf(meta, 'lockrefNs') ?? strategyOf(meta, 'lockrefWaits') ?? 'unavailable';
  const plan: Plan = {
    source,
    lockrefByContention: strategyOf(meta, 'lockrefNs') === 'contention' || strategyOf(meta, 'lockrefWaits') === 'contention',
    histStrategy: lr,
  };
  if (meta) planCache.set(meta, plan);
  return plan;
}

// ---- pending records

function appendPending<T>(rec: Record<string, T[]>, name: string, entries: T[]): Record<string, T[]> {
  const prev = rec[name];
  return { ...rec, [name]: prev ? prev.concat(entries) : entries };
}

/** Entries of one map over the open interval: repeated prints sum (max maps: max). */
function intervalValues(entries: readonly MapEntry[] | undefined, useMax: boolean): Map<string, number> {
  const m = new Map<string, number>();
  if (!entries) return m;
  for (const e of entries) {
    const cur = m.get(e.key);
    m.set(e.key, cur === undefined ? e.value : useMax ? Math.max(cur, e.value) : cur + e.value);
  }
  return m;
}

// ---- tick: closing the open interval, step by step

/** This interval's counters per CPU: one array per CPU, indexed like COUNTER_KEYS, -1 = no entry yet. */
class CounterTable {
  readonly byCpu = new Map<number, number[]>();
  /** adds `v` (or takes the max) to counter `i` of `cpu` */
  put(cpu: number, i: number, v: number, max: boolean): void {
    let c = this.byCpu.get(cpu);
    if (!c) this.byCpu.set(cpu, (c = new Array<number>(N_COUNTERS).fill(-1)));
    const cur = c[i]!;
    c[i] = cur < 0 ? v : max ? (v > cur ? v : cur) : cur + v;
  }
}

/** Step 1: the per-CPU maps (CPU_MAPS, keyed by cpu) of the metrics measured from them. */
function countMaps(plan: Plan, maps: Pending['maps'], table: CounterTable): void {
  for (let i = 0; i < N_COUNTERS; i++) {
    const k = COUNTER_KEYS[i]!;
    if (plan.source[k] !== 'map') continue;
    const name = (CPU_MAPS as Record<string, string>)[k]!;
    const entries = maps[name];
    if (!entries) continue;
    const max = BY_MAX[i]!;
    for (const e of entries) {
      const cpu = cpuKey(e.key);
      if (cpu !== null) table.put(cpu, i, e.value, max);
    }
  }
}

/** Step 2: the contention maps (keyed by [kstack, cpu]): spin and lockref waits per CPU; returns this interval's stacks. */
function countContention(plan: Plan, maps: Pending['maps'], memo: KeyMemo, table: CounterTable): Map<string, StackAcc> {
  const src = plan.source;
  const add = (cpu: number, k: CounterKey, v: number, max = false): void => {
    if (src[k] === 'contention') table.put(cpu, COUNTER_INDEX[k], v, max);
  };
  const stackDelta = new Map<string, StackAcc>();
  const stacksMeasured = src.spinWaits === 'contention' || src.spinNs === 'contention' || plan.lockrefByContention;
  const touchStack = (p: ParsedStack): StackAcc => {
    let d = stackDelta.get(p.stack);
    if (!d) stackDelta.set(p.stack, (d = { stack: p.frames, lockref: p.lockref && plan.lockrefByContention, waits: 0, ns: 0 }));
    return d;
  };
  for (const [key, v] of intervalValues(maps[CONTENTION_MAPS.waits], false)) {
    const p = memo.parseKey(key);
    if (!p) continue;
    add(p.cpu, 'spinWaits', v);
    if (p.lockref && plan.lockrefByContention) add(p.cpu, 'lockrefWaits', v);
    if (stacksMeasured) touchStack(p).waits += v;
  }
  for (const [key, v] of intervalValues(maps[CONTENTION_MAPS.ns], false)) {
    const p = memo.parseKey(key);
    if (!p) continue;
    add(p.cpu, 'spinNs', v);
    if (p.lockref && plan.lockrefByContention) add(p.cpu, 'lockrefNs', v);
    if (stacksMeasured) touchStack(p).ns += v;
  }
  if (plan.lockrefByContention) {
    for (const [key, v] of intervalValues(maps[CONTENTION_MAPS.maxNs], true)) {
      const p = memo.parseKey(key);
      if (p && p.lockref) add(p.cpu, 'lockrefMaxNs', v, true);
    }
  }
  return stackDelta;
}

/** Step 3: the CPUs with a row: online CPUs, plus any CPU the data has named so far (one brought online mid-run keeps its row). */
function rowCpus(prev: readonly number[], state: CaptureState, table: CounterTable, cpuTimes: readonly CpuTimes[]): readonly number[] {
  const extra: number[] = [];
  const known = new Set(prev);
  const see = (c: number) => { if (!known.has(c)) { known.add(c); extra.push(c); } };
  for (const c of state.meta?.host.onlineCpus ?? []) see(c);
  for (const c of table.byCpu.keys()) see(c);
  if (!state.meta) for (const t of cpuTimes) see(t.cpu);
  return extra.length > 0 ? [...prev, ...extra].sort((a, b) => a - b) : prev;
}

/** Step 4: one row per CPU: a measured counter with no entry is 0, an unmeasured one null; CPU percents of the interval. */
function counterRows(cpus: readonly number[], table: CounterTable, pcts: ReturnType<typeof cpuPercents>, src: Plan['source']): CpuRow[] {
  const rows: CpuRow[] = new Array(cpus.length);
  for (let i = 0; i < cpus.length; i++) {
    const cpu = cpus[i]!;
    const c = table.byCpu.get(cpu);
    const p = pcts.get(cpu);
    const v = (k: CounterKey): number | null => {
      if (src[k] === null) return null;
      const x = c ? c[COUNTER_INDEX[k]]! : -1;
      return x < 0 ? 0 : x;
    };
    // a literal with every field, in schema order: one object shape for all rows (fast, compact)
    rows[i] = {
      cpu,
      prCalls: v('prCalls'), prRcuCalls: v('prRcuCalls'), prEchild: v('prEchild'),
      unlazyNextCalls: v('unlazyNextCalls'), unlazyNextFails: v('unlazyNextFails'), unlazyCalls: v('unlazyCalls'), unlazyFails: v('unlazyFails'),
      lockrefCalls: v('lockrefCalls'), lockrefWaits: v('lockrefWaits'), lockrefNs: v('lockrefNs'), lockrefMaxNs: v('lockrefMaxNs'),
      spinWaits: v('spinWaits'), spinNs: v('spinNs'),
      userPct: p ? p.userPct : null, sysPct: p ? p.sysPct : null, idlePct: p ? p.idlePct : null,
    };
  }
  return rows;
}

/** Step 5: the window: a new array with the latest intervals (the oldest drop out; the journal has them). */
function slideWindow(prev: readonly Interval[], interval: Interval, cpuCount: number): Interval[] {
  const keep = intervalWindow(cpuCount);
  const intervals = prev.slice(Math.max(0, prev.length + 1 - keep));
  intervals.push(interval);
  return intervals;
}

/** Step 6a: contention stacks over the run (pruned to the top half by ns past STACK_TRACK_CAP). */
function addStacks(prev: ReadonlyMap<string, StackAcc>, delta: ReadonlyMap<string, StackAcc>): ReadonlyMap<string, StackAcc> {
  if (delta.size === 0) return prev;
  const m = new Map(prev);
  for (const [k, d] of delta) {
    const cur = m.get(k);
    m.set(k, cur ? { ...cur, waits: cur.waits + d.waits, ns: cur.ns + d.ns } : d);
  }
  return m.size > STACK_TRACK_CAP ? new Map([...m].sort((a, b) => b[1].ns - a[1].ns).slice(0, STACK_TRACK_CAP / 2)) : m;
}

/** Step 6b: lockref call sites over the run. */
function addSites(prev: ReadonlyMap<string, number>, plan: Plan, maps: Pending['maps']): ReadonlyMap<string, number> {
  const entries = maps[LOCKREF_SITES];
  if (!entries || plan.source.lockrefCalls === null) return prev;
  const m = new Map(prev);
  for (const [k, v] of intervalValues(entries, false)) m.set(k, (m.get(k) ?? 0) + v);
  return m;
}

/** Step 6c: the lockref histogram per CPU and over all CPUs, from whichever map the plan measures it with. */
function addHistograms(prev: RunAcc, plan: Plan, hists: Pending['hists'], memo: KeyMemo): Pick<RunAcc, 'hist' | 'histAll'> {
  const add = new Map<number, Bucket[]>();
  const addHist = (cpu: number, b: Bucket[]): void => { add.set(cpu, mergeBuckets(add.get(cpu) ?? [], b)); };
  if (plan.histStrategy === 'contention') {
    for (const e of hists[CONTENTION_MAPS.hist] ?? []) {
      const p = memo.parseKey(e.key);
      if (p && p.lockref) addHist(p.cpu, e.buckets);
    }
  } else if (plan.histStrategy !== 'unavailable') {
    for (const e of hists[LOCKREF_HIST] ?? []) {
      const cpu = cpuKey(e.key);
      if (cpu !== null) addHist(cpu, e.buckets);
    }
  }
  if (add.size === 0) return { hist: prev.hist, histAll: prev.histAll };
  const hist = new Map(prev.hist);
  let histAll = prev.histAll;
  for (const [cpu, b] of add) {
    hist.set(cpu, mergeBuckets(hist.get(cpu) ?? [], b));
    histAll = mergeBuckets(histAll, b);
  }
  return { hist, histAll };
}

function closeInterval(state: CaptureState, ev: Extract<CaptureEvent, { type: 'tick' }>): CaptureState {
  const prev = state.acc;
  const plan = planFor(state.meta);
  const attachMs = state.attachMs ?? state.lastTick?.atMs ?? ev.atMs;
  const prevTick = state.lastTick ?? { atMs: attachMs, cpuTimes: [] as CpuTimes[] };
  const { maps, hists } = state.pending;

  const table = new CounterTable();
  countMaps(plan, maps, table);
  state.keyMemo.rotate();
  const stackDelta = countContention(plan, maps, state.keyMemo, table);
  const cpus = rowCpus(prev.cpus, state, table, ev.cpuTimes);
  const pcts = cpuPercents(prevTick.cpuTimes, ev.cpuTimes);
  const rows = counterRows(cpus, table, pcts, plan.source);
  const runs = ev.runsPerWorker ? ev.runsPerWorker.reduce((a, b) => a + b, 0) : null;
  const interval: Interval = {
    seq: prev.n,
    startMs: Math.max(0, prevTick.atMs - attachMs),
    endMs: Math.max(0, ev.atMs - attachMs),
    cpus: rows,
    runs,
    runsPerWorker: ev.runsPerWorker ? ev.runsPerWorker.slice() : null,
    bpfErrors: state.pending.errors,
    lostEvents: state.pending.lost,
  };

  const acc: RunAcc = {
    n: prev.n + 1,
    // each row's percentages weigh the CPU time /proc/stat counted for it
    cpuTotals: addIntervalRows(prev.cpuTotals, interval, (r) => pcts.get(r.cpu)?.secs ?? 0),
    stacks: addStacks(prev.stacks, stackDelta),
    sites: addSites(prev.sites, plan, maps),
    ...addHistograms(prev, plan, hists, state.keyMemo),
    runs: runs === null ? prev.runs : (prev.runs ?? 0) + runs,
    runsPerWorker: addRunsPerWorker(prev.runsPerWorker, ev.runsPerWorker),
    cpus,
  };
  const coverage = cover(state.coverage, interval);
  return {
    ...state,
    attachMs,
    intervals: slideWindow(state.intervals, interval, cpus.length),
    intervalCount: acc.n,
    coverage,
    totals: runTotals(acc.cpuTotals, acc.runs, acc.runsPerWorker, coverage),
    histograms: acc.hist === prev.hist && state.histograms.lockrefNs.strategy === plan.histStrategy
      ? state.histograms
      : { lockrefNs: histogramOf(plan.histStrategy, acc.hist, acc.histAll) },
    lockrefCallsites: acc.sites === prev.sites ? state.lockrefCallsites
      : [...acc.sites].map(([site, calls]) => ({ site, calls })).sort((a, b) => b.calls - a.calls || (a.site < b.site ? -1 : 1)),
    contentionStacks: acc.stacks === prev.stacks ? state.contentionStacks : topStacks(acc.stacks),
    pending: emptyPending(),
    lastTick: { atMs: ev.atMs, cpuTimes: ev.cpuTimes },
    acc,
  };
}

function topStacks(stacks: ReadonlyMap<string, StackAcc>): CaptureState['contentionStacks'] {
  return [...stacks.values()]
    .sort((a, b) => b.ns - a.ns || b.waits - a.waits)
    .slice(0, TOP_STACKS)
    .map((s) => ({ stack: s.stack.slice(), lockref: s.lockref, waits: s.waits, ns: s.ns }));
}

function histogramOf(strategy: Strategy, hist: ReadonlyMap<number, Bucket[]>, all: Bucket[]): Histogram {
  const cpus = [...hist].sort((a, b) => a[0] - b[0]).map(([cpu, buckets]) => ({ cpu, buckets }));
  return { strategy, all, cpus };
}

// ---- the reducer

/** One more of `message`: its count + 1, or a new sample while fewer than MAX_ERROR_SAMPLES are kept. */
function addSample(samples: CaptureState['bpfErrorSamples'], message: string): CaptureState['bpfErrorSamples'] {
  const i = samples.findIndex((x) => x.message === message);
  if (i >= 0) return samples.map((x, k) => (k === i ? { message, count: x.count + 1 } : x));
  return samples.length < MAX_ERROR_SAMPLES ? [...samples, { message, count: 1 }] : samples;
}

export function reduce(state: CaptureState, event: CaptureEvent): CaptureState {
  switch (event.type) {
    case 'meta': {
      const plan = planFor(event.meta);
      const histograms = state.histograms.lockrefNs.strategy === plan.histStrategy ? state.histograms
        : { lockrefNs: { ...state.histograms.lockrefNs, strategy: plan.histStrategy } };
      return { ...state, meta: event.meta, histograms };
    }
    case 'phase':
      return state.phase === event.phase ? state : { ...state, phase: event.phase };
    case 'attached':
      // the first interval starts here: anything printed before belongs to no interval
      return { ...state, attachMs: event.atMs, lastTick: { atMs: event.atMs, cpuTimes: event.cpuTimes }, pending: emptyPending() };
    case 'bpf': {
      const r = event.record;
      switch (r.kind) {
        case 'map':
          return { ...state, pending: { ...state.pending, maps: appendPending(state.pending.maps, r.name, r.entries) } };
        case 'hist':
          return { ...state, pending: { ...state.pending, hists: appendPending<HistEntry>(state.pending.hists, r.name, r.entries) } };
        case 'lost':
          return r.events > 0 ? { ...state, lostEvents: state.lostEvents + r.events, pending: { ...state.pending, lost: state.pending.lost + r.events } } : state;
        case 'error':
          return {
            ...state,
            bpfErrors: state.bpfErrors + 1,
            bpfErrorSamples: addSample(state.bpfErrorSamples, r.message),
            pending: { ...state.pending, errors: state.pending.errors + 1 },
          };
        default:
          return state;
      }
    }
    case 'tick':
      return closeInterval(state, event);
    case 'end':
      return {
        ...state,
        end: { atMs: event.atMs, endedAt: event.endedAt, reason: event.reason, error: event.error },
        phase: event.reason === 'error' ? 'failed' : 'done',
      };
    default:
      return state;
  }
}

/** Reduce a whole event list from the initial state. */
export function reduceAll(events: Iterable<CaptureEvent>, from: CaptureState = initialState()): CaptureState {
  let s = from;
  for (const e of events) s = reduce(s, e);
  return s;
}

