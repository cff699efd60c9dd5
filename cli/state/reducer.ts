// The capture reducer: CaptureState x CaptureEvent -> CaptureState. Pure: no I/O, no clock; same inputs, same output.
//
// Events: 'bpf' records accumulate in `pending` (a map printed twice before a tick sums; max maps take the max);
// 'tick' closes the open interval: one row per online CPU, run totals, histograms, call sites, contention stacks,
// CPU percents against `lastTick`. 'tick'.runsPerWorker holds the runs completed in that interval (per worker).
//
// Efficiency (a long run at 1 s on 128 CPUs is 3600+ intervals): `intervals` is append-only and SHARED between
// successive states: reducing a tick pushes the new interval onto the same array and returns a new state object
// holding it. Interval objects are never modified. Each state remembers how many intervals it owns (a hidden
// symbol-keyed field, skipped by JSON); reducing a tick on an older state (a fork) first copies its own prefix,
// so results are always as if arrays were copied. Readers must take `state.intervals` as the current state's
// list: an older state object's array may have grown since. Everything else is copied on write per tick, O(cpus).
import type { Bucket, CpuMetrics, CpuRow, Histogram, Interval, MetricSource, Strategy, Totals } from '../schema/types.generated.js';
import type { HistEntry, MapEntry } from '../bpftrace/records.js';
import type { CaptureEvent, CaptureMeta, CpuTimes } from './events.js';
import type { CaptureState } from './state.js';
import { CONTENTION_MAPS, CPU_MAPS, LOCKREF_HIST, LOCKREF_SITES, LOCKREF_SYMBOL } from '../probes/map-names.js';
import { COUNTER_KEYS, MAX_KEYS, PERCENT_KEYS, emptyMetrics, type CounterKey } from './metrics.js';
import { cpuPercents } from './cpu-percent.js';
import { canonicalStack, cpuKey, stackCpuKey, stackFrames, stackHolds } from '../bpftrace/keys.js';
import { mergeBuckets } from '../bpftrace/buckets.js';

/** contention stacks kept in a capture (by ns) */
export const TOP_STACKS = 50;
/** distinct stacks tracked while running before pruning to the top half */
const STACK_TRACK_CAP = 2000;

const MAX_MAP_NAMES: ReadonlySet<string> = new Set([CPU_MAPS.lockrefMaxNs, CONTENTION_MAPS.maxNs]);

interface StackAcc { stack: string[]; lockref: boolean; waits: number; ns: number }
interface PctAcc { w: number; u: number; s: number; i: number }
/** Hidden run accumulators; replaced (copy on write) on every tick, never mutated once published. */
interface Acc {
  /** intervals this state owns (see the header) */
  n: number;
  pct: ReadonlyMap<number, PctAcc>;
  stacks: ReadonlyMap<string, StackAcc>;
  sites: ReadonlyMap<string, number>;
  hist: ReadonlyMap<number, Bucket[]>;
  runs: number | null;
  runsPerWorker: number[] | null;
}
const ACC: unique symbol = Symbol('rcuwalk.reducer.acc');
type Internal = CaptureState & { [ACC]?: Acc };

