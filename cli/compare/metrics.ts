// The metrics `compare` (and the gate, the report, sweep) talk about: names, units, the capture fields they
// come from, and how to compute them as normalized rates (per second, per ps run) so captures of different
// lengths compare. Pure functions over a Capture.
import type { Capture, CpuMetrics, Interval, Target } from '../schema/types.generated.js';

export type Field = keyof CpuMetrics;

/** Sums of the counters over a set of CPU rows (null: the field is null on every row), mean of the percents. */
export type Agg = Record<Field, number | null>;

const PCT_FIELDS: ReadonlySet<Field> = new Set(['userPct', 'sysPct', 'idlePct']);
const MAX_FIELDS: ReadonlySet<Field> = new Set(['lockrefMaxNs']);

export function aggregate(rows: readonly CpuMetrics[]): Agg {
  const out = {} as Agg;
  for (const f of FIELDS) {
    let acc: number | null = null, n = 0;
    for (const r of rows) {
      const v = r[f];
      if (v === null || v === undefined) continue;
      n++;
      acc = acc === null ? v : MAX_FIELDS.has(f) ? Math.max(acc, v) : acc + v;
    }
    out[f] = acc !== null && PCT_FIELDS.has(f) ? acc / n : acc;
  }
  return out;
}

export const FIELDS: readonly Field[] = [
  'prCalls', 'prRcuCalls', 'prEchild', 'unlazyNextCalls', 'unlazyNextFails', 'unlazyCalls', 'unlazyFails',
  'lockrefCalls', 'lockrefWaits', 'lockrefNs', 'lockrefMaxNs', 'spinWaits', 'spinNs', 'userPct', 'sysPct', 'idlePct',
];

/** One sample's context: its counters, its length in seconds, the workload runs it completed (null: no workload). */
export interface SampleCtx { agg: Agg; secs: number; runs: number | null }

export interface MetricDef {
  /** name used by --fail-if, JSON and CSV; the suffix carries the unit */
  id: string;
  label: string;
  unit: string;
  /** capture fields the metric is computed from (their strategies must agree between the captures compared) */
  fields: Field[];
  /** also meaningful for one CPU (--per-cpu): per-run metrics are not (runs are not per CPU) */
  perCpu: boolean;
  /** computed from the whole-run histogram only: one value per capture, never per interval */
  histogram?: { quantile: number };
  /** the value for one sample, null when undefined (a null field, no runs) */
  value?(s: SampleCtx): number | null;
}

const perSec = (f: Field, scale = 1) => (s: SampleCtx) => { const v = s.agg[f]; return v === null || s.secs <= 0 ? null : (v * scale) / s.secs; };
const perRun = (f: Field) => (s: SampleCtx) => { const v = s.agg[f]; return v === null || s.runs === null || s.runs === 0 ? null : v / s.runs; };

export const METRICS: readonly MetricDef[] = [
  { id: 'runs_per_s', label: 'ps runs/s', unit: 'runs/s', fields: [], perCpu: false,
    value: (s) => (s.runs === null || s.secs <= 0 ? null : s.runs / s.secs) },
  { id: 'sys_pct', label: '%sys', unit: '%', fields: ['sysPct'], perCpu: true, value: (s) => s.agg.sysPct },
  { id: 'echild_per_s', label: 'ECHILD/s', unit: '/s', fields: ['prEchild'], perCpu: true, value: perSec('prEchild') },
  { id: 'echild_share_pct', label: 'ECHILD share of pid_revalidate', unit: '%', fields: ['prEchild', 'prCalls'], perCpu: true,
    value: (s) => { const e = s.agg.prEchild, c = s.agg.prCalls; return e === null || c === null || c === 0 ? null : (100 * e) / c; } },
  { id: 'echild_per_run', label: 'ECHILD per ps run', unit: '/run', fields: ['prEchild'], perCpu: false, value: perRun('prEchild') },
  { id: 'unlazy_next_per_run', label: 'try_to_unlazy_next per run', unit: '/run', fields: ['unlazyNextCalls'], perCpu: false, value: perRun('unlazyNextCalls') },
  { id: 'unlazy_next_fails_per_run', label: 'try_to_unlazy_next fails per run', unit: '/run', fields: ['unlazyNextFails'], perCpu: false, value: perRun('unlazyNextFails') },
  { id: 'unlazy_per_run', label: 'try_to_unlazy per run', unit: '/run', fields: ['unlazyCalls'], perCpu: false, value: perRun('unlazyCalls') },
  { id: 'unlazy_fails_per_run', label: 'try_to_unlazy fails per run', unit: '/run', fields: ['unlazyFails'], perCpu: false, value: perRun('unlazyFails') },
  { id: 'lockref_calls_per_s', label: 'lockref_get_not_dead calls/s', unit: '/s', fields: ['lockrefCalls'], perCpu: true, value: perSec('lockrefCalls') },
  { id: 'lockref_waits_per_s', label: 'lockref spinlock waits/s', unit: '/s', fields: ['lockrefWaits'], perCpu: true, value: perSec('lockrefWaits') },
  { id: 'spin_ms_per_s', label: 'lockref spin ms/s', unit: 'ms/s', fields: ['lockrefNs'], perCpu: true, value: perSec('lockrefNs', 1e-6) },
  { id: 'spinlock_ms_per_s', label: 'all spinlock contention ms/s (context)', unit: 'ms/s', fields: ['spinNs'], perCpu: true, value: perSec('spinNs', 1e-6) },
  { id: 'spin_p50_ns', label: 'lockref spin p50', unit: 'ns', fields: ['lockrefNs'], perCpu: false, histogram: { quantile: 0.5 } },
  { id: 'spin_p99_ns', label: 'lockref spin p99', unit: 'ns', fields: ['lockrefNs'], perCpu: false, histogram: { quantile: 0.99 } },
  { id: 'spin_max_ns', label: 'lockref spin max', unit: 'ns', fields: ['lockrefMaxNs'], perCpu: true, value: (s) => s.agg.lockrefMaxNs },
];

