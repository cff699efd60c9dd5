// The lines a generated script prints with printf, beside its maps: the BEGIN marker (the probes are attached) and
// the interval tick.

/** `rcuwalk-tick <nsecs>`: an interval ended; its maps follow. */
export const TICK_PREFIX = 'rcuwalk-tick ';
/** printed by BEGIN: bpftrace has attached every probe. */
export const READY_LINE = 'rcuwalk-ready';
