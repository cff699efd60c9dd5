// The metric catalogue: every derived metric rcuwalk shows, defined once: its stable name (compare, --fail-if,
// CSV/NDJSON, OpenMetrics), label, unit, formula over the reduced counters, direction, and whether it exists per
// CPU. Compare, export, the report, the capture summary, the live UI and the exporter all read it; no other
// module computes a rate.
import type { CpuMetrics, Strategy } from '../schema/types.generated.js';
import { counterDef, type Field, type Source } from './counters.js';
import { formatNs, formatNsPerSec, formatPct, formatRate } from '../format/numbers.js';

/** One sample of counters: a CPU or all CPUs, over one interval or a whole run. */
export interface Sample {
  agg: CpuMetrics;
  /** wall time the counters cover, seconds */
  secs: number;
  /** workload runs completed in that time (null: no workload, or a per-CPU sample: runs are not per CPU) */
  runs: number | null;
  /** how many CPUs the counters cover (for shares of CPU time) */
  cpus: number;
}

export type Direction = 'higher-better' | 'lower-better' | 'neutral';
export type Unit = 'runs/s' | '/s' | '%' | '/run' | 'ms/s' | 'ns';

export interface MetricDef {
  /** stable name; the suffix carries the unit */
  id: string;
  label: string;
  /** column header in the live UI and the capture summary */
  short: string;
  unit: Unit;
  /** the counters it is computed from (their strategies must agree between captures compared) */
  fields: readonly Field[];
  /** 'any': available when any of its fields is (a sum over both unlazy functions); default: all of them */
  needs?: 'all' | 'any';
  /** the workload's run count is an input */
  usesRuns?: boolean;
  direction: Direction;
  /** meaningful for one CPU (per-run metrics are not: runs are not per CPU) */
  perCpu: boolean;
  /** computed from the whole-run lockref histogram only: one value per capture, never per interval */
  histogram?: { quantile: number };
  /** the value of one sample, null when undefined (a null counter, no runs, no time) */
  value?(s: Sample): number | null;
  /**
   * PREEMPT_RT wording (a capture whose resolution marks rtWaits): spinlock_t sleeps there, so a "spin" metric
   * measures waits, sleeping included. Same id and formula; read through labelOf/shortOf.
   */
  rt?: { label: string; short: string };
}

/** Workload runs per second (null: no workload, or no time): runs_per_s, and the capture's totals.runsPerSec. */
export function runsPerSecond(runs: number | null, secs: number): number | null {
  return runs === null || !(secs > 0) ? null : runs / secs;
}

const perSec = (f: Field, scale = 1) => (s: Sample): number | null => { const v = s.agg[f]; return v === null || !(s.secs > 0) ? null : (v * scale) / s.secs; };
const perRun = (f: Field) => (s: Sample): number | null => { const v = s.agg[f]; return v === null || s.runs === null || s.runs === 0 ? null : v / s.runs; };
const sumOf = (a: Field, b: Field) => (s: Sample): number | null => { const x = s.agg[a], y = s.agg[b]; return x === null ? y : y === null ? x : x + y; };
const perSecOfSum = (a: Field, b: Field) => (s: Sample): number | null => { const v = sumOf(a, b)(s); return v === null || !(s.secs > 0) ? null : v / s.secs; };
/** ns of CPU time as % of the sample's CPU time (capped at 100) */
const cpuShare = (f: Field) => (s: Sample): number | null => {
  const ns = s.agg[f], cpuNs = s.secs * 1e9 * s.cpus;
  return ns === null || !(cpuNs > 0) ? null : Math.min(100, (100 * ns) / cpuNs);
};

