// Which columns of the CPU table fit the terminal width, and their widths. Pure.
import { COLUMN_METRIC, type MetricKey } from './rates.js';
import type { Strategy, Target } from '../../schema/types.generated.js';
import { metric, metricSources } from '../../metrics/catalogue.js';

export type ColumnKey = 'cpu' | MetricKey;

export interface ColumnDef {
  key: ColumnKey;
  header: string;
  /** width of the value itself */
  width: number;
  /** lower is more important: kept first on narrow terminals */
  priority: number;
  unit: 'pct' | 'rate' | 'ms' | 'ns' | 'cpu';
}

export const DELTA_WIDTH = 5;

/** All columns in display order. */
export function allColumns(lockrefStrategy: Strategy | null): ColumnDef[] {
  const waits = lockrefStrategy === 'contention';
  const h = (k: MetricKey) => (k === 'lockref' && waits ? metric('lockref_waits_per_s') : COLUMN_METRIC[k]).short;
  return [
    { key: 'cpu', header: ' CPU', width: 8, priority: 0, unit: 'cpu' },
    { key: 'sys', header: h('sys'), width: 5, priority: 1, unit: 'pct' },
    { key: 'pr', header: h('pr'), width: 6, priority: 5, unit: 'rate' },
    { key: 'echild', header: h('echild'), width: 8, priority: 2, unit: 'rate' },
    { key: 'echildShare', header: h('echildShare'), width: 5, priority: 6, unit: 'pct' },
    { key: 'unlazy', header: h('unlazy'), width: 6, priority: 8, unit: 'rate' },
    { key: 'unlazyFail', header: h('unlazyFail'), width: 7, priority: 4, unit: 'rate' },
    { key: 'lockref', header: h('lockref'), width: waits ? 8 : 9, priority: 7, unit: 'rate' },
    { key: 'spinMs', header: h('spinMs'), width: 9, priority: 3, unit: 'ms' },
    { key: 'spinPct', header: h('spinPct'), width: 5, priority: 9, unit: 'pct' },
    { key: 'maxSpin', header: h('maxSpin'), width: 8, priority: 10, unit: 'ns' },
    { key: 'ctxSpinMs', header: h('ctxSpinMs'), width: 12, priority: 11, unit: 'ms' },
  ];
}

/** Total width of a cell: value, plus a space and the delta when comparing. */
export function cellWidth(c: ColumnDef, withDelta: boolean): number {
  return c.width + (withDelta && c.key !== 'cpu' ? 1 + DELTA_WIDTH : 0);
}

/** The probe targets a column's metric reads (a column whose targets are all unavailable is shown last). */
function columnTargets(k: MetricKey): Target[] {
  return metricSources(COLUMN_METRIC[k]).filter((s): s is Target => s !== 'procstat');
}

/** Moves columns that can only show '-' (every target they need unavailable) behind all others. */
export function demoteUnavailable(cols: readonly ColumnDef[], unavailable: ReadonlySet<Target>): ColumnDef[] {
  return cols.map((c) => {
    if (c.key === 'cpu') return c;
    const ts = columnTargets(c.key);
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
