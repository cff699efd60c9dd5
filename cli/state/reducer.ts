// The capture reducer: CaptureState x CaptureEvent -> CaptureState. Pure: no I/O, no clock; same inputs, same output.
//
// Events: 'bpf' records accumulate in `pending` (a map printed twice before a tick sums; max maps take the max);
// 'tick' closes the open interval: one row per online CPU, run totals, histograms, call sites, contention stacks,
// CPU percents against `lastTick`. 'tick'.runsPerWorker holds the runs completed in that interval (per worker).
//
// Memory (a long run at 100 ms is 6000+ intervals; 128 CPUs x 1 h at 1 s is 460k CPU rows): `intervals` is a bounded
// window of the latest intervals (intervalWindow(cpus), see state.ts), not the run: every closed interval goes to
// the journal (the engine appends it), and the capture file is streamed from there. `intervalCount` counts them all,
// `firstIntervalStartMs` keeps the run's start once its first interval left the window. Reducing a tick builds a new
// window array (at most WINDOW_MAX pointers copied) and a new state; interval objects and published arrays are never
// modified, so any older state (a fork, a paused TUI frame) stays as it was. The run accumulators live in a hidden
// symbol-keyed field (skipped by JSON), copied on write per tick, O(cpus).
import type { Bucket, CpuMetrics, CpuRow, Histogram, Interval, MetricSource, Strategy, Totals } from '../schema/types.generated.js';
import type { HistEntry, MapEntry } from '../bpftrace/records.js';
import type { CaptureEvent, CaptureMeta, CpuTimes } from './events.js';
import { intervalWindow, type CaptureState } from './state.js';
import { CONTENTION_MAPS, CPU_MAPS, LOCKREF_HIST, LOCKREF_SITES, LOCKREF_SYMBOL } from '../probes/map-names.js';
import { runsPerSecond } from '../metrics/catalogue.js';
import { COUNTER_KEYS, MAX_KEYS, PERCENT_KEYS, emptyMetrics, type CounterKey } from './metrics.js';
import { cpuPercents } from './cpu-percent.js';
import { cpuKey, stackCpuKey, stackFrames, stackHolds } from '../bpftrace/keys.js';
import { mergeBuckets } from '../bpftrace/buckets.js';

/** contention stacks kept in a capture (by ns) */
export const TOP_STACKS = 50;
/** distinct stacks tracked while running before pruning to the top half */
const STACK_TRACK_CAP = 2000;

const N_COUNTERS = COUNTER_KEYS.length;
const COUNTER_INDEX = Object.fromEntries(COUNTER_KEYS.map((k, i) => [k, i])) as Record<CounterKey, number>;

const MAX_MAP_NAMES: ReadonlySet<string> = new Set([CPU_MAPS.lockrefMaxNs, CONTENTION_MAPS.maxNs]);

interface StackAcc { stack: string[]; lockref: boolean; waits: number; ns: number }
/** Time-weighted percent sums per CPU: slot(cpu) -> 4 floats (weight, user, sys, idle) in `data`. Copied per tick
 * as one typed array (no per-CPU objects). */
interface PctAcc { slot: ReadonlyMap<number, number>; data: Float64Array }
const emptyPct = (): PctAcc => ({ slot: new Map(), data: new Float64Array(0) });
function pctGet(p: PctAcc, cpu: number): { w: number; u: number; s: number; i: number } | undefined {
  const k = p.slot.get(cpu);
  if (k === undefined) return undefined;
  const d = p.data;
  return { w: d[k]!, u: d[k + 1]!, s: d[k + 2]!, i: d[k + 3]! };
}
/** Hidden run accumulators; replaced (copy on write) on every tick, never mutated once published. */
interface Acc {
  /** intervals closed so far (= state.intervalCount) */
  n: number;
  pct: PctAcc;
  stacks: ReadonlyMap<string, StackAcc>;
  sites: ReadonlyMap<string, number>;
  hist: ReadonlyMap<number, Bucket[]>;
  /** the histogram over all CPUs (bucket arrays are never modified once built, so they are shared) */
  histAll: Bucket[];
  runs: number | null;
  runsPerWorker: number[] | null;
  /** CPUs that get a row in every interval: online ones and any named by the data so far, sorted */
  cpus: readonly number[];
}
const ACC: unique symbol = Symbol('rcuwalk.reducer.acc');
type Internal = CaptureState & { [ACC]?: Acc };

