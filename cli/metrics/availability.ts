// Whether a capture measured a metric: a metric whose counters' targets were unavailable is unavailable, with the
// resolver's reason, never a zero.
import type { Capture } from '../schema/types.generated.js';
import type { MetricDef } from './catalogue.js';

/** Why `c` has no value for `m`, or null when it measured it. */
export function unavailableReason(c: Capture, m: MetricDef): string | null {
  const missing: string[] = [];
  for (const f of m.fields) {
    const src = c.metricSources[f];
    if (src?.strategy === 'unavailable') missing.push(src.reason ?? `${f} not measured`);
  }
  const allNeeded = (m.needs ?? 'all') === 'all';
  if (missing.length > 0 && (allNeeded || missing.length === m.fields.length)) return missing[0]!;
  if (m.histogram && c.histograms.lockrefNs.strategy === 'unavailable') return 'lockref histogram not measured';
  if (m.usesRuns && c.settings.workload === 'none') return 'no workload: runs are not counted';
  return null;
}
