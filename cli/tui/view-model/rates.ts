// The CPU table's metric values: each column is a catalogue metric (cli/metrics/catalogue.ts); this file only
// names the columns. Pure, no React.
import type { CpuMetrics, CpuRow } from '../../schema/types.generated.js';
import { metric, type MetricDef } from '../../metrics/catalogue.js';
import { aggregate } from '../../metrics/aggregate.js';

/** The metric columns of the CPU table. */
export type MetricKey =
  | 'sys' | 'pr' | 'echild' | 'echildShare' | 'unlazy' | 'unlazyFail'
  | 'lockref' | 'spinMs' | 'spinPct' | 'maxSpin' | 'ctxSpinMs';

/** The catalogue metric behind each column ('lockref': calls, or spinlock waits where only waits exist). */
export const COLUMN_METRIC: Record<MetricKey, MetricDef> = {
  sys: metric('sys_pct'), pr: metric('pr_calls_per_s'), echild: metric('echild_per_s'), echildShare: metric('echild_share_pct'),
  unlazy: metric('unlazy_calls_per_s'), unlazyFail: metric('unlazy_fails_per_s'), lockref: metric('lockref_calls_per_s'),
  spinMs: metric('spin_ms_per_s'), spinPct: metric('spin_pct_of_cpu'), maxSpin: metric('spin_max_ns'), ctxSpinMs: metric('spinlock_ms_per_s'),
};
const LOCKREF_WAITS = metric('lockref_waits_per_s');

export const METRIC_KEYS = Object.keys(COLUMN_METRIC) as MetricKey[];

export type MetricValues = Record<MetricKey, number | null>;

export interface CpuView { cpu: number; values: MetricValues }

/** Table values of one CPU's (or a group's) counters over `seconds`; `cpus` is how many CPUs they cover. */
export function metricValues(m: CpuMetrics, seconds: number, cpus = 1): MetricValues {
  const s = { agg: m, secs: seconds, runs: null, cpus };
  const out = {} as MetricValues;
  for (const k of METRIC_KEYS) out[k] = COLUMN_METRIC[k].value!(s);
  out.lockref ??= LOCKREF_WAITS.value!(s);
  return out;
}

/** Counters combined over rows by the catalogue's rules (max for lockrefMaxNs, mean for the percents). */
export function sumMetrics(rows: readonly CpuRow[]): CpuMetrics {
  return aggregate(rows);
}

/** How busy a CPU was (non-idle %), or null when unknown. */
export function busyPct(m: CpuMetrics): number | null {
  if (m.idlePct !== null) return 100 - m.idlePct;
  if (m.sysPct !== null || m.userPct !== null) return (m.sysPct ?? 0) + (m.userPct ?? 0);
  return null;
}
