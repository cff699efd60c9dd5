// Which columns of the CPU table fit the terminal width, and their widths. Pure.
import type { MetricColumn, ColumnMetrics } from './column-metrics.js';
import type { Target } from '../../schema/types.generated.js';
import { metricSources, shortOf, type MetricDef } from '../../metrics/catalogue.js';

export type ColumnKey = 'cpu' | MetricColumn;

export interface ColumnDef {
  key: ColumnKey;
  /** the catalogue metric it shows (null: the CPU number) */
  metric: MetricDef | null;
  header: string;
  /** width of the value itself */
  width: number;
  /** lower is more important: kept first on narrow terminals */
  priority: number;
  unit: 'pct' | 'rate' | 'ms' | 'ns' | 'cpu';
}

export const DELTA_WIDTH = 5;

/** All columns in display order, each headed by its metric's short name. */
export function allColumns(cols: ColumnMetrics, rt = false): ColumnDef[] {
  // rt: a PREEMPT_RT capture, where the spin columns are waits on sleeping rt locks (the catalogue's rt wording)
  const col = (key: MetricColumn, width: number, priority: number, unit: ColumnDef['unit']): ColumnDef =>
    ({ key, metric: cols[key], header: shortOf(cols[key], rt), width, priority, unit });
  return [
    { key: 'cpu', metric: null, header: ' CPU', width: 8, priority: 0, unit: 'cpu' },
    col('sys', 5, 1, 'pct'),
    col('pr', 6, 5, 'rate'),
    col('echild', 8, 2, 'rate'),
    col('echildShare', 5, 6, 'pct'),
    col('unlazy', 6, 8, 'rate'),
    col('unlazyFail', 7, 4, 'rate'),
    col('lockref', Math.max(8, shortOf(cols.lockref, rt).length), 7, 'rate'),
    col('spinMs', 9, 3, 'ms'),
    col('spinPct', 5, 9, 'pct'),
    col('maxSpin', 8, 10, 'ns'),
    col('ctxSpinMs', 12, 11, 'ms'),
  ];
}

/** Total width of a cell: value, plus a space and the delta when comparing. */
export function cellWidth(c: ColumnDef, withDelta: boolean): number {
  return c.width + (withDelta && c.key !== 'cpu' ? 1 + DELTA_WIDTH : 0);
}

/** The probe targets a column's metric reads (a column whose targets are all unavailable is shown last). */
function columnTargets(m: MetricDef): Target[] {
  return metricSources(m).filter((s): s is Target => s !== 'procstat');
}

/** Moves columns that can only show '-' (every target they need unavailable) behind all others. */
export function demoteUnavailable(cols: readonly ColumnDef[], unavailable: ReadonlySet<Target>): ColumnDef[] {
  return cols.map((c) => {
    if (c.metric === null) return c;
    const ts = columnTargets(c.metric);
    return ts.length > 0 && ts.every((t) => unavailable.has(t)) ? { ...c, priority: c.priority + 100 } : c;
  });
}

/** The most important columns that fit in `width` (1 space between), in display order. */
export function fitColumns(cols: readonly ColumnDef[], width: number, withDelta: boolean): ColumnDef[] {
  const byPri = [...cols].sort((a, b) => a.priority - b.priority);
  const chosen = new Set<ColumnKey>();
  let used = 0;
  for (const c of byPri) {
    const w = cellWidth(c, withDelta) + (chosen.size > 0 ? 1 : 0);
    if (used + w <= width || chosen.size === 0) { chosen.add(c.key); used += w; }
  }
  return cols.filter((c) => chosen.has(c.key));
}
