// The metric fields of a CpuRow, and small constructors shared by the reducer and readers.
import type { CpuMetrics, CpuRow } from '../schema/types.generated.js';

export type MetricKey = keyof CpuMetrics;

/** Counter fields (integers, summed over time and CPUs; lockrefMaxNs is a max). */
export const COUNTER_KEYS = [
  'prCalls', 'prRcuCalls', 'prEchild', 'unlazyNextCalls', 'unlazyNextFails', 'unlazyCalls', 'unlazyFails',
  'lockrefCalls', 'lockrefWaits', 'lockrefNs', 'lockrefMaxNs', 'spinWaits', 'spinNs',
] as const satisfies readonly MetricKey[];
export type CounterKey = (typeof COUNTER_KEYS)[number];

/** Percent fields (from /proc/stat; time-weighted when combined). */
export const PERCENT_KEYS = ['userPct', 'sysPct', 'idlePct'] as const satisfies readonly MetricKey[];
export type PercentKey = (typeof PERCENT_KEYS)[number];

export const METRIC_KEYS: readonly MetricKey[] = [...COUNTER_KEYS, ...PERCENT_KEYS];

/** Counters combined by max instead of sum. */
export const MAX_KEYS: ReadonlySet<MetricKey> = new Set<MetricKey>(['lockrefMaxNs']);

export function emptyMetrics(): CpuMetrics {
  return {
    prCalls: null, prRcuCalls: null, prEchild: null, unlazyNextCalls: null, unlazyNextFails: null,
    unlazyCalls: null, unlazyFails: null, lockrefCalls: null, lockrefWaits: null, lockrefNs: null,
    lockrefMaxNs: null, spinWaits: null, spinNs: null, userPct: null, sysPct: null, idlePct: null,
  };
}

export function emptyRow(cpu: number): CpuRow {
  return { cpu, ...emptyMetrics() };
}