export const METRICS: readonly MetricDef[] = [
  { id: 'runs_per_s', label: 'ps runs/s', short: 'runs/s', unit: 'runs/s', fields: [], usesRuns: true, direction: 'higher-better', perCpu: false,
    value: (s) => runsPerSecond(s.runs, s.secs) },
  { id: 'sys_pct', label: '%sys', short: '%sys', unit: '%', fields: ['sysPct'], direction: 'lower-better', perCpu: true, value: (s) => s.agg.sysPct },
  // neutral: a busier CPU may be doing more of the work asked of it, or spinning
  { id: 'busy_pct', label: '% CPU time not idle', short: 'busy%', unit: '%', fields: ['idlePct'], direction: 'neutral', perCpu: true,
    value: (s) => (s.agg.idlePct === null ? null : 100 - s.agg.idlePct) },
  { id: 'pr_calls_per_s', label: 'pid_revalidate calls/s', short: 'prv/s', unit: '/s', fields: ['prCalls'], direction: 'neutral', perCpu: true, value: perSec('prCalls') },
  { id: 'echild_per_s', label: 'ECHILD/s', short: 'ECHILD/s', unit: '/s', fields: ['prEchild'], direction: 'lower-better', perCpu: true, value: perSec('prEchild') },
  { id: 'echild_share_pct', label: 'ECHILD share of pid_revalidate', short: 'ech%', unit: '%', fields: ['prEchild', 'prCalls'], direction: 'lower-better', perCpu: true,
    value: (s) => { const e = s.agg.prEchild, c = s.agg.prCalls; return e === null || c === null || c === 0 ? null : (100 * e) / c; } },
  { id: 'echild_per_run', label: 'ECHILD per ps run', short: 'ECHILD/run', unit: '/run', fields: ['prEchild'], usesRuns: true, direction: 'lower-better', perCpu: false, value: perRun('prEchild') },
  { id: 'unlazy_calls_per_s', label: 'unlazy calls/s (both functions)', short: 'unlz/s', unit: '/s', fields: ['unlazyNextCalls', 'unlazyCalls'], needs: 'any', direction: 'neutral', perCpu: true,
    value: perSecOfSum('unlazyNextCalls', 'unlazyCalls') },
  { id: 'unlazy_fails_per_s', label: 'unlazy failures/s (both functions)', short: 'ufail/s', unit: '/s', fields: ['unlazyNextFails', 'unlazyFails'], needs: 'any', direction: 'lower-better', perCpu: true,
    value: perSecOfSum('unlazyNextFails', 'unlazyFails') },
  { id: 'unlazy_next_per_run', label: 'try_to_unlazy_next per run', short: 'unlzn/run', unit: '/run', fields: ['unlazyNextCalls'], usesRuns: true, direction: 'lower-better', perCpu: false, value: perRun('unlazyNextCalls') },
  { id: 'unlazy_next_fails_per_run', label: 'try_to_unlazy_next fails per run', short: 'unlznf/run', unit: '/run', fields: ['unlazyNextFails'], usesRuns: true, direction: 'lower-better', perCpu: false, value: perRun('unlazyNextFails') },
  // neutral: a walk that stays in RCU-walk to its end still leaves it through try_to_unlazy (complete_walk)
  { id: 'unlazy_per_run', label: 'try_to_unlazy per run', short: 'unlz/run', unit: '/run', fields: ['unlazyCalls'], usesRuns: true, direction: 'neutral', perCpu: false, value: perRun('unlazyCalls') },
  { id: 'unlazy_fails_per_run', label: 'try_to_unlazy fails per run', short: 'unlzf/run', unit: '/run', fields: ['unlazyFails'], usesRuns: true, direction: 'lower-better', perCpu: false, value: perRun('unlazyFails') },
  { id: 'lockref_calls_per_s', label: 'lockref_get_not_dead calls/s', short: 'lockref/s', unit: '/s', fields: ['lockrefCalls'], direction: 'lower-better', perCpu: true, value: perSec('lockrefCalls') },
  { id: 'lockref_waits_per_s', label: 'lockref spinlock waits/s', short: 'lrwait/s', unit: '/s', fields: ['lockrefWaits'], rt: { label: 'lockref rt-lock waits/s (PREEMPT_RT)', short: 'lrwait/s' }, direction: 'lower-better', perCpu: true, value: perSec('lockrefWaits') },
  { id: 'spin_ms_per_s', label: 'lockref spin ms/s', short: 'spin ms/s', unit: 'ms/s', fields: ['lockrefNs'], rt: { label: 'lockref wait ms/s (PREEMPT_RT: rt lock, sleeping included)', short: 'wait ms/s' }, direction: 'lower-better', perCpu: true, value: perSec('lockrefNs', 1e-6) },
  { id: 'spin_pct_of_cpu', label: 'lockref spin, % of CPU time', short: 'spin%', unit: '%', fields: ['lockrefNs'], rt: { label: 'lockref wait, % of CPU time (PREEMPT_RT)', short: 'wait%' }, direction: 'lower-better', perCpu: true, value: cpuShare('lockrefNs') },
  { id: 'spinlock_waits_per_s', label: 'all spinlock contention waits/s (context)', short: 'allspin/s', unit: '/s', fields: ['spinWaits'], rt: { label: 'all lock contention waits/s, rt locks included (context, PREEMPT_RT)', short: 'allwait/s' }, direction: 'lower-better', perCpu: true, value: perSec('spinWaits') },
  { id: 'spinlock_ms_per_s', label: 'all spinlock contention ms/s (context)', short: 'allspin ms/s', unit: 'ms/s', fields: ['spinNs'], rt: { label: 'all lock contention wait ms/s, rt locks included (context, PREEMPT_RT)', short: 'allwait ms/s' }, direction: 'lower-better', perCpu: true, value: perSec('spinNs', 1e-6) },
  { id: 'spin_p50_ns', label: 'lockref spin p50', short: 'p50', unit: 'ns', fields: ['lockrefNs'], rt: { label: 'lockref wait p50 (PREEMPT_RT)', short: 'p50' }, direction: 'lower-better', perCpu: false, histogram: { quantile: 0.5 } },
  { id: 'spin_p99_ns', label: 'lockref spin p99', short: 'p99', unit: 'ns', fields: ['lockrefNs'], rt: { label: 'lockref wait p99 (PREEMPT_RT)', short: 'p99' }, direction: 'lower-better', perCpu: false, histogram: { quantile: 0.99 } },
  { id: 'spin_max_ns', label: 'lockref spin max', short: 'maxspin', unit: 'ns', fields: ['lockrefMaxNs'], rt: { label: 'lockref wait max (PREEMPT_RT)', short: 'maxwait' }, direction: 'lower-better', perCpu: true, value: (s) => s.agg.lockrefMaxNs },
];