function emptyAcc(): Acc {
  return { n: 0, pct: new Map(), stacks: new Map(), sites: new Map(), hist: new Map(), runs: null, runsPerWorker: null };
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
  return (s as Internal)[ACC] ?? { ...emptyAcc(), n: s.intervals.length };
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

function closeInterval(state: CaptureState, ev: Extract<CaptureEvent, { type: 'tick' }>): CaptureState {
  const prevAcc = accOf(state);
  const plan = planFor(state.meta);
  const attachMs = state.attachMs ?? state.lastTick?.atMs ?? ev.atMs;
  const prevTick = state.lastTick ?? { atMs: attachMs, cpuTimes: [] as CpuTimes[] };
  const maps = state.pending.maps;
  const hists = state.pending.hists;

  // per-CPU counters of this interval
  const perCpu = new Map<number, Partial<Record<CounterKey, number>>>();
  const cell = (cpu: number): Partial<Record<CounterKey, number>> => {
    let c = perCpu.get(cpu);
    if (!c) perCpu.set(cpu, (c = {}));
    return c;
  };
  for (const k of COUNTER_KEYS) {
    if (plan.source[k] !== 'map') continue;
    const name = (CPU_MAPS as Record<string, string>)[k]!;
    for (const [key, v] of combine(maps[name], MAX_MAP_NAMES.has(name))) {
      const cpu = cpuKey(key);
      if (cpu !== null) cell(cpu)[k] = v;
    }
  }

  // contention maps: keyed by [kstack, cpu]
  const parsedKeys = new Map<string, Parsed & { cpu: number }>();
  const parseKey = (key: string): (Parsed & { cpu: number }) | null => {
    let p = parsedKeys.get(key);
    if (p) return p;
    const sc = stackCpuKey(key);
    if (!sc) return null;
    const frames = stackFrames(sc.stack);
    p = { stack: frames.join('\n'), frames, lockref: stackHolds(frames, LOCKREF_SYMBOL), cpu: sc.cpu };
    parsedKeys.set(key, p);
    return p;
  };
  const cwN = combine(maps[CONTENTION_MAPS.waits], false);
  const cwNs = combine(maps[CONTENTION_MAPS.ns], false);
  const cwMax = combine(maps[CONTENTION_MAPS.maxNs], true);
  const src = plan.source;
  const addC = (cpu: number, k: CounterKey, v: number, max = false): void => {
    if (src[k] !== 'contention') return;
    const c = cell(cpu);
    const cur = c[k];
    c[k] = cur === undefined ? v : max ? Math.max(cur, v) : cur + v;
  };
  const stackDelta = new Map<string, StackAcc>();
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
    touchStack(p).waits += v;
  }
  for (const [key, v] of cwNs) {
    const p = parseKey(key);
    if (!p) continue;
    addC(p.cpu, 'spinNs', v);
    if (p.lockref && plan.lockrefByContention) addC(p.cpu, 'lockrefNs', v);
    touchStack(p).ns += v;
  }
  if (plan.lockrefByContention) {
    for (const [key, v] of cwMax) {
      const p = parseKey(key);
      if (p && p.lockref) addC(p.cpu, 'lockrefMaxNs', v, true);
    }
  }

  // CPU set: online CPUs, plus any CPU the data names
  const cpuSet = new Set<number>(state.meta?.host.onlineCpus ?? []);
  for (const cpu of perCpu.keys()) cpuSet.add(cpu);
  if (!state.meta) for (const t of ev.cpuTimes) cpuSet.add(t.cpu);
  const cpus = [...cpuSet].sort((a, b) => a - b);

  const pcts = cpuPercents(prevTick.cpuTimes, ev.cpuTimes);
  const rows: CpuRow[] = new Array(cpus.length);
  for (let i = 0; i < cpus.length; i++) {
    const cpu = cpus[i]!;
    const c = perCpu.get(cpu);
    const row = { cpu } as CpuRow;
    for (const k of COUNTER_KEYS) row[k] = src[k] === null ? null : (c?.[k] ?? 0);
    const p = pcts.get(cpu);
    row.userPct = p ? p.userPct : null;
    row.sysPct = p ? p.sysPct : null;
    row.idlePct = p ? p.idlePct : null;
    rows[i] = row;
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

  // intervals: append in place unless this state is not the array's latest owner
  const intervals = state.intervals.length === prevAcc.n ? state.intervals : state.intervals.slice(0, prevAcc.n);
  intervals.push(interval);

  // run accumulators (copy on write)
  const pctAcc = new Map(prevAcc.pct);
  for (const [cpu, p] of pcts) {
    const a = pctAcc.get(cpu) ?? { w: 0, u: 0, s: 0, i: 0 };
    pctAcc.set(cpu, { w: a.w + p.ticks, u: a.u + p.userPct * p.ticks, s: a.s + p.sysPct * p.ticks, i: a.i + p.idlePct * p.ticks });
  }
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
  if (histAdd.size > 0) {
    const m = new Map(prevAcc.hist);
    for (const [cpu, b] of histAdd) m.set(cpu, mergeBuckets(m.get(cpu) ?? [], b));
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
  const acc: Acc = { n: prevAcc.n + 1, pct: pctAcc, stacks, sites, hist, runs: totalRuns, runsPerWorker };

  const elapsedMs = interval.endMs - (intervals[0]?.startMs ?? 0);
  const next: CaptureState = {
    ...state,
    attachMs,
    intervals,
    totals: addTotals(state.totals, rows, pctAcc, totalRuns, runsPerWorker, elapsedMs),
    histograms: hist === prevAcc.hist && state.histograms.lockrefNs.strategy === plan.histStrategy
      ? state.histograms
      : { lockrefNs: histogramOf(plan.histStrategy, hist) },
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

function histogramOf(strategy: Strategy, hist: ReadonlyMap<number, Bucket[]>): Histogram {
  const cpus = [...hist].sort((a, b) => a[0] - b[0]).map(([cpu, buckets]) => ({ cpu, buckets: buckets.map((b) => ({ ...b })) }));
  let all: Bucket[] = [];
  for (const c of cpus) all = mergeBuckets(all, c.buckets);
  return { strategy, all, cpus };
}

function addTotals(
  prev: Totals, rows: readonly CpuRow[], pct: ReadonlyMap<number, PctAcc>,
  runs: number | null, runsPerWorker: number[] | null, elapsedMs: number,
): Totals {
  const byCpu = new Map<number, CpuRow>();
  for (const r of prev.cpus) byCpu.set(r.cpu, r);
  for (const r of rows) {
    const old = byCpu.get(r.cpu);
    const t = { cpu: r.cpu } as CpuRow;
    for (const k of COUNTER_KEYS) {
      const a = old ? old[k] : null;
      const b = r[k];
      t[k] = b === null ? a : a === null ? b : MAX_KEYS.has(k) ? Math.max(a, b) : a + b;
    }
    byCpu.set(r.cpu, t);
  }
  const cpus = [...byCpu.values()].sort((a, b) => a.cpu - b.cpu).map((r) => (rows.includes(r) ? r : { ...r }));
  const all: CpuMetrics = emptyMetrics();
  let w = 0, u = 0, s = 0, i = 0;
  for (const r of cpus) {
    const p = pct.get(r.cpu);
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
    runsPerSec: runs === null || !(elapsedMs > 0) ? null : runs / (elapsedMs / 1000),
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
      return { ...state, attachMs: event.atMs, lastTick: { atMs: event.atMs, cpuTimes: event.cpuTimes } };
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

export { canonicalStack };
