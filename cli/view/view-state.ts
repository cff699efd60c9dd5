// A recorded run as the live UI's state, at a time cursor: the interval under the cursor is the "last" one (with
// the intervals before it, as many as the live UI keeps, for the sparklines and the timeline), or the whole run.
// Pure: the same CaptureState the live UI draws, so the viewer shows exactly what the live UI showed.
import type { RunSource } from './load-run.js';
import { intervalWindow, type CaptureState } from '../state/state.js';
import { initialState } from '../state/reducer.js';
import { runCoverage } from '../metrics/capture-values.js';

export type ViewSpan = 'interval' | 'run';

export interface ViewCursor { index: number; span: ViewSpan }

export function clampCursor(src: RunSource, index: number): number {
  return Math.max(0, Math.min(src.count - 1, index));
}

/** Reads only the intervals the screen shows (the window up to the cursor) from the source. */
export function viewState(src: RunSource, cur: ViewCursor): CaptureState {
  const c = src.head;
  const { tool, host, bpftrace, settings, resolution, metricSources } = c;
  const n = src.count;
  // the whole run: the window ends at the last interval, and the table reads the run's totals
  const end = cur.span === 'run' || n === 0 ? n : clampCursor(src, cur.index) + 1;
  const start = Math.max(0, end - intervalWindow(host.cpuCount));
  return {
    ...initialState(), // the reducer's own fields (nothing pending, no running sums): a recorded run is closed
    phase: 'done',
    meta: { tool, host, bpftrace, settings, resolution, metricSources, startedAt: c.run.startedAt },
    attachMs: c.run.attachMs ?? 0,
    intervals: src.slice(start, end),
    intervalCount: end,
    coverage: runCoverage(c),
    totals: c.totals,
    histograms: c.histograms,
    lockrefCallsites: c.lockrefCallsites ?? [],
    contentionStacks: c.contentionStacks ?? [],
    lostEvents: c.run.lostEvents,
    bpfErrors: c.run.bpfErrors ?? 0,
    bpfErrorSamples: c.run.bpfErrorSamples ?? [],
    end: { atMs: (c.run.attachMs ?? 0) + c.run.elapsedMs, endedAt: c.run.endedAt, reason: c.run.endReason, error: c.run.error },
  };
}