/**
 * What a capture counted of lockref_get_not_dead's activity: its calls where it is probed (directly or at its call
 * sites); under the contention strategy only the waits in its spinlock's slow path are seen.
 */
export function lockrefActivity(strategy: Strategy | null): MetricDef {
  return metric(strategy === 'contention' ? 'lockref_waits_per_s' : 'lockref_calls_per_s');
}

/** Does this capture's lockref/spin time come from sleeping rt locks (PREEMPT_RT)? resolve.ts marks rtWaits. */
export function rtWaits(c: { resolution: readonly { rtWaits?: boolean }[] } | null | undefined): boolean {
  return c?.resolution.some((r) => r.rtWaits === true) ?? false;
}

/** A metric's label for people: "wait", not "spin", on a PREEMPT_RT capture. */
export function labelOf(m: MetricDef, rt: boolean): string {
  return rt && m.rt ? m.rt.label : m.label;
}

/** A metric's column header: "wait", not "spin", on a PREEMPT_RT capture. */
export function shortOf(m: MetricDef, rt: boolean): string {
  return rt && m.rt ? m.rt.short : m.short;
}
export const METRIC_IDS: readonly string[] = METRICS.map((m) => m.id);

const BY_ID = new Map(METRICS.map((m) => [m.id, m]));

/** A metric by its stable name; throws on a name the catalogue lacks (a programming error). */
export function metric(id: string): MetricDef {
  const m = BY_ID.get(id);
  if (!m) throw new RangeError(`no metric '${id}' in the catalogue`);
  return m;
}


/** The probe targets a metric reads (none for /proc/stat or the workload alone). */
export function metricSources(m: MetricDef): Source[] {
  return [...new Set(m.fields.map((f) => counterDef(f).source))];
}

/** A metric's value for people: ns as ns/µs/ms/s, time per second as ms/s, rates with SI suffixes. */
export function formatValue(m: MetricDef, v: number | null | undefined): string {
  switch (m.unit) {
    case '%': return formatPct(v);
    case 'ms/s': return formatNsPerSec(v === null || v === undefined ? v : v * 1e6);
    case 'ns': return formatNs(v);
    default: return formatRate(v);
  }
}

/** Values of the given metrics (default: all that have a per-sample formula) for one sample. */
export function sampleValues(s: Sample, metrics: readonly MetricDef[] = METRICS): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const m of metrics) {
    if (!m.value) continue;
    const v = m.value(s);
    out[m.id] = v !== null && Number.isFinite(v) ? v : null;
  }
  return out;
}