export const METRIC_IDS: readonly string[] = METRICS.map((m) => m.id);
export function metricById(id: string): MetricDef | undefined { return METRICS.find((m) => m.id === id); }

/** The probe target each field comes from (for captures whose metricSources lack a field). */
const FIELD_TARGET: Record<Field, Target> = {
  prCalls: 'pid_revalidate', prRcuCalls: 'pid_revalidate', prEchild: 'pid_revalidate',
  unlazyNextCalls: 'unlazy_next', unlazyNextFails: 'unlazy_next', unlazyCalls: 'unlazy', unlazyFails: 'unlazy',
  lockrefCalls: 'lockref', lockrefWaits: 'lockref', lockrefNs: 'lockref', lockrefMaxNs: 'lockref',
  spinWaits: 'spin', spinNs: 'spin', userPct: 'spin', sysPct: 'spin', idlePct: 'spin',
};

/** The strategy a capture used for a field: metricSources, else its target's resolution[], else null (unknown). */
export function fieldStrategy(c: Capture, f: Field): string | null {
  const src = c.metricSources[f];
  if (src) return src.strategy;
  if (f === 'userPct' || f === 'sysPct' || f === 'idlePct') return null; // /proc/stat, not a probe
  return c.resolution.find((r) => r.target === FIELD_TARGET[f])?.strategy ?? null;
}

export function metricStrategies(c: Capture, m: MetricDef): string[] {
  const s = m.fields.map((f) => `${f}:${fieldStrategy(c, f) ?? 'unknown'}`);
  if (m.histogram) s.push(`histogram:${c.histograms.lockrefNs.strategy}`);
  return s;
}

export function intervalSecs(iv: Interval): number { return (iv.endMs - iv.startMs) / 1000; }

/**
 * Quantile q of a log2 histogram, as the upper edge (max) of the bucket holding it: "q of the waits took at
 * most this long". Resolution is the bucket (2x); null for an empty histogram.
 */
export function histogramQuantile(buckets: Capture['histograms']['lockrefNs']['all'], q: number): number | null {
  const total = buckets.reduce((a, b) => a + b.count, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let cum = 0;
  for (const b of [...buckets].sort((x, y) => x.min - y.min)) { cum += b.count; if (cum >= rank) return b.max; }
  return null;
}

/** Per-interval samples of a metric over the whole system (or one CPU). Histogram metrics: none. */
export function intervalSamples(c: Capture, m: MetricDef, cpu?: number): number[] {
  if (!m.value) return [];
  if (cpu !== undefined) return perCpuIntervalSamples(c, m).get(cpu) ?? [];
  const out: number[] = [];
  for (const iv of c.intervals) {
    if (iv.cpus.length === 0) continue;
    const v = m.value({ agg: intervalAgg(iv), secs: intervalSecs(iv), runs: iv.runs });
    if (v !== null && Number.isFinite(v)) out.push(v);
  }
  return out;
}

const intervalAggCache = new WeakMap<Interval, Agg>();

/** The all-CPU aggregate of an interval (cached: every metric reads it). */
export function intervalAgg(iv: Interval): Agg {
  let a = intervalAggCache.get(iv);
  if (!a) intervalAggCache.set(iv, (a = aggregate(iv.cpus)));
  return a;
}

const perCpuCache = new WeakMap<Capture, Map<string, Map<number, number[]>>>();

/** Per-interval samples of a metric for every CPU at once (one pass; cached per capture and metric). */
export function perCpuIntervalSamples(c: Capture, m: MetricDef): Map<number, number[]> {
  let byMetric = perCpuCache.get(c);
  if (!byMetric) perCpuCache.set(c, (byMetric = new Map()));
  const hit = byMetric.get(m.id);
  if (hit) return hit;
  const out = new Map<number, number[]>();
  if (m.value) {
    for (const iv of c.intervals) {
      const secs = intervalSecs(iv);
      for (const r of iv.cpus) {
        const v = m.value({ agg: r, secs, runs: null }); // one row is its own aggregate
        if (v === null || !Number.isFinite(v)) continue;
        let a = out.get(r.cpu);
        if (!a) out.set(r.cpu, (a = []));
        a.push(v);
      }
    }
  }
  byMetric.set(m.id, out);
  return out;
}

/** The whole-run value of a metric for one capture (trials mode, sweep, report), null when undefined. */
export function runValue(c: Capture, m: MetricDef, cpu?: number): number | null {
  if (m.histogram) {
    const h = c.histograms.lockrefNs;
    if (h.strategy === 'unavailable') return null;
    const buckets = cpu === undefined ? h.all : h.cpus.find((x) => x.cpu === cpu)?.buckets ?? [];
    return histogramQuantile(buckets, m.histogram.quantile);
  }
  if (!m.value) return null;
  const rows = cpu === undefined ? [c.totals.all] : c.totals.cpus.filter((r) => r.cpu === cpu);
  if (rows.length === 0) return null;
  const v = m.value({ agg: aggregate(rows), secs: c.run.elapsedMs / 1000, runs: cpu === undefined ? c.totals.runs : null });
  return v !== null && Number.isFinite(v) ? v : null;
}

/** Every CPU that appears in a capture's per-CPU totals or intervals, ascending. */
export function captureCpus(c: Capture): number[] {
  const s = new Set<number>();
  for (const r of c.totals.cpus) s.add(r.cpu);
  for (const iv of c.intervals) for (const r of iv.cpus) s.add(r.cpu);
  return [...s].sort((a, b) => a - b);
}
