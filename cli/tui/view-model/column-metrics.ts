// The CPU table's metric columns and the catalogue metric each shows (cli/metrics/catalogue.ts); the lockref column
// shows what the capture measured of lockref_get_not_dead (calls, or its spinlock's waits), and its header says
// which. A row's values are the catalogue's, by metric name. Pure, no React.
import type { CpuMetrics, Strategy } from '../../schema/types.generated.js';
import { lockrefActivity, metric, sampleValues, type MetricDef } from '../../metrics/catalogue.js';

/** The metric columns of the CPU table. */
export type MetricColumn =
  | 'sys' | 'pr' | 'echild' | 'echildShare' | 'unlazy' | 'unlazyFail'
  | 'lockref' | 'spinMs' | 'spinPct' | 'maxSpin' | 'ctxSpinMs';

export type ColumnMetrics = Readonly<Record<MetricColumn, MetricDef>>;

function columnsFor(lockref: MetricDef): ColumnMetrics {
  return {
    sys: metric('sys_pct'), pr: metric('pr_calls_per_s'), echild: metric('echild_per_s'), echildShare: metric('echild_share_pct'),
    unlazy: metric('unlazy_calls_per_s'), unlazyFail: metric('unlazy_fails_per_s'), lockref,
    spinMs: metric('spin_ms_per_s'), spinPct: metric('spin_pct_of_cpu'), maxSpin: metric('spin_max_ns'), ctxSpinMs: metric('spinlock_ms_per_s'),
  };
}

const BY_LOCKREF = new Map<MetricDef, ColumnMetrics>();

/** The metric behind each column on a capture whose lockref target was measured with `lockrefStrategy`. */
export function columnMetrics(lockrefStrategy: Strategy | null): ColumnMetrics {
  const lockref = lockrefActivity(lockrefStrategy);
  let cols = BY_LOCKREF.get(lockref);
  if (!cols) BY_LOCKREF.set(lockref, (cols = columnsFor(lockref)));
  return cols;
}

export const METRIC_COLUMNS = Object.keys(columnsFor(metric('lockref_calls_per_s'))) as MetricColumn[];

/** Values by catalogue metric name (null: not measured, or undefined over no time). */
export type MetricValues = Readonly<Record<string, number | null>>;

export interface CpuView { cpu: number; values: MetricValues }

/** The values of `metrics` for counters over `seconds` on `cpus` CPUs (1: one CPU's row). */
export function metricValues(metrics: readonly MetricDef[], m: CpuMetrics, seconds: number, cpus = 1): MetricValues {
  return sampleValues({ agg: m, secs: seconds, runs: null, cpus }, metrics);
}

const SHOWN = new Map<ColumnMetrics, readonly MetricDef[]>();

/** The metrics a table row computes: its columns', and busy_pct (the `b` filter). */
export function rowMetrics(cols: ColumnMetrics): readonly MetricDef[] {
  let ms = SHOWN.get(cols);
  if (!ms) SHOWN.set(cols, (ms = [...Object.values(cols), metric('busy_pct')]));
  return ms;
}
