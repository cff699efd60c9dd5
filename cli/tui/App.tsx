// The live UI: header, the current view (CPUs / histogram / timeline / probes), footer. Reads CaptureState only.
import { useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { Box, Text, useInput, useStdin, useStdout } from 'ink';
import type { Capture } from '../schema/types.generated.js';
import type { CaptureState } from '../state/state.js';
import { Header, headerHeight } from './Header.js';
import { CpuTable } from './CpuTable.js';
import { Sparkline } from './Sparkline.js';
import { HistogramView } from './HistogramView.js';
import { TimelineView } from './TimelineView.js';
import { ProbesView } from './ProbesView.js';
import { HelpOverlay } from './HelpOverlay.js';
import { ErrorView } from './ErrorView.js';
import { Footer } from './Footer.js';
import { headerModel, lockrefStrategy } from './view-model/header.js';
import { baselineModel } from './view-model/baseline.js';
import { arrangeRows, cpuEntries, spanSeconds } from './view-model/cpu-rows.js';
import { metricValues, sumMetrics } from './view-model/rates.js';
import { groupSummaries } from './view-model/groups.js';
import { allColumns, demoteUnavailable, fitColumns } from './view-model/layout.js';
import type { Target } from '../schema/types.generated.js';
import { clampScroll, windowOf } from './view-model/scroll.js';
import { SeriesCache } from './view-model/sparkline.js';
import { initialUi, uiReducer, type UiState } from './view-model/ui-state.js';

export type QuitHow = 'q' | 'ctrl-c';

export interface AppProps {
  state: CaptureState;
  baseline?: Capture | null;
  baselineLabel?: string | null;
  /** ms since probes attached by the caller's clock, for a smooth progress bar */
  clockMs?: number | null;
  /** override the terminal size (tests, bench) */
  width?: number;
  height?: number;
  color?: boolean;
  /** an error found at start: describeError lines */
  error?: readonly string[] | null;
  /** a line from the runner: "stopping…", "saved to …" */
  status?: string | null;
  onQuit?: (how: QuitHow) => void;
  initial?: Partial<UiState>;
}

function useTerminalSize(w?: number, h?: number): { width: number; height: number } {
  const { stdout } = useStdout();
  const [, bump] = useState(0);
  useEffect(() => {
    if (w !== undefined && h !== undefined) return;
    const on = () => bump((n) => n + 1);
    stdout.on('resize', on);
    return () => { stdout.off('resize', on); };
  }, [stdout, w, h]);
  return { width: w ?? (stdout.columns || 80), height: h ?? (stdout.rows || 24) };
}

export function App(props: AppProps) {
  const color = props.color ?? true;
  const { width, height } = useTerminalSize(props.width, props.height);
  const [ui, dispatch] = useReducer(uiReducer, { ...initialUi, ...props.initial });
  const seriesCache = useRef(new SeriesCache());
  const state = ui.frozen ?? props.state;
  const cpuCount = state.meta?.host.cpuCount ?? null;
  const base = useMemo(
    () => (props.baseline ? baselineModel(props.baseline, cpuCount, props.baselineLabel ?? 'baseline') : null),
    [props.baseline, props.baselineLabel, cpuCount],
  );

  const h = headerModel(state, props.clockMs ?? null, base);
  const status = ui.quitting && !props.status ? 'stopping…' : props.status ?? null;
  const budget = Math.max(4, height - 1 - headerHeight(h, ui.reasons, status) - 1);

  // CPUs view model
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
  const unavailable = new Set<Target>(h.targets.filter((t) => t.strategy === 'unavailable').map((t) => t.target));
  const columns = fitColumns(demoteUnavailable(allColumns(lockrefStrategy(state)), unavailable), width, base !== null);

  // keys need raw mode: with stdin not a terminal (`rcuwalk < /dev/null`) the UI still shows, Ctrl-C is SIGINT
  const { isRawModeSupported } = useStdin();
  useInput((input, key) => {
    if (key.ctrl && input === 'c') { dispatch({ type: 'quit' }); props.onQuit?.('ctrl-c'); return; }
    if (input === 'q') { dispatch({ type: 'quit' }); props.onQuit?.('q'); return; }
    if (props.error) return;
    if (input === '?') return dispatch({ type: 'help' });
    if (key.escape) return dispatch({ type: 'escape' });
    if (key.tab) return dispatch({ type: 'nextView', back: key.shift });
    if (input === 'p') return dispatch({ type: 'pause', state: props.state });
    if (input === 's') return dispatch({ type: 'sort' });
    if (input === 'b') return dispatch({ type: 'busy' });
    if (input === 'a') return dispatch({ type: 'span' });
    if (input === 'g') return dispatch({ type: 'groups', current: wantGroups });
    if (input === 'r') return dispatch({ type: 'reasons' });
    const total = rows.length;
    const move = (delta: number) => dispatch({ type: 'move', delta, total, visible });
    if (ui.view === 'histogram' && (key.leftArrow || key.rightArrow || input === 'h' || input === 'l')) {
      const cpus = [...entries.map((e) => e.cpu)].sort((a, b) => a - b);
      return dispatch({ type: 'histCpu', delta: key.leftArrow || input === 'h' ? -1 : 1, cpus });
    }
    if (input === 'j' || key.downArrow) return move(1);
    if (input === 'k' || key.upArrow) return move(-1);
    if (key.pageDown || input === ' ') return move(visible);
    if (key.pageUp) return move(-visible);
    if (key.home) return move(-total);
    if (key.end || input === 'G') return move(total);
    if (key.return && ui.view === 'cpus' && selectedCpu !== null) {
      dispatch({ type: 'histSelect', cpu: selectedCpu });
      dispatch({ type: 'nextView' });
    }
  }, { isActive: isRawModeSupported === true });

  if (props.error) {
    return (
      <Box flexDirection="column" width={width}>
        <ErrorView lines={props.error} color={color} />
      </Box>
    );
  }

  const series = sparkLines ? seriesCache.current.get(state.intervals) : null;
  let body;
  if (ui.help) body = <HelpOverlay color={color} />;
  else if (ui.view === 'histogram') body = <HistogramView hist={state.histograms.lockrefNs} cpu={ui.histCpu} width={width} height={budget} color={color} ended={state.end !== null} />;
  else if (ui.view === 'timeline') body = <TimelineView state={state} series={seriesCache.current.get(state.intervals)} width={width} height={budget} color={color} />;
  else if (ui.view === 'probes') body = <ProbesView state={state} height={budget} color={color} />;
  else {
    body = (
      <Box flexDirection="column">
        {series ? (
          <>
            <Sparkline label="runs/s" values={series.runsPerSec} width={width} color={color} tint="green" />
            <Sparkline label="ECHILD/s" values={series.echildPerSec} width={width} color={color} tint="yellow" />
            <Sparkline label="spin ms/s" values={series.spinMsPerSec} width={width} color={color} tint="red" />
          </>
        ) : null}
        <CpuTable columns={columns} rows={win.shown} above={win.above} below={win.below} selectedCpu={selectedCpu}
          summaries={summaries} basePerCpu={base?.perCpu ?? null} all={allValues} baseAll={base?.all ?? null} comparing={base !== null} note={perCpuNote} empty={empty} color={color} sortKey={ui.sort} />
      </Box>
    );
  }

  return (
    <Box flexDirection="column" width={width}>
      <Header model={h} width={width} color={color} paused={ui.frozen !== null} reasons={ui.reasons}
        baselineLabel={base?.label ?? null} status={status} />
      <Box flexDirection="column" height={budget} overflow="hidden">{body}</Box>
      <Footer ui={ui} color={color} width={width} />
    </Box>
  );
}
