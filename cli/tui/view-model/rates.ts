// The CPU table's metric values, taken from the shared display rows (cli/format/rows.ts): rates per second,
// shares, % of CPU time. This file only names them for the table's columns. Pure, no React.
import type { CpuMetrics, CpuRow } from '../../schema/types.generated.js';
import { displayRow, sumRows } from '../../format/rows.js';

/** The metric columns of the CPU table. */
export type MetricKey =
  | 'sys' | 'pr' | 'echild' | 'echildShare' | 'unlazy' | 'unlazyFail'
  | 'lockref' | 'spinMs' | 'spinPct' | 'maxSpin' | 'ctxSpinMs';

export const METRIC_KEYS: readonly MetricKey[] = [
  'sys', 'pr', 'echild', 'echildShare', 'unlazy', 'unlazyFail', 'lockref', 'spinMs', 'spinPct', 'maxSpin', 'ctxSpinMs',
];

export type MetricValues = Record<MetricKey, number | null>;

export interface CpuView { cpu: number; values: MetricValues }

/**
 * Table values of one CPU's (or a group's) counters over `seconds`; `cpus` is how many CPUs they cover.
 * lockref counts calls (direct, callsite) or, when only waits exist (contention), slow-path waits.
 * spinMs / spinPct are lockref time (ms per s, % of CPU time); ctxSpinMs is all spinlock waiting (context).
 */
export function metricValues(m: CpuMetrics, seconds: number, cpus = 1): MetricValues {
  const d = displayRow(0, m, seconds, cpus);
  const ms = (ns: number | null) => (ns === null ? null : ns / 1e6);
  return {
    sys: d.sysPct,
    pr: d.prCallsPerSec,
    echild: d.echildPerSec,
    echildShare: d.echildSharePct,
    unlazy: d.unlazyCallsPerSec,
    unlazyFail: d.unlazyFailsPerSec,
    lockref: d.lockrefCallsPerSec ?? d.lockrefWaitsPerSec,
    spinMs: ms(d.lockrefNsPerSec),
    spinPct: d.lockrefPctOfCpu,
    maxSpin: d.maxSpinNs,
    ctxSpinMs: ms(d.spinNsPerSec),
  };
}

/** Counters summed over rows (the shared sumRows: max for lockrefMaxNs, mean for the percents). */
export function sumMetrics(rows: readonly CpuRow[]): CpuMetrics {
  return sumRows(rows);
}

/** How busy a CPU was (non-idle %), or null when unknown. */
export function busyPct(m: CpuMetrics): number | null {
  if (m.idlePct !== null) return 100 - m.idlePct;
  if (m.sysPct !== null || m.userPct !== null) return (m.sysPct ?? 0) + (m.userPct ?? 0);
  return null;
}
