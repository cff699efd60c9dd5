// The per-CPU table: one row per CPU for the last interval (or the run), deltas vs a baseline, group summaries. Pure.
import type { ColumnDef } from '../view-model/layout.js';
import type { CpuEntry } from '../view-model/cpu-rows.js';
import type { GroupSummary } from '../view-model/groups.js';
import type { MetricValues } from '../view-model/rates.js';
import { headerCells, rowCells, type Cell } from '../cells.js';
import { c, toneColor } from '../theme.js';
import { colored, dim, styled, wrapStyle } from '../text/style.js';

export interface CpuTableProps {
  columns: readonly ColumnDef[];
  rows: readonly CpuEntry[];
  above: number;
  below: number;
  selectedCpu: number | null;
  summaries: readonly GroupSummary[];
  /** per-CPU baseline values; null: no per-CPU comparison (another CPU count, or no baseline) */
  basePerCpu: Map<number, MetricValues> | null;
  /** all CPUs together (shown when more than one CPU), and the baseline's totals to compare it with */
  all: MetricValues | null;
  baseAll: MetricValues | null;
  /** a baseline is loaded: cells leave room for deltas */
  comparing: boolean;
  note: string | null;
  empty: string | null;
  color: boolean;
  sortKey?: string | null;
}

/** One table row as a single string (deltas coloured inline). */
export function rowText(cells: readonly Cell[], color: boolean): string {
  let out = '';
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i]!;
    if (i > 0) out += ' ';
    out += cell.text;
    if (cell.delta) out += ' ' + colored(cell.delta.text, toneColor(cell.delta.tone, color));
  }
  return out;
}

export function cpuTableLines(p: CpuTableProps): string[] {
  const withDelta = p.comparing;
  const lines = [styled(headerCells(p.columns, withDelta, p.sortKey ?? null), { bold: true, color: c(p.color, 'blue'), underline: !p.color })];
  if (p.all) lines.push(wrapStyle(rowText(rowCells(p.columns, ' all', p.all, p.baseAll, withDelta), p.color), { bold: true }));
  for (const s of p.summaries) lines.push(wrapStyle(rowText(rowCells(p.columns, ' ' + s.label, s.values, null, withDelta), p.color), { bold: true }));
  if (p.note) lines.push(dim(p.note));
  if (p.empty) lines.push(dim(p.empty));
  if (p.above > 0) lines.push(dim(`  ↑ ${p.above} more`));
  for (const r of p.rows) {
    const selected = r.cpu === p.selectedCpu;
    const text = rowText(rowCells(p.columns, (selected ? '>' : ' ') + r.cpu, r.values, p.basePerCpu?.get(r.cpu), withDelta), p.color);
    lines.push(selected ? wrapStyle(text, { inverse: true }) : text);
  }
  if (p.below > 0) lines.push(dim(`  ↓ ${p.below} more`));
  return lines;
}
