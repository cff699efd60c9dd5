// Cell text for the CPU table: value by unit, the delta vs baseline beside it. Pure.
import { cellWidth, DELTA_WIDTH, type ColumnDef } from './view-model/layout.js';
import { delta, type Delta } from './view-model/baseline.js';
import type { MetricValues } from './view-model/column-metrics.js';
import { fit, fmtPct } from './view-model/format.js';
import { formatNs, formatRate, si } from '../format/numbers.js';

export function valueText(col: ColumnDef, v: number | null): string {
  switch (col.unit) {
    case 'pct': return fmtPct(v);
    case 'rate': return formatRate(v);
    case 'ms': return v === null ? '-' : v < 100 ? v.toFixed(1) : si(v);
    case 'ns': return formatNs(v);
    case 'cpu': return v === null ? '-' : String(v);
  }
}

export interface Cell { text: string; delta: Delta | null }

/** Cells of one row; deltas when `base` is given (undefined base map entry -> blank delta). */
export function rowCells(cols: readonly ColumnDef[], label: string, values: MetricValues, base: MetricValues | null | undefined, withDelta: boolean): Cell[] {
  return cols.map((col) => {
    if (col.metric === null) return { text: fit(label, cellWidth(col, withDelta), 'left'), delta: null };
    const id = col.metric.id;
    const v = values[id] ?? null;
    const text = fit(valueText(col, v), col.width);
    if (!withDelta) return { text, delta: null };
    const d = base ? delta(col.metric, v, base[id]) : { text: '', tone: 'none' as const };
    // a blank delta cell when there is nothing to compare with (another CPU count, a group line)
    return { text, delta: { text: fit(d.text, DELTA_WIDTH, 'left'), tone: d.tone } };
  });
}

/** The header line; the sort column is marked (▼: descending). */
export function headerCells(cols: readonly ColumnDef[], withDelta: boolean, sortKey: string | null = null): string {
  return cols.map((c) => {
    if (c.key === 'cpu') return fit(c.header, cellWidth(c, withDelta), 'left');
    const w = cellWidth(c, withDelta);
    const h = c.key === sortKey ? `▼${c.header}` : c.header;
    // over the value when it fits there (deltas to its right), else across value and delta
    return h.length <= c.width ? fit(h, c.width) + ' '.repeat(w - c.width) : fit(h, w);
  }).join(' ');
}
