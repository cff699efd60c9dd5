// The live UI's screen: header, the current view (CPUs / histogram / timeline / probes), footer, as lines; and
// what each key does to the UI state. Reads CaptureState only; no I/O (the screen writes, the session drives).
import type { Capture, Target } from '../schema/types.generated.js';
import type { CaptureState } from '../state/state.js';
import { headerHeight, headerLines } from './views/header.js';
import { cpuTableLines } from './views/cpu-table.js';
import { sparklineLine } from './views/sparkline.js';
import { histogramLines } from './views/histogram-view.js';
import { timelineLines } from './views/timeline-view.js';
import { probesLines } from './views/probes-view.js';
import { helpLines } from './views/help-view.js';
import { errorLines } from './views/error-view.js';
import { footerLine } from './views/footer.js';
import { headerModel, lockrefStrategy } from './view-model/header.js';
import { baselineModel, type BaselineModel } from './view-model/baseline.js';
import { arrangeRows, cpuEntries, spanSeconds } from './view-model/cpu-rows.js';
import { metricValues, sumMetrics } from './view-model/rates.js';
import { groupSummaries } from './view-model/groups.js';
import { allColumns, demoteUnavailable, fitColumns } from './view-model/layout.js';
import { rtWaits } from '../metrics/catalogue.js';
import { clampScroll, windowOf } from './view-model/scroll.js';
import { SeriesCache } from './view-model/sparkline.js';
import { initialUi, uiReducer, type UiAction, type UiState } from './view-model/ui-state.js';
import type { Key } from './term/keys.js';
import { truncateLine } from './text/width.js';

export type QuitHow = 'q' | 'ctrl-c';

export interface AppProps {
  state: CaptureState;
  baseline?: Capture | null;
  baselineLabel?: string | null;
  /** ms since probes attached by the caller's clock, for a smooth progress bar */
  clockMs?: number | null;
  color?: boolean;
  /** an error found at start: describeError lines */
  error?: readonly string[] | null;
  /** a line from the runner: "stopping…", "saved to …" */
  status?: string | null;
  onQuit?: (how: QuitHow) => void;
}

/** What the last frame laid out, for the keys that move through it. */
interface Layout { rows: number; visible: number; cpus: number[]; selectedCpu: number | null; wantGroups: boolean }

export class AppView {
  ui: UiState;
  private readonly series = new SeriesCache();
  private base: { key: [Capture | null | undefined, string | null | undefined, number | null]; model: BaselineModel | null } | null = null;
  private layout: Layout = { rows: 0, visible: 1, cpus: [], selectedCpu: null, wantGroups: false };

  constructor(initial: Partial<UiState> = {}) {
    this.ui = { ...initialUi, ...initial };
  }

  dispatch(a: UiAction): void { this.ui = uiReducer(this.ui, a); }

  private baseline(p: AppProps, cpuCount: number | null): BaselineModel | null {
    const k = this.base?.key;
    if (!k || k[0] !== p.baseline || k[1] !== p.baselineLabel || k[2] !== cpuCount) {
      const model = p.baseline ? baselineModel(p.baseline, cpuCount, p.baselineLabel ?? 'baseline') : null;
      this.base = { key: [p.baseline, p.baselineLabel, cpuCount], model };
    }
    return this.base!.model;
  }

