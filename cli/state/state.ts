// CaptureState: what the engine knows at any moment. The TUI, the CSV writer and the JSON writer all read it.
import type { Capture, CpuRow, Histograms, Interval, Totals } from '../schema/types.generated.js';
import type { CaptureMeta, CpuTimes, EndReason, Phase } from './events.js';
import type { HistEntry, MapEntry } from '../bpftrace/records.js';

export interface CaptureState {
  phase: Phase;
  meta: CaptureMeta | null;
  /** ms since rcuwalk started when probes were confirmed attached (= the first interval's start) */
  attachMs: number | null;
  /** closed intervals, oldest first; times relative to attachMs */
  intervals: Interval[];
  /** run totals over the closed intervals */
  totals: Totals;
  histograms: Histograms;
  lockrefCallsites: NonNullable<Capture['lockrefCallsites']>;
  contentionStacks: NonNullable<Capture['contentionStacks']>;
  lostEvents: number;
  end: { atMs: number; endedAt: string; reason: EndReason; error: string | null } | null;
  /** bpftrace records received since the last tick (the open interval) */
  pending: { maps: Record<string, MapEntry[]>; hists: Record<string, HistEntry[]> };
  /** the last tick's time and /proc/stat sample, for the next interval's deltas */
  lastTick: { atMs: number; cpuTimes: CpuTimes[] } | null;
}

export type { CpuRow };
