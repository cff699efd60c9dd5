// Documented exit codes (README "Exit codes"). Scripts rely on these numbers: never renumber.
export const EXIT = {
  ok: 0,
  /** an unexpected failure (a bug): the message says where */
  internal: 1,
  /** invalid flags, config file or input file */
  usage: 2,
  /** not root / missing CAP_BPF, CAP_PERFMON */
  privilege: 3,
  /** bpftrace missing or too old, tracefs/debugfs unavailable */
  toolMissing: 4,
  /** no requested target can be measured on this kernel */
  probeUnavailable: 5,
  /** an external command failed (bpftrace died, the workload could not start) */
  commandFailed: 6,
  /** the output path exists (use --force), or cannot be written */
  output: 7,
  /** a --fail-if gate of `rcuwalk compare` tripped */
  gate: 8,
  /** interrupted by SIGINT/SIGTERM/SIGHUP; what was measured is kept */
  interrupted: 130,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
