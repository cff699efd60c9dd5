// The counter fields of a CpuRow that probes count (every field but the /proc/stat percentages), read from the
// metric catalogue's counter list (cli/metrics/counters.ts): the reducer's per-CPU counter table is indexed by them.
import { COUNTERS, type Field } from '../metrics/counters.js';

/** A counter field that probes count. */
export type CounterKey = Exclude<Field, 'userPct' | 'sysPct' | 'idlePct'>;

/** The counter fields probes count (integers; combined by each counter's rule in counters.ts). */
export const COUNTER_KEYS: readonly CounterKey[] = COUNTERS.filter((c) => c.source !== 'procstat').map((c) => c.field as CounterKey);
