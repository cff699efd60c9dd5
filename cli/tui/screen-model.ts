// What one screen of the live UI shows, computed from the props, the UI state and the terminal size: the body's
// height budget, the CPU table's visible rows (only those: 128 CPUs draw ~40 rows), summaries, columns; not the
// clock (the header's progress bar: headerModel). Pure, no React: the components draw it, the keys read its layout.
import type { Target } from '../schema/types.generated.js';
import type { CaptureState } from '../state/state.js';
import { headerModel, lockrefStrategy, type HeaderModel } from './view-model/header.js';
import type { BaselineModel } from './view-model/baseline.js';
import { arrangeRows, cpuEntries, spanAll, spanSeconds, type CpuEntry } from './view-model/cpu-rows.js';
import { columnMetrics, metricValues, rowMetrics, type MetricValues } from './view-model/column-metrics.js';
import { groupSummaries, type GroupSummary } from './view-model/groups.js';
import { allColumns, demoteUnavailable, fitColumns, type ColumnDef } from './view-model/layout.js';
import { rtWaits } from '../metrics/catalogue.js';
import { clampScroll, windowOf } from './view-model/scroll.js';
import type { UiState } from './view-model/ui-state.js';

/** How many lines the header takes (for the body's height budget). */
export function headerHeight(h: HeaderModel, reasons: boolean, status: string | null, extra = 0): number {
  return 4 + (reasons ? h.targets.length : 0) + (h.endNote || status ? 1 : 0) + extra;
}

export interface TableModel {
  columns: ColumnDef[];
  shown: CpuEntry[];
  above: number;
  below: number;
  selectedCpu: number | null;
  summaries: GroupSummary[];
  all: MetricValues | null;
  note: string | null;
  empty: string | null;
  sparkLines: number;
}

/** What the last screen laid out, for the keys that move through it. */
export interface Layout { rows: number; visible: number; cpus: number[]; selectedCpu: number | null; wantGroups: boolean }

export interface ScreenModel {
  state: CaptureState;
  status: string | null;
  base: BaselineModel | null;
  /** lines between header and footer */
  budget: number;
  table: TableModel;
  layout: Layout;
}

export interface ScreenInput {
  state: CaptureState;
  base: BaselineModel | null;
  status: string | null;
  width: number;
  height: number;
  /** header lines a caller adds (the viewer's cursor line) */
  extraHeader?: number;
}

export function screenModel(ui: UiState, p: ScreenInput): ScreenModel {
  const state = ui.frozen ?? p.state;
  const base = p.base;
  // the header's lines and targets, not its clock (the caller draws the header with the clock)
  const h = headerModel(state, null, base);
  const status = ui.quitting && !p.status ? 'stopping…' : p.status;
  const budget = Math.max(4, p.height - 1 - headerHeight(h, ui.reasons, status, p.extraHeader ?? 0) - 1);

  const cols = columnMetrics(lockrefStrategy(state));
  const entries = cpuEntries(state, ui.span, cols);
  const rows = arrangeRows(entries, ui.sort, ui.busyOnly, cols);
  const sparkLines = budget >= 16 ? 3 : 0;
  const wantGroups = ui.groups ?? entries.length > 32;
  const secs = spanSeconds(state, ui.span);
  const allAgg = entries.length > 1 ? spanAll(state, ui.span) : null;
  const all = allAgg ? metricValues(rowMetrics(cols), allAgg, secs, entries.length) : null;
  const summaries = wantGroups ? groupSummaries(state.meta?.host ?? null, entries, secs, cols) : [];
  const note = base?.perCpuNote ?? null;
  const empty = rows.length > 0 ? null
    : state.phase === 'failed' ? 'no data: the capture failed'
    : state.end && entries.length === 0 ? `no interval was measured (ended: ${state.end.reason})`
    : entries.length > 0 ? 'no busy CPUs in this interval (b shows all)'
    : !state.meta ? 'resolving probes…'
    : state.phase === 'attaching' || state.attachMs === null ? 'attaching probes…'
    : `waiting for the first interval (${(state.meta.settings.intervalMs / 1000).toFixed(1)}s)…`;
  const fixed = sparkLines + 1 + (all ? 1 : 0) + summaries.length + (note ? 1 : 0) + (empty ? 1 : 0);
  let visible = Math.max(1, budget - fixed);
  if (rows.length > visible) visible = Math.max(1, visible - 2); // the ↑/↓ markers
  const scroll = clampScroll(ui.scroll, rows.length, visible);
  const win = windowOf(rows, scroll, visible);
  const selectedCpu = rows[scroll.cursor]?.cpu ?? null;
  const unavailable = new Set<Target>(h.targets.filter((t) => t.strategy === 'unavailable').map((t) => t.target));
  const columns = fitColumns(demoteUnavailable(allColumns(cols, rtWaits(state.meta)), unavailable), p.width, base !== null);
  return {
    state, status, base, budget,
    table: { columns, shown: win.shown, above: win.above, below: win.below, selectedCpu, summaries, all, note, empty, sparkLines },
    layout: { rows: rows.length, visible, cpus: entries.map((e) => e.cpu).sort((a, b) => a - b), selectedCpu, wantGroups },
  };
}