  /** The screen for these props at this size: at most `height` lines, none wider than `width`. */
  frame(p: AppProps, width: number, height: number): string[] {
    const color = p.color ?? true;
    if (p.error) return errorLines(p.error, width, color).slice(0, height);
    const ui = this.ui;
    const state = ui.frozen ?? p.state;
    const cpuCount = state.meta?.host.cpuCount ?? null;
    const base = this.baseline(p, cpuCount);
    const h = headerModel(state, p.clockMs ?? null, base);
    const status = ui.quitting && !p.status ? 'stopping…' : p.status ?? null;
    const budget = Math.max(4, height - 1 - headerHeight(h, ui.reasons, status) - 1);

    const entries = cpuEntries(state, ui.span);
    const rows = arrangeRows(entries, ui.sort, ui.busyOnly);
    const sparkLines = budget >= 16 ? 3 : 0;
    const wantGroups = ui.groups ?? entries.length > 32;
    const allValues = entries.length > 1 ? metricValues(sumMetrics(entries.map((e) => e.metrics)), spanSeconds(state, ui.span), entries.length) : null;
    const summaries = wantGroups ? groupSummaries(state.meta?.host ?? null, entries, spanSeconds(state, ui.span)) : [];
    const perCpuNote = base?.perCpuNote ?? null;
    const empty = rows.length > 0 ? null
      : state.phase === 'failed' ? 'no data: the capture failed'
      : state.end && entries.length === 0 ? `no interval was measured (ended: ${state.end.reason})`
      : entries.length > 0 ? 'no busy CPUs in this interval (b shows all)'
      : !state.meta ? 'resolving probes…'
      : state.phase === 'attaching' || state.attachMs === null ? 'attaching probes…'
      : `waiting for the first interval (${(state.meta.settings.intervalMs / 1000).toFixed(1)}s)…`;
    const fixed = sparkLines + 1 + (allValues ? 1 : 0) + summaries.length + (perCpuNote ? 1 : 0) + (empty ? 1 : 0);
    let visible = Math.max(1, budget - fixed);
    if (rows.length > visible) visible = Math.max(1, visible - 2); // the ↑/↓ markers
    const scroll = clampScroll(ui.scroll, rows.length, visible);
    const win = windowOf(rows, scroll, visible);
    const selectedCpu = rows[scroll.cursor]?.cpu ?? null;
    this.layout = { rows: rows.length, visible, cpus: entries.map((e) => e.cpu).sort((a, b) => a - b), selectedCpu, wantGroups };

    let body: string[];
    if (ui.help) body = helpLines(width, color);
    else if (ui.view === 'histogram') body = histogramLines({ hist: state.histograms.lockrefNs, cpu: ui.histCpu, width, height: budget, color, ended: state.end !== null });
    else if (ui.view === 'timeline') body = timelineLines({ state, series: this.series.get(state.intervals), width, height: budget, color });
    else if (ui.view === 'probes') body = probesLines({ state, width, height: budget, color });
    else {
      const unavailable = new Set<Target>(h.targets.filter((t) => t.strategy === 'unavailable').map((t) => t.target));
      const columns = fitColumns(demoteUnavailable(allColumns(lockrefStrategy(state), rtWaits(state.meta)), unavailable), width, base !== null);
      body = [];
      if (sparkLines) {
        const s = this.series.get(state.intervals);
        body.push(
          sparklineLine({ label: 'runs/s', values: s.runsPerSec, width, color, tint: 'green' }),
          sparklineLine({ label: 'ECHILD/s', values: s.echildPerSec, width, color, tint: 'yellow' }),
          sparklineLine({ label: 'spin ms/s', values: s.spinMsPerSec, width, color, tint: 'red' }),
        );
      }
      body.push(...cpuTableLines({
        columns, rows: win.shown, above: win.above, below: win.below, selectedCpu, summaries, basePerCpu: base?.perCpu ?? null,
        all: allValues, baseAll: base?.all ?? null, comparing: base !== null, note: perCpuNote, empty, color, sortKey: ui.sort,
      }));
    }
    // the body keeps its height (clipped, padded): the footer stays on the bottom line
    body = body.slice(0, budget);
    while (body.length < budget) body.push('');
    const lines = [
      ...headerLines({ model: h, width, color, paused: ui.frozen !== null, reasons: ui.reasons, baselineLabel: base?.label ?? null, status }),
      ...body,
      footerLine(ui, color, width),
    ];
    return lines.slice(0, height).map((l) => truncateLine(l, width));
  }

  /** A key press: changes the UI state, or asks to quit through onQuit. */
  key(k: Key, p: AppProps): void {
    const input = k.input;
    if (k.ctrl && input === 'c') { this.dispatch({ type: 'quit' }); p.onQuit?.('ctrl-c'); return; }
    if (input === 'q') { this.dispatch({ type: 'quit' }); p.onQuit?.('q'); return; }
    if (p.error) return;
    const { rows: total, visible, cpus, selectedCpu, wantGroups } = this.layout;
    if (input === '?') return this.dispatch({ type: 'help' });
    if (k.escape) return this.dispatch({ type: 'escape' });
    if (k.tab) return this.dispatch({ type: 'nextView', back: k.shift });
    if (input === 'p') return this.dispatch({ type: 'pause', state: p.state });
    if (input === 's') return this.dispatch({ type: 'sort' });
    if (input === 'b') return this.dispatch({ type: 'busy' });
    if (input === 'a') return this.dispatch({ type: 'span' });
    if (input === 'g') return this.dispatch({ type: 'groups', current: wantGroups });
    if (input === 'r') return this.dispatch({ type: 'reasons' });
    const move = (delta: number) => this.dispatch({ type: 'move', delta, total, visible });
    if (this.ui.view === 'histogram' && (k.leftArrow || k.rightArrow || input === 'h' || input === 'l')) {
      return this.dispatch({ type: 'histCpu', delta: k.leftArrow || input === 'h' ? -1 : 1, cpus });
    }
    if (input === 'j' || k.downArrow) return move(1);
    if (input === 'k' || k.upArrow) return move(-1);
    if (k.pageDown || input === ' ') return move(visible);
    if (k.pageUp) return move(-visible);
    if (k.home) return move(-total);
    if (k.end || input === 'G') return move(total);
    if (k.return && this.ui.view === 'cpus' && selectedCpu !== null) {
      this.dispatch({ type: 'histSelect', cpu: selectedCpu });
      this.dispatch({ type: 'nextView' });
    }
  }
}
