// The per-CPU table: only the visible rows (a window over 128+ CPUs), all-CPU and group summaries, deltas vs a
// baseline coloured better/worse. A row re-renders only when its cells change.
import { memo } from 'react';
import { Box, Text } from 'ink';
import type { TableModel } from '../screen-model.js';
import type { MetricValues } from '../view-model/column-metrics.js';
import { headerCells, rowCells, type Cell } from '../cells.js';
import { c, toneColor } from '../theme.js';

export interface CpuTableProps {
  table: TableModel;
  /** per-CPU baseline values; null: no per-CPU comparison (another CPU count, or no baseline) */
  basePerCpu: Map<number, MetricValues> | null;
  baseAll: MetricValues | null;
  /** a baseline is loaded: cells leave room for deltas */
  comparing: boolean;
  color: boolean;
  sortKey: string | null;
}

function sameCells(a: readonly Cell[], b: readonly Cell[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!, y = b[i]!;
    if (x.text !== y.text || x.delta?.text !== y.delta?.text || x.delta?.tone !== y.delta?.tone) return false;
  }
  return true;
}

interface RowProps { cells: Cell[]; color: boolean; inverse?: boolean; bold?: boolean }

/** One row as one line of text: values plain, each delta its own coloured span (few escape codes per row). */
const Row = memo(function Row({ cells, color, inverse, bold }: RowProps) {
  const parts: React.ReactNode[] = [];
  let plain = '';
  cells.forEach((cell, i) => {
    plain += (i > 0 ? ' ' : '') + cell.text;
    if (!cell.delta) return;
    const tint = toneColor(cell.delta.tone, color);
    if (tint === undefined) { plain += ' ' + cell.delta.text; return; }
    parts.push(plain + ' ', <Text key={i} color={tint}>{cell.delta.text}</Text>);
    plain = '';
  });
  if (plain) parts.push(plain);
  return <Text wrap="truncate" inverse={inverse} bold={bold}>{parts}</Text>;
}, (a, b) => a.color === b.color && a.inverse === b.inverse && a.bold === b.bold && sameCells(a.cells, b.cells));

export function CpuTable({ table: t, basePerCpu, baseAll, comparing, color, sortKey }: CpuTableProps) {
  return (
    <Box flexDirection="column" flexShrink={0}>
      <Text wrap="truncate" bold color={c(color, 'blue')} underline={!color}>{headerCells(t.columns, comparing, sortKey)}</Text>
      {t.all ? <Row bold color={color} cells={rowCells(t.columns, ' all', t.all, baseAll, comparing)} /> : null}
      {t.summaries.map((s) => <Row key={s.label} bold color={color} cells={rowCells(t.columns, ' ' + s.label, s.values, null, comparing)} />)}
      {t.note ? <Text wrap="truncate" dimColor>{t.note}</Text> : null}
      {t.empty ? <Text wrap="truncate" dimColor>{t.empty}</Text> : null}
      {t.above > 0 ? <Text dimColor>{`  ↑ ${t.above} more`}</Text> : null}
      {t.shown.map((r) => {
        const selected = r.cpu === t.selectedCpu;
        return <Row key={r.cpu} color={color} inverse={selected} cells={rowCells(t.columns, (selected ? '>' : ' ') + r.cpu, r.values, basePerCpu?.get(r.cpu), comparing)} />;
      })}
      {t.below > 0 ? <Text dimColor>{`  ↓ ${t.below} more`}</Text> : null}
    </Box>
  );
}
