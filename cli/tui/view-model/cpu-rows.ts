// The CPU table's rows: which span (last interval or whole run), sorting, the busy filter. Pure.
import type { CpuMetrics, CpuRow } from '../../schema/types.generated.js';
import type { CaptureState } from '../../state/state.js';
import { coveredSecs, intervalSecs } from '../../metrics/coverage.js';
import { intervalAgg } from '../../metrics/capture-values.js';
import { metricValues, rowMetrics, type ColumnMetrics, type CpuView, type MetricColumn } from './column-metrics.js';

/** now: the last closed interval; run: totals over all closed intervals. */
export type Span = 'now' | 'run';
export type SortKey = 'cpu' | MetricColumn;

/** The order `s` cycles through. */
export const SORT_CYCLE: readonly SortKey[] = [
  'cpu', 'sys', 'echild', 'echildShare', 'unlazyFail', 'lockref', 'spinMs', 'maxSpin', 'pr', 'unlazy', 'ctxSpinMs',
];

export function nextSort(k: SortKey): SortKey {
  const i = SORT_CYCLE.indexOf(k);
  return SORT_CYCLE[(i + 1) % SORT_CYCLE.length]!;
}

export interface CpuEntry extends CpuView { metrics: CpuRow }

/** CPU busy threshold for the `b` filter: busy_pct at or above this, or any ECHILD / lockref spin. */
export const BUSY_PCT = 5;

/** Seconds covered by the span; 0 when nothing closed yet. */
export function spanSeconds(state: CaptureState, span: Span): number {
  if (span === 'run') return coveredSecs(state.coverage);
  const last = state.intervals[state.intervals.length - 1];
  return last ? intervalSecs(last) : 0;
}

export function spanRows(state: CaptureState, span: Span): CpuRow[] {
  if (span === 'run') return state.totals.cpus;
  return state.intervals[state.intervals.length - 1]?.cpus ?? [];
}

/** All CPUs over the span: the run's totals (percentages weighted by the time each CPU was measured), or the last interval's. */
export function spanAll(state: CaptureState, span: Span): CpuMetrics | null {
  if (span === 'run') return state.intervalCount > 0 ? state.totals.all : null;
  const last = state.intervals[state.intervals.length - 1];
  return last ? intervalAgg(last) : null;
}

export function cpuEntries(state: CaptureState, span: Span, cols: ColumnMetrics): CpuEntry[] {
  const secs = spanSeconds(state, span);
  const metrics = rowMetrics(cols);
  return spanRows(state, span).map((r) => ({ cpu: r.cpu, metrics: r, values: metricValues(metrics, r, secs) }));
}

export function isBusy(e: CpuEntry): boolean {
  const b = e.values['busy_pct'] ?? null;
  return (b !== null && b >= BUSY_PCT) || (e.values['echild_per_s'] ?? 0) > 0 || (e.values['spin_ms_per_s'] ?? 0) > 0;
}

/** Sorted (metrics descending, nulls last; cpu ascending), optionally only busy CPUs. */
export function arrangeRows(entries: readonly CpuEntry[], sort: SortKey, busyOnly: boolean, cols: ColumnMetrics): CpuEntry[] {
  const xs = busyOnly ? entries.filter(isBusy) : [...entries];
  if (sort === 'cpu') return xs.sort((a, b) => a.cpu - b.cpu);
  const id = cols[sort].id;
  return xs.sort((a, b) => {
    const va = a.values[id] ?? null, vb = b.values[id] ?? null;
    if (va === null && vb === null) return a.cpu - b.cpu;
    if (va === null) return 1;
    if (vb === null) return -1;
    return vb - va || a.cpu - b.cpu;
  });
}
