// The live UI: header, the current view (CPUs / histogram / timeline / probes), footer; keys through useInput, the
// terminal's size through ink's stdout (and its resize event). Reads CaptureState only; no I/O besides ink's.
import { useEffect, useMemo, useReducer, useRef, useState, type ReactNode } from 'react';
import { Box, useInput, useStdin, useStdout, type Key } from 'ink';
import type { Capture, Histogram } from '../schema/types.generated.js';
import type { CaptureState } from '../state/state.js';
import { screenModel, type Layout } from './screen-model.js';
import { baselineModel } from './view-model/baseline.js';
import { headerModel } from './view-model/header.js';
import { SERIES_METRIC as M, SeriesCache } from './view-model/sparkline.js';
import { initialUi, KEY_HELP, uiReducer, type UiState } from './view-model/ui-state.js';
import type { Span } from './view-model/cpu-rows.js';
import { keyActions, type QuitHow } from './view-model/keys.js';
import { Header } from './components/header.js';
import { CpuTable } from './components/cpu-table.js';
import { Sparkline } from './components/sparkline.js';
import { HistogramView } from './components/histogram-view.js';
import { TimelineView } from './components/timeline-view.js';
import { ProbesView } from './components/probes-view.js';
import { HelpView } from './components/help-view.js';
import { ErrorView } from './components/error-view.js';
import { Footer } from './components/footer.js';

export type { QuitHow };

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
  /** the terminal's size instead of stdout's (tests, bench) */
  width?: number;
  height?: number;
  initial?: Partial<UiState>;
  /** keys the caller handles first (the viewer's time cursor): true when handled */
  onKey?: (input: string, key: Key) => boolean;
  /** lines under the header (the viewer's cursor line) and how many */
  banner?: ReactNode;
  bannerLines?: number;
  /** the histogram to show instead of the state's (the viewer: always the whole run's) and a note about it */
  histogram?: Histogram;
  histogramNote?: string | null;
  spanLabels?: readonly [string, string];
  /** the span, when the caller owns it (the viewer: interval under the cursor or whole run) */
  span?: Span;
  keyHelp?: readonly (readonly [string, string])[];
}

/** The terminal's columns and rows, re-read when it is resized. */
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

export function App(p: AppProps) {
  const color = p.color ?? true;
  const { width, height } = useTerminalSize(p.width, p.height);
  const [own, dispatch] = useReducer(uiReducer, p.initial, (i) => ({ ...initialUi, ...i }));
  const ui = useMemo(() => (p.span && p.span !== own.span ? { ...own, span: p.span } : own), [own, p.span]);
  const [series] = useState(() => new SeriesCache());
  const layout = useRef<Layout>({ rows: 0, visible: 1, cpus: [], selectedCpu: null, wantGroups: false });
  const { isRawModeSupported } = useStdin();

  const state = ui.frozen ?? p.state;
  const cpuCount = state.meta?.host.cpuCount ?? null;
  const base = useMemo(() => (p.baseline ? baselineModel(p.baseline, cpuCount, p.baselineLabel ?? 'baseline') : null), [p.baseline, p.baselineLabel, cpuCount]);
  // the clock moves only the header's progress bar: the rest of the screen is not recomputed for it
  const header = useMemo(() => headerModel(state, p.clockMs ?? null, base), [state, p.clockMs, base]);
  const status = p.status ?? null, extraHeader = p.bannerLines ?? 0;
  const m = useMemo(() => screenModel(ui, { state: p.state, base, status, width, height, extraHeader }), [ui, p.state, base, status, width, height, extraHeader]);
  layout.current = m.layout;

  useInput((input, key) => {
    // a paste or fast typing can bring several characters in one input
    const inputs = input.length > 1 && !key.ctrl && !key.meta ? [...input] : [input];
    for (const ch of inputs) {
      if (p.onKey?.(ch, key)) continue;
      const r = keyActions(ch, key, ui, layout.current, { error: Boolean(p.error), state: p.state });
      if ('quit' in r) { dispatch({ type: 'quit' }); p.onQuit?.(r.quit); return; }
      for (const a of r.actions) dispatch(a);
    }
  }, { isActive: isRawModeSupported === true }); // stdin not a terminal: no keys, no raw mode

  if (p.error) return <ErrorView lines={p.error} color={color} width={p.width} />;

  const t = m.table;
  let body: ReactNode;
  if (ui.help) body = <HelpView keys={p.keyHelp ?? KEY_HELP} color={color} />;
  else if (ui.view === 'histogram') {
    body = <HistogramView hist={p.histogram ?? state.histograms.lockrefNs} cpu={ui.histCpu} width={width} height={m.budget} color={color} ended={state.end !== null} note={p.histogramNote ?? null} />;
  } else if (ui.view === 'timeline') body = <TimelineView state={state} series={series.get(state.intervals)} width={width} height={m.budget} color={color} />;
  else if (ui.view === 'probes') body = <ProbesView state={state} color={color} />;
  else {
    const s = t.sparkLines ? series.get(state.intervals) : null;
    body = (
      <>
        {s ? <Sparkline label={M.runsPerSec.short} values={s.runsPerSec} width={width} color={color} tint="green" /> : null}
        {s ? <Sparkline label={M.echildPerSec.short} values={s.echildPerSec} width={width} color={color} tint="yellow" /> : null}
        {s ? <Sparkline label={M.spinMsPerSec.short} values={s.spinMsPerSec} width={width} color={color} tint="red" /> : null}
        <CpuTable table={t} basePerCpu={base?.perCpu ?? null} baseAll={base?.all ?? null} comparing={base !== null} color={color} sortKey={ui.sort} />
      </>
    );
  }
  // no width of our own on a terminal: ink lays out at the terminal's width at once on a resize (it draws before
  // our resize listener runs), so even that frame's lines fit
  return (
    <Box flexDirection="column" width={p.width}>
      <Header model={header} width={width} color={color} paused={ui.frozen !== null} reasons={ui.reasons} baselineLabel={base?.label ?? null} status={m.status} />
      {p.banner ?? null}
      {/* the body keeps its height (clipped, padded): the footer stays on the bottom line. Clipped vertically only:
          a horizontal clip cuts every line with slice-ansi each frame (12% of the frame) and the lines fit anyway */}
      <Box flexDirection="column" height={m.budget} overflowY="hidden" flexShrink={0}>{body}</Box>
      <Footer ui={ui} color={color} width={width} spanLabels={p.spanLabels} />
    </Box>
  );
}
