// The per-CPU table: one row per CPU for the last interval (or the run), deltas vs a baseline, group summaries.
import { Box, Text } from 'ink';
import type { ColumnDef } from './view-model/layout.js';
import type { CpuEntry } from './view-model/cpu-rows.js';
import type { GroupSummary } from './view-model/groups.js';
import type { MetricValues } from './view-model/rates.js';
import { headerCells, rowCells, type Cell } from './cells.js';
import { c, paint, toneColor } from './theme.js';

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
    if (cell.delta) out += ' ' + paint(cell.delta.text, toneColor(cell.delta.tone, color));
  }
  return out;
}

function Row({ cells, color, inverse, bold }: { cells: Cell[]; color: boolean; inverse?: boolean; bold?: boolean }) {
  return <Text wrap="truncate" inverse={inverse} bold={bold}>{rowText(cells, color)}</Text>;
}

export function CpuTable(p: CpuTableProps) {
  const withDelta = p.comparing;
  return (
    <Box flexDirection="column">
      <Text wrap="truncate" bold color={c(p.color, 'blue')} underline={!p.color}>{headerCells(p.columns, withDelta, p.sortKey ?? null)}</Text>
      {p.all ? <Row bold color={p.color} cells={rowCells(p.columns, ' all', p.all, p.baseAll, withDelta)} /> : null}
      {p.summaries.map((s) => (
        <Row key={s.label} bold color={p.color} cells={rowCells(p.columns, ' ' + s.label, s.values, null, withDelta)} />
      ))}
      {p.note ? <Text wrap="truncate" dimColor>{p.note}</Text> : null}
      {p.empty ? <Text wrap="truncate" dimColor>{p.empty}</Text> : null}
      {p.above > 0 ? <Text dimColor wrap="truncate">{`  ↑ ${p.above} more`}</Text> : null}
      {p.rows.map((r) => (
        <Row key={r.cpu} color={p.color} inverse={r.cpu === p.selectedCpu}
          cells={rowCells(p.columns, (r.cpu === p.selectedCpu ? '>' : ' ') + r.cpu, r.values, p.basePerCpu?.get(r.cpu), withDelta)} />
      ))}
      {p.below > 0 ? <Text dimColor wrap="truncate">{`  ↓ ${p.below} more`}</Text> : null}
    </Box>
  );
}
