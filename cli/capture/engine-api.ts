// The capture engine's public face: what `capture`, the TUI (`run`) and plans (`ab`, `sweep`) drive.
import type { Capture, Settings } from '../schema/types.generated.js';
import type { CaptureState } from '../state/state.js';
import type { BpfRecord } from '../bpftrace/records.js';
import type { LockrefStrategyChoice } from '../probes/resolve.js';

export interface CaptureOptions {
  settings: Settings;
  /** where to write the capture (a journal goes beside it while running); null: no file */
  out: string | null;
  force: boolean;
  lockrefStrategy: LockrefStrategyChoice;
  /** progress lines for a non-TTY (stderr); the TUI passes none */
  log?: (line: string) => void;
  /** aborting ends the capture early (endReason interrupted), keeping what was measured */
  signal?: AbortSignal;
  trial?: Capture['trial'];
  /**
   * Which intervals CaptureResult.capture holds. 'all' (default): every one (read back from the file written;
   * without a file they are kept in memory during the run, there being nowhere else to keep them). 'recent': the
   * latest only (the state's window, see CaptureState.intervals), for callers that summarize the run (totals, run,
   * resolution: all exact); then memory does not grow with the run's length even without a file.
   */
  resultIntervals?: 'all' | 'recent';
  /** false: no progress line per interval (a service's log); default true */
  intervalLines?: boolean;
  /** every bpftrace record as parsed, before the reducer sees it (serve counts bpftrace's error records) */
  onRecord?: (record: BpfRecord) => void;
}

export interface CaptureResult {
  /** the capture written (or, without a file, that would be); its intervals as CaptureOptions.resultIntervals says */
  capture: Capture;
  outPath: string | null;
  /** how many intervals the run closed (= those in the file; capture.intervals.length unless 'recent') */
  intervalCount: number;
}

export interface CaptureHandle {
  getState(): CaptureState;
  /** called after every reduced event; returns an unsubscribe function */
  subscribe(listener: (state: CaptureState) => void): () => void;
  /** end early (like Ctrl-C): the capture so far is kept; `done` resolves after cleanup */
  stop(): void;
  /** resolves after every process rcuwalk started has exited and the file (if any) is written */
  done: Promise<CaptureResult>;
}
