// The exporter's own Prometheus names beside the counters (counters.ts): the lockref histogram, what the exporter
// says about itself (info, targets, health) and its own counters. `rcuwalk serve` and `export --openmetrics` read
// these entries; no Prometheus name is spelled anywhere else.

export interface PromFamily {
  name: string;
  type: 'counter' | 'gauge' | 'histogram';
  help: string;
}

const fam = (name: string, type: PromFamily['type'], help: string): PromFamily => ({ name, type, help });

/** The lockref log2 histogram (ns in the capture), exported in seconds with fixed bucket bounds (HIST_LE_SECONDS). */
export const LOCKREF_HISTOGRAM = fam('rcuwalk_lockref_duration_seconds', 'histogram',
  'lockref_get_not_dead durations (direct, call sites) or waits in its spinlock slow path (contention), from log2 buckets');

/** Upper bounds of the exported histogram: bpftrace's log2 buckets 64 ns .. 16 s, in seconds (+Inf follows). A fixed
 * ladder, so the series set does not change with the data; finer buckets fold into the first. */
export const HIST_LE_SECONDS: readonly number[] = Array.from({ length: 29 }, (_, i) => 2 ** (i + 6) / 1e9);

export const EXPORTER = {
  info: fam('rcuwalk_build_info', 'gauge', 'always 1: rcuwalk version, kernel release, bpftrace version and path syntax of this host'),
  target: fam('rcuwalk_target_info', 'gauge', "always 1 per probe target: the strategy that measures it here ('unavailable': its counters are absent, not zero)"),
  up: fam('rcuwalk_up', 'gauge', '1 while the probes are attached and intervals arrive, else 0'),
  attach: fam('rcuwalk_probe_attach_seconds', 'gauge', 'seconds from the start of the current bpftrace run (probe resolution included) to its probes attached'),
  probes: fam('rcuwalk_probes_attached', 'gauge', 'attach points of the current bpftrace'),
  restarts: fam('rcuwalk_bpftrace_restarts_total', 'counter', 'bpftrace restarts after it exited or stalled'),
  intervals: fam('rcuwalk_intervals_total', 'counter', 'intervals closed (bpftrace ticks) since rcuwalk started'),
  skipped: fam('rcuwalk_skipped_intervals_total', 'counter', 'interval lengths lost to long intervals: one that ran N times its length adds N-1 (a tick skipped while bpftrace caught up with its prints, or a late timer); nothing measured is lost'),
  lost: fam('rcuwalk_lost_events_total', 'counter', 'events bpftrace reported lost'),
  errors: fam('rcuwalk_bpftrace_errors_total', 'counter', 'bpftrace runtime errors (its error records and exits)'),
  interval: fam('rcuwalk_interval_seconds', 'gauge', 'the configured interval length'),
  lastInterval: fam('rcuwalk_last_interval_timestamp_seconds', 'gauge', 'unix time the last interval closed'),
} as const satisfies Record<string, PromFamily>;

/** The one label per CPU (absent with --no-per-cpu) */
export const CPU_LABEL = 'cpu';
