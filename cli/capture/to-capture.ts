// CaptureState -> Capture (the file format). Pure: the run's end and timing come from the state.
import type { Capture, Interval } from '../schema/types.generated.js';
import type { CaptureState } from '../state/state.js';
import { CAPTURE_SCHEMA_VERSION } from '../schema/versions.js';
import { coveredMs } from '../metrics/coverage.js';

function addMs(iso: string, ms: number): string {
  const t = Date.parse(iso);
  return Number.isFinite(t) ? new Date(t + Math.round(ms)).toISOString() : iso;
}

/**
 * Builds the capture file object, with `intervals` as given (default: the state's window, which is the whole run
 * only while it has closed no more than intervalWindow() intervals; the capture file streams them from the journal,
 * see finish.ts). Without an 'end' event (a capture taken mid-run) the run counts as
 * interrupted and endedAt is estimated from startedAt + the last tick. Throws if no meta was reduced (a bug).
 */
export function toCapture(state: CaptureState, intervals: Interval[] = state.intervals.slice()): Capture {
  const meta = state.meta;
  if (!meta) throw new Error('toCapture: the state has no meta (no capture was started)');
  const end = state.end;
  const endedAt = end?.endedAt ?? addMs(meta.startedAt, state.lastTick?.atMs ?? 0);
  const capture: Capture = {
    schemaVersion: CAPTURE_SCHEMA_VERSION,
    tool: { ...meta.tool },
    host: meta.host,
    bpftrace: meta.bpftrace,
    run: {
      startedAt: meta.startedAt,
      endedAt,
      elapsedMs: coveredMs(state.coverage),
      attachMs: state.attachMs,
      complete: end?.reason === 'duration',
      endReason: end?.reason ?? 'interrupted',
      error: end?.error ?? null,
      lostEvents: state.lostEvents,
      bpfErrors: state.bpfErrors,
      bpfErrorSamples: state.bpfErrorSamples,
    },
    settings: meta.settings,
    resolution: meta.resolution,
    metricSources: meta.metricSources,
    intervals,
    totals: state.totals,
    histograms: state.histograms,
  };
  if (state.lockrefCallsites.length > 0) capture.lockrefCallsites = state.lockrefCallsites;
  if (state.contentionStacks.length > 0) capture.contentionStacks = state.contentionStacks;
  return capture;
}