function emptyAcc(): Acc {
  return { n: 0, pct: emptyPct(), stacks: new Map(), sites: new Map(), hist: new Map(), histAll: [], runs: null, runsPerWorker: null, cpus: [] };
}

function emptyHistogram(strategy: Strategy): Histogram {
  return { strategy, all: [], cpus: [] };
}

function emptyTotals(): Totals {
  return { all: emptyMetrics(), cpus: [], runs: null, runsPerSec: null, runsPerWorker: null };
}

export function initialState(): CaptureState {
  const s: Internal = {
    phase: 'resolving',
    meta: null,
    attachMs: null,
    intervals: [],
    intervalCount: 0,
    firstIntervalStartMs: null,
    totals: emptyTotals(),
    histograms: { lockrefNs: emptyHistogram('unavailable') },
    lockrefCallsites: [],
    contentionStacks: [],
    lostEvents: 0,
    end: null,
    pending: { maps: {}, hists: {} },
    lastTick: null,
  };
  s[ACC] = emptyAcc();
  return s;
}

function accOf(s: CaptureState): Acc {
  return (s as Internal)[ACC] ?? { ...emptyAcc(), n: s.intervalCount };
}

function withAcc(s: CaptureState, acc: Acc): CaptureState {
  (s as Internal)[ACC] = acc;
  return s;
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
function combine(entries: readonly MapEntry[] | undefined, useMax: boolean): Map<string, number> {
  const m = new Map<string, number>();
  if (!entries) return m;
  for (const e of entries) {
    const cur = m.get(e.key);
    m.set(e.key, cur === undefined ? e.value : useMax ? Math.max(cur, e.value) : cur + e.value);
  }
  return m;
}

// ---- tick

interface Parsed { stack: string; frames: string[]; lockref: boolean }

// Parsed "<kstack>,<cpu>" keys, shared by every interval and state: the same keys come back every interval (V8
// internalizes JSON keys, so looking them up is cheap), and splitting them was most of a 128-CPU tick. A memo of a
// pure function, so the reducer stays pure. Two generations, rotated every KEY_GENERATION_TICKS ticks: it holds the
// keys seen lately (a long run meets ever more distinct stacks; memory stays flat), never more than KEYS_CAP.
type ParsedKey = (Parsed & { cpu: number }) | null;
const KEY_GENERATION_TICKS = 64;
const KEYS_CAP = 100_000;
let keysNow = new Map<string, ParsedKey>();
let keysBefore = new Map<string, ParsedKey>();
// stack texts (a stack comes once per CPU it ran on): the same two generations
let stacksNow = new Map<string, Parsed>();
let stacksBefore = new Map<string, Parsed>();
let ticksInGeneration = 0;
function rotateKeyMemo(): void {
  if (++ticksInGeneration < KEY_GENERATION_TICKS && keysNow.size < KEYS_CAP) return;
  ticksInGeneration = 0;
  keysBefore = keysNow;
  keysNow = new Map();
  stacksBefore = stacksNow;
  stacksNow = new Map();
}
function parseStack(text: string): Parsed {
  let p = stacksNow.get(text) ?? stacksBefore.get(text);
  if (!p) {
    const frames = stackFrames(text);
    p = { stack: frames.join('\n'), frames, lockref: stackHolds(frames, LOCKREF_SYMBOL) };
  }
  stacksNow.set(text, p);
  return p;
}
function parseKey(key: string): ParsedKey {
  let p = keysNow.get(key);
  if (p !== undefined) return p;
  p = keysBefore.get(key);
  if (p === undefined) {
    const sc = stackCpuKey(key);
    const st = sc && parseStack(sc.stack);
    // written out field by field: every parsed key has one object shape (a spread made ticks 2.5x slower)
    p = sc && st ? { stack: st.stack, frames: st.frames, lockref: st.lockref, cpu: sc.cpu } : null;
  }
  keysNow.set(key, p);
  return p;
}

function closeInterval(state: CaptureState, ev: Extract<CaptureEvent, { type: 'tick' }>): CaptureState {
  const prevAcc = accOf(state);
  const plan = planFor(state.meta);
  const attachMs = state.attachMs ?? state.lastTick?.atMs ?? ev.atMs;
  const prevTick = state.lastTick ?? { atMs: attachMs, cpuTimes: [] as CpuTimes[] };
  const maps = state.pending.maps;
  const hists = state.pending.hists;

  // per-CPU counters of this interval: one array per CPU, indexed like COUNTER_KEYS, -1 = no entry yet
  const perCpu = new Map<number, number[]>();
  const cell = (cpu: number): number[] => {
    let c = perCpu.get(cpu);
    if (!c) perCpu.set(cpu, (c = new Array<number>(N_COUNTERS).fill(-1)));
    return c;
  };
  const put = (c: number[], i: number, v: number, max: boolean): void => {
    const cur = c[i]!;
    c[i] = cur < 0 ? v : max ? (v > cur ? v : cur) : cur + v;
  };
  for (let i = 0; i < N_COUNTERS; i++) {
    const k = COUNTER_KEYS[i]!;
    if (plan.source[k] !== 'map') continue;
    const name = (CPU_MAPS as Record<string, string>)[k]!;
    const entries = maps[name];
    if (!entries) continue;
    const max = MAX_MAP_NAMES.has(name);
    for (const e of entries) {
      const cpu = cpuKey(e.key);
      if (cpu !== null) put(cell(cpu), i, e.value, max);
    }
  }

  // contention maps: keyed by [kstack, cpu] (parseKey)
  rotateKeyMemo();
  const cwN = combine(maps[CONTENTION_MAPS.waits], false);
  const cwNs = combine(maps[CONTENTION_MAPS.ns], false);
  const cwMax = combine(maps[CONTENTION_MAPS.maxNs], true);
  const src = plan.source;
  const addC = (cpu: number, k: CounterKey, v: number, max = false): void => {
    if (src[k] !== 'contention') return;
    put(cell(cpu), COUNTER_INDEX[k], v, max);
  };
  const stackDelta = new Map<string, StackAcc>();
  const stacksMeasured = src.spinWaits === 'contention' || src.spinNs === 'contention' || plan.lockrefByContention;
  const touchStack = (p: Parsed): StackAcc => {
    let d = stackDelta.get(p.stack);
    if (!d) stackDelta.set(p.stack, (d = { stack: p.frames, lockref: p.lockref && plan.lockrefByContention, waits: 0, ns: 0 }));
    return d;
  };
  for (const [key, v] of cwN) {
    const p = parseKey(key);
    if (!p) continue;
    addC(p.cpu, 'spinWaits', v);
    if (p.lockref && plan.lockrefByContention) addC(p.cpu, 'lockrefWaits', v);
    if (stacksMeasured) touchStack(p).waits += v;
  }
  for (const [key, v] of cwNs) {
    const p = parseKey(key);
    if (!p) continue;
    addC(p.cpu, 'spinNs', v);
    if (p.lockref && plan.lockrefByContention) addC(p.cpu, 'lockrefNs', v);
    if (stacksMeasured) touchStack(p).ns += v;
  }
  if (plan.lockrefByContention) {
    for (const [key, v] of cwMax) {
      const p = parseKey(key);
      if (p && p.lockref) addC(p.cpu, 'lockrefMaxNs', v, true);
    }
  }

  // CPU set: online CPUs, plus any CPU the data has named so far (a CPU brought online mid-run keeps its row)
  let cpus = prevAcc.cpus;
  const online = state.meta?.host.onlineCpus ?? [];
  const extra: number[] = [];
  const known = new Set(cpus);
  for (const c of online) if (!known.has(c)) { known.add(c); extra.push(c); }
  for (const c of perCpu.keys()) if (!known.has(c)) { known.add(c); extra.push(c); }
  if (!state.meta) for (const t of ev.cpuTimes) if (!known.has(t.cpu)) { known.add(t.cpu); extra.push(t.cpu); }
  if (extra.length > 0) cpus = [...cpus, ...extra].sort((a, b) => a - b);

  const pcts = cpuPercents(prevTick.cpuTimes, ev.cpuTimes);
  const rows: CpuRow[] = new Array(cpus.length);
  for (let i = 0; i < cpus.length; i++) {
    const cpu = cpus[i]!;
    const c = perCpu.get(cpu);
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

  const runs = ev.runsPerWorker ? ev.runsPerWorker.reduce((a, b) => a + b, 0) : null;
  const interval: Interval = {
    seq: prevAcc.n,
    startMs: Math.max(0, prevTick.atMs - attachMs),
    endMs: Math.max(0, ev.atMs - attachMs),
    cpus: rows,
    runs,
    runsPerWorker: ev.runsPerWorker ? ev.runsPerWorker.slice() : null,
  };

  // the window: a new array with the latest intervals (the oldest drop out; the journal has them)
  const keep = intervalWindow(cpus.length);
  const prevIv = state.intervals;
  const from = Math.max(0, prevIv.length + 1 - keep);
  const intervals = prevIv.slice(from);
  intervals.push(interval);

  // run accumulators (copy on write)
  let slot = prevAcc.pct.slot;
  for (const cpu of pcts.keys()) {
    if (slot.has(cpu)) continue;
    if (slot === prevAcc.pct.slot) slot = new Map(slot);
    (slot as Map<number, number>).set(cpu, slot.size * 4);
  }
  const data = new Float64Array(slot.size * 4);
  data.set(prevAcc.pct.data);
  for (const [cpu, p] of pcts) {
    const k = slot.get(cpu)!;
    data[k] = data[k]! + p.ticks;
    data[k + 1] = data[k + 1]! + p.userPct * p.ticks;
    data[k + 2] = data[k + 2]! + p.sysPct * p.ticks;
    data[k + 3] = data[k + 3]! + p.idlePct * p.ticks;
  }
  const pctAcc: PctAcc = { slot, data };
  let stacks: ReadonlyMap<string, StackAcc> = prevAcc.stacks;
  if (stackDelta.size > 0) {
    const m = new Map(prevAcc.stacks);
    for (const [k, d] of stackDelta) {
      const cur = m.get(k);
      m.set(k, cur ? { ...cur, waits: cur.waits + d.waits, ns: cur.ns + d.ns } : d);
    }
    stacks = m.size > STACK_TRACK_CAP ? new Map([...m].sort((a, b) => b[1].ns - a[1].ns).slice(0, STACK_TRACK_CAP / 2)) : m;
  }
  let sites: ReadonlyMap<string, number> = prevAcc.sites;
  const siteEntries = maps[LOCKREF_SITES];
  if (siteEntries && plan.source.lockrefCalls !== null) {
    const m = new Map(prevAcc.sites);
    for (const [k, v] of combine(siteEntries, false)) m.set(k, (m.get(k) ?? 0) + v);
    sites = m;
  }
  let hist: ReadonlyMap<number, Bucket[]> = prevAcc.hist;
  const histAdd = new Map<number, Bucket[]>();
  const addHist = (cpu: number, b: Bucket[]): void => {
    histAdd.set(cpu, mergeBuckets(histAdd.get(cpu) ?? [], b));
  };
  if (plan.histStrategy === 'contention') {
    for (const e of hists[CONTENTION_MAPS.hist] ?? []) {
      const p = parseKey(e.key);
      if (p && p.lockref) addHist(p.cpu, e.buckets);
    }
  } else if (plan.histStrategy !== 'unavailable') {
    for (const e of hists[LOCKREF_HIST] ?? []) {
      const cpu = cpuKey(e.key);
      if (cpu !== null) addHist(cpu, e.buckets);
    }
  }
  let histAll = prevAcc.histAll;
  if (histAdd.size > 0) {
    const m = new Map(prevAcc.hist);
    for (const [cpu, b] of histAdd) {
      m.set(cpu, mergeBuckets(m.get(cpu) ?? [], b));
      histAll = mergeBuckets(histAll, b);
    }
    hist = m;
  }
  let runsPerWorker = prevAcc.runsPerWorker;
  if (ev.runsPerWorker) {
    const len = Math.max(ev.runsPerWorker.length, runsPerWorker?.length ?? 0);
    const next = new Array<number>(len);
    for (let i = 0; i < len; i++) next[i] = (runsPerWorker?.[i] ?? 0) + (ev.runsPerWorker[i] ?? 0);
    runsPerWorker = next;
  }
  const totalRuns = runs === null ? prevAcc.runs : (prevAcc.runs ?? 0) + runs;
  const acc: Acc = { n: prevAcc.n + 1, pct: pctAcc, stacks, sites, hist, histAll, runs: totalRuns, runsPerWorker, cpus };

  const firstIntervalStartMs = state.firstIntervalStartMs ?? interval.startMs;
  const elapsedMs = interval.endMs - firstIntervalStartMs;
  const next: CaptureState = {
    ...state,
    attachMs,
    intervals,
    intervalCount: acc.n,
    firstIntervalStartMs,
    totals: addTotals(state.totals, rows, pctAcc, totalRuns, runsPerWorker, elapsedMs),
    histograms: hist === prevAcc.hist && state.histograms.lockrefNs.strategy === plan.histStrategy
      ? state.histograms
      : { lockrefNs: histogramOf(plan.histStrategy, hist, histAll) },
    lockrefCallsites: sites === prevAcc.sites ? state.lockrefCallsites
      : [...sites].map(([site, calls]) => ({ site, calls })).sort((a, b) => b.calls - a.calls || (a.site < b.site ? -1 : 1)),
    contentionStacks: stacks === prevAcc.stacks ? state.contentionStacks : topStacks(stacks),
    pending: { maps: {}, hists: {} },
    lastTick: { atMs: ev.atMs, cpuTimes: ev.cpuTimes },
  };
  return withAcc(next, acc);
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

function add(a: number | null, b: number | null): number | null {
  return b === null ? a : a === null ? b : a + b;
}
function max(a: number | null, b: number | null): number | null {
  return b === null ? a : a === null ? b : a > b ? a : b;
}

function addTotals(
  prev: Totals, rows: readonly CpuRow[], pct: PctAcc,
  runs: number | null, runsPerWorker: number[] | null, elapsedMs: number,
): Totals {
  // every row is a new object (the pct fields are set below); old rows are never modified
  const byCpu = new Map<number, CpuRow>();
  for (const r of prev.cpus) byCpu.set(r.cpu, r);
  const merged = new Map<number, CpuRow>();
  for (const r of rows) {
    const o = byCpu.get(r.cpu);
    merged.set(r.cpu, o ? {
      cpu: r.cpu,
      prCalls: add(o.prCalls, r.prCalls), prRcuCalls: add(o.prRcuCalls, r.prRcuCalls), prEchild: add(o.prEchild, r.prEchild),
      unlazyNextCalls: add(o.unlazyNextCalls, r.unlazyNextCalls), unlazyNextFails: add(o.unlazyNextFails, r.unlazyNextFails),
      unlazyCalls: add(o.unlazyCalls, r.unlazyCalls), unlazyFails: add(o.unlazyFails, r.unlazyFails),
      lockrefCalls: add(o.lockrefCalls, r.lockrefCalls), lockrefWaits: add(o.lockrefWaits, r.lockrefWaits),
      lockrefNs: add(o.lockrefNs, r.lockrefNs), lockrefMaxNs: max(o.lockrefMaxNs, r.lockrefMaxNs),
      spinWaits: add(o.spinWaits, r.spinWaits), spinNs: add(o.spinNs, r.spinNs),
      userPct: null, sysPct: null, idlePct: null,
    } : { ...r, userPct: null, sysPct: null, idlePct: null });
  }
  for (const [cpu, r] of byCpu) if (!merged.has(cpu)) merged.set(cpu, { ...r });
  const cpus = [...merged.values()].sort((a, b) => a.cpu - b.cpu);
  const all: CpuMetrics = emptyMetrics();
  let w = 0, u = 0, s = 0, i = 0;
  for (const r of cpus) {
    const p = pctGet(pct, r.cpu);
    if (p && p.w > 0) {
      r.userPct = p.u / p.w; r.sysPct = p.s / p.w; r.idlePct = p.i / p.w;
      w += p.w; u += p.u; s += p.s; i += p.i;
    } else {
      r.userPct = null; r.sysPct = null; r.idlePct = null;
    }
    for (const k of COUNTER_KEYS) {
      const v = r[k];
      if (v === null) continue;
      const a = all[k];
      all[k] = a === null ? v : MAX_KEYS.has(k) ? Math.max(a, v) : a + v;
    }
  }
  if (w > 0) { all.userPct = u / w; all.sysPct = s / w; all.idlePct = i / w; }
  for (const k of PERCENT_KEYS) if (all[k] !== null) all[k] = clampPct(all[k]!);
  return {
    all,
    cpus,
    runs,
    runsPerSec: runsPerSecond(runs, elapsedMs / 1000),
    runsPerWorker: runsPerWorker ? runsPerWorker.slice() : null,
  };
}

function clampPct(x: number): number {
  return x < 0 ? 0 : x > 100 ? 100 : x;
}

// ---- the reducer

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
      return { ...state, attachMs: event.atMs, lastTick: { atMs: event.atMs, cpuTimes: event.cpuTimes }, pending: { maps: {}, hists: {} } };
    case 'bpf': {
      const r = event.record;
      switch (r.kind) {
        case 'map':
          return { ...state, pending: { maps: appendPending(state.pending.maps, r.name, r.entries), hists: state.pending.hists } };
        case 'hist':
          return { ...state, pending: { maps: state.pending.maps, hists: appendPending<HistEntry>(state.pending.hists, r.name, r.entries) } };
        case 'lost':
          return r.events > 0 ? { ...state, lostEvents: state.lostEvents + r.events } : state;
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

