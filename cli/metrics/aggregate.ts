// Combining counter rows (CPUs, intervals) into one, by each counter's rule in counters.ts: sum, max, or the
// plain mean of the rows that have a value (percents). null stays null when no row has the counter.
import type { CpuMetrics } from '../schema/types.generated.js';
import { COUNTERS } from './counters.js';

export function emptyMetrics(): CpuMetrics {
  const m = {} as CpuMetrics;
  for (const c of COUNTERS) m[c.field] = null;
  return m;
}

export function aggregate(rows: readonly CpuMetrics[]): CpuMetrics {
  const out = emptyMetrics();
  for (const c of COUNTERS) {
    let acc: number | null = null, n = 0;
    for (const r of rows) {
      const v = r[c.field];
      if (v === null || v === undefined) continue;
      n++;
      acc = acc === null ? v : c.combine === 'max' ? Math.max(acc, v) : acc + v;
    }
    out[c.field] = acc !== null && c.combine === 'mean' ? acc / n : acc;
  }
  return out;
}
