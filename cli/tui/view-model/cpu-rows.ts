// The CPU table's rows: which span (last interval or whole run), sorting, the busy filter. Pure.
import type { CpuRow } from '../../schema/types.generated.js';
import type { CaptureState } from '../../state/state.js';
import { busyPct, metricValues, type CpuView, type MetricKey } from './rates.js';

/** now: the last closed interval; run: totals over all closed intervals. */
export type Span = 'now' | 'run';
export type SortKey = 'cpu' | MetricKey;

/** The order `s` cycles through. */
export const SORT_CYCLE: readonly SortKey[] = [
  'cpu', 'sys', 'echild', 'echildShare', 'unlazyFail', 'lockref', 'spinMs', 'maxSpin', 'pr', 'unlazy', 'ctxSpinMs',
];

export function nextSort(k: SortKey): SortKey {
  const i = SORT_CYCLE.indexOf(k);
  return SORT_CYCLE[(i + 1) % SORT_CYCLE.length]!;
}

export interface CpuEntry extends CpuView { metrics: CpuRow }

/** CPU busy threshold for the `b` filter: non-idle % at or above this, or any ECHILD / lockref spin. */
export const BUSY_PCT = 5;

/** Seconds covered by the span; 0 when nothing closed yet. */
export function spanSeconds(state: CaptureState, span: Span): number {
  const iv = state.intervals;
  if (iv.length === 0) return 0;
  if (span === 'now') { const l = iv[iv.length - 1]!; return Math.max(0, (l.endMs - l.startMs) / 1000); }
  return Math.max(0, (iv[iv.length - 1]!.endMs - (state.firstIntervalStartMs ?? iv[0]!.startMs)) / 1000);
}

export function spanRows(state: CaptureState, span: Span): CpuRow[] {
  if (span === 'run') return state.totals.cpus;
  return state.intervals[state.intervals.length - 1]?.cpus ?? [];
}

export function cpuEntries(state: CaptureState, span: Span): CpuEntry[] {
  const secs = spanSeconds(state, span);
  return spanRows(state, span).map((r) => ({ cpu: r.cpu, metrics: r, values: metricValues(r, secs) }));
}

export function isBusy(e: CpuEntry): boolean {
  const b = busyPct(e.metrics);
  return (b !== null && b >= BUSY_PCT) || (e.values.echild ?? 0) > 0 || (e.values.spinMs ?? 0) > 0;
}

/** Sorted (metrics descending, nulls last; cpu ascending), optionally only busy CPUs. */
export function arrangeRows(entries: readonly CpuEntry[], sort: SortKey, busyOnly: boolean): CpuEntry[] {
  const xs = busyOnly ? entries.filter(isBusy) : [...entries];
  if (sort === 'cpu') return xs.sort((a, b) => a.cpu - b.cpu);
  return xs.sort((a, b) => {
    const va = a.values[sort], vb = b.values[sort];
    if (va === null && vb === null) return a.cpu - b.cpu;
    if (va === null) return 1;
    if (vb === null) return -1;
    return vb - va || a.cpu - b.cpu;
  });
}
