// The event union the capture reducer folds into CaptureState. Everything the engine learns arrives as one of these.
import type { BpfRecord } from '../bpftrace/records.js';
import type { Capture } from '../schema/types.generated.js';

/** Cumulative /proc/stat times for one CPU, in USER_HZ ticks. */
export interface CpuTimes {
  cpu: number;
  user: number; nice: number; system: number; idle: number;
  iowait: number; irq: number; softirq: number; steal: number;
}

/** What is known before the first interval: everything in a capture that is not measured. */
export type CaptureMeta = Pick<Capture, 'tool' | 'host' | 'bpftrace' | 'settings' | 'resolution' | 'metricSources'> & {
  startedAt: string;
};

export type Phase = 'resolving' | 'attaching' | 'running' | 'stopping' | 'done' | 'failed';
export type EndReason = Capture['run']['endReason'];

export type CaptureEvent =
  | { type: 'meta'; meta: CaptureMeta }
  | { type: 'phase'; phase: Phase }
  /** probes confirmed attached; atMs since rcuwalk started; cpuTimes is the first /proc/stat sample */
  | { type: 'attached'; atMs: number; probes: number; cpuTimes: CpuTimes[] }
  | { type: 'bpf'; record: BpfRecord }
  /** an interval closed (bpftrace printed its tick); like every atMs, ms since rcuwalk started (monotonic) */
  | { type: 'tick'; atMs: number; cpuTimes: CpuTimes[]; runsPerWorker: number[] | null }
  | { type: 'end'; atMs: number; endedAt: string; reason: EndReason; error: string | null };
