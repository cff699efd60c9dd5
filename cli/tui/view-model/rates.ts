// Per-CPU display values (rates per second, shares) from a CpuMetrics over a span. Pure, no React.
import type { CpuMetrics } from '../../schema/types.generated.js';

/** The metric columns of the CPU table. */
export type MetricKey =
  | 'sys' | 'pr' | 'echild' | 'echildShare' | 'unlazy' | 'unlazyFail'
  | 'lockref' | 'spinMs' | 'spinPct' | 'maxSpin';

export const METRIC_KEYS: readonly MetricKey[] = [
  'sys', 'pr', 'echild', 'echildShare', 'unlazy', 'unlazyFail', 'lockref', 'spinMs', 'spinPct', 'maxSpin',
];

export type MetricValues = Record<MetricKey, number | null>;

export interface CpuView { cpu: number; values: MetricValues }

function sumNullable(...xs: (number | null)[]): number | null {
  let any = false;
  let s = 0;
  for (const x of xs) if (x !== null) { any = true; s += x; }
  return any ? s : null;
}

const per = (x: number | null, seconds: number): number | null =>
  x === null || !(seconds > 0) ? null : x / seconds;

/**
 * Display values of one CPU's (or a group's) counters over `seconds`.
 * `cpus` is how many CPUs the counters cover (for spin as a share of CPU time).
 * lockref counts calls (direct, callsite) or, when only waits exist (contention), slow-path waits.
 */
export function metricValues(m: CpuMetrics, seconds: number, cpus = 1): MetricValues {
  const unlazyCalls = sumNullable(m.unlazyNextCalls, m.unlazyCalls);
  const unlazyFails = sumNullable(m.unlazyNextFails, m.unlazyFails);
  const lockref = m.lockrefCalls ?? m.lockrefWaits;
  const spinMs = m.lockrefNs === null || !(seconds > 0) ? null : m.lockrefNs / 1e6 / seconds;
  return {
    sys: m.sysPct,
    pr: per(m.prCalls, seconds),
    echild: per(m.prEchild, seconds),
    echildShare: m.prEchild === null || m.prCalls === null || m.prCalls === 0 ? null : (100 * m.prEchild) / m.prCalls,
    unlazy: per(unlazyCalls, seconds),
    unlazyFail: per(unlazyFails, seconds),
    lockref: per(lockref, seconds),
    spinMs,
    spinPct: spinMs === null ? null : Math.min(100, spinMs / 10 / Math.max(1, cpus)),
    maxSpin: m.lockrefMaxNs,
  };
}

/** Sums counters over rows (max for lockrefMaxNs, mean for the percents); null stays null only if all are. */
export function sumMetrics(rows: readonly CpuMetrics[]): CpuMetrics {
  const keys = ['prCalls', 'prRcuCalls', 'prEchild', 'unlazyNextCalls', 'unlazyNextFails', 'unlazyCalls', 'unlazyFails',
    'lockrefCalls', 'lockrefWaits', 'lockrefNs', 'spinWaits', 'spinNs'] as const;
  const out = {} as CpuMetrics;
  for (const k of keys) out[k] = sumNullable(...rows.map((r) => r[k]));
  let max: number | null = null;
  for (const r of rows) if (r.lockrefMaxNs !== null) max = Math.max(max ?? 0, r.lockrefMaxNs);
  out.lockrefMaxNs = max;
  for (const k of ['userPct', 'sysPct', 'idlePct'] as const) {
    const xs = rows.map((r) => r[k]).filter((x): x is number => x !== null);
    out[k] = xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length;
  }
  return out;
}

/** How busy a CPU was (non-idle %), or null when unknown. */
export function busyPct(m: CpuMetrics): number | null {
  if (m.idlePct !== null) return 100 - m.idlePct;
  if (m.sysPct !== null || m.userPct !== null) return (m.sysPct ?? 0) + (m.userPct ?? 0);
  return null;
}
