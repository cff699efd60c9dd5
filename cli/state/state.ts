// CaptureState: what the engine knows at any moment. The TUI, the CSV writer and the JSON writer all read it.
import type { BpfErrorSample, Capture, CpuRow, Histograms, Interval, RunTotals } from '../schema/types.generated.js';
import type { CaptureMeta, CpuTimes, EndReason, Phase } from './events.js';
import type { HistEntry, MapEntry } from '../bpftrace/records.js';
import type { RunAcc } from './accumulators.js';
import type { KeyMemo } from './key-memo.js';
import type { Coverage } from '../metrics/coverage.js';

export interface CaptureState {
  phase: Phase;
  meta: CaptureMeta | null;
  /** ms since rcuwalk started when probes were confirmed attached (= the first interval's start) */
  attachMs: number | null;
  /**
   * The most recent closed intervals, oldest first (times relative to attachMs): a bounded window, NOT the whole
   * run, so a capture's memory does not grow with its length. At most intervalWindow(cpus) of them (512 below
   * 64 CPUs, fewer above: about 32k CPU rows in all, never under 64 intervals): enough for the TUI's sparklines
   * and timeline. Every closed interval is in the capture's journal (`<out>.journal`), from which the capture
   * file is written (cli/capture/finish.ts); totals, histograms, call sites and stacks cover the whole run.
   * A new array each tick: never modified once a state holds it.
   */
  intervals: Interval[];
  /** how many intervals have closed in the run (>= intervals.length); the next interval's seq */
  intervalCount: number;
  /** the time every closed interval covers, those that left the window too: what run totals are rates over */
  coverage: Coverage;
  /** run totals over the closed intervals */
  totals: RunTotals;
  histograms: Histograms;
  lockrefCallsites: NonNullable<Capture['lockrefCallsites']>;
  contentionStacks: NonNullable<Capture['contentionStacks']>;
  /** events bpftrace reported lost over the whole run (each interval has its own count too) */
  lostEvents: number;
  /** error records bpftrace printed over the whole run (helper_error, runtime_error, unreadable records...) */
  bpfErrors: number;
  /** the first distinct error messages (at most MAX_ERROR_SAMPLES) and how often each came */
  bpfErrorSamples: BpfErrorSample[];
  end: { atMs: number; endedAt: string; reason: EndReason; error: string | null } | null;
  /** bpftrace records received since the last tick (the open interval); errors and lost events counted */
  pending: Pending;
  /** the last tick's time and /proc/stat sample, for the next interval's deltas */
  lastTick: { atMs: number; cpuTimes: CpuTimes[] } | null;
  /** the reducer's running sums over the run, from which totals, histograms, call sites and stacks are made */
  acc: RunAcc;
  /** parsed contention-map keys of this capture (a memo; one per capture, see key-memo.ts) */
  keyMemo: KeyMemo;
}

export interface Pending { maps: Record<string, MapEntry[]>; hists: Record<string, HistEntry[]>; errors: number; lost: number }

export const emptyPending = (): Pending => ({ maps: {}, hists: {}, errors: 0, lost: 0 });

/** Distinct bpftrace error messages a state keeps (each with its count). */
export const MAX_ERROR_SAMPLES = 10;

export type { CpuRow };

/** CPU rows the interval window holds at most (see CaptureState.intervals). */
const WINDOW_ROWS = 32_768;
/** Intervals the window holds at most (see CaptureState.intervals). */
export const WINDOW_MAX = 512;
export const WINDOW_MIN = 64;

/** How many recent intervals a state keeps for `cpus` CPU rows per interval. */
export function intervalWindow(cpus: number): number {
  return Math.max(WINDOW_MIN, Math.min(WINDOW_MAX, Math.floor(WINDOW_ROWS / Math.max(1, cpus))));
}
