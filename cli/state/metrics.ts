// The counter fields of a CpuRow as the reducer groups them (counters vs /proc/stat percents), read from the
// metric catalogue's counter list (cli/metrics/counters.ts), and small constructors.
import type { CpuMetrics } from '../schema/types.generated.js';
import { COUNTERS } from '../metrics/counters.js';
import { emptyMetrics } from '../metrics/aggregate.js';

export type MetricKey = keyof CpuMetrics;
export type PercentKey = 'userPct' | 'sysPct' | 'idlePct';
export type CounterKey = Exclude<MetricKey, PercentKey>;

/** Counter fields (integers, summed over time and CPUs; lockrefMaxNs is a max). */
export const COUNTER_KEYS: readonly CounterKey[] = COUNTERS.filter((c) => c.unit !== 'percent').map((c) => c.field as CounterKey);

/** Percent fields (from /proc/stat; time-weighted when combined). */
export const PERCENT_KEYS: readonly PercentKey[] = COUNTERS.filter((c) => c.unit === 'percent').map((c) => c.field as PercentKey);

/** Counters combined by max instead of sum. */
export const MAX_KEYS: ReadonlySet<MetricKey> = new Set(COUNTERS.filter((c) => c.combine === 'max').map((c) => c.field));

export { emptyMetrics };
