// A SYNTHETIC sweep result (schema-valid, invented numbers) for report tests.
import type { Sweep } from '../../../cli/schema/types.generated.js';

export function syntheticSweep(): Sweep {
  return {
    schemaVersion: 1, kind: 'sweep', createdAt: '2026-01-01T00:00:00.000Z',
    host: { hostname: 'synthetic', kernelRelease: '6.1.0-synthetic', cpuCount: 8 },
    settings: { workload: 'ps', command: 'TZ=/etc/localtime ps -fe', durationMs: 10000, intervalMs: 1000, trials: 1 },
    points: [1, 2, 4, 8].map((p) => ({ parallel: p, captures: [`p${p}-1.json`], metrics: {
      runs_per_s: { n: 1, median: 50 * Math.sqrt(p), min: 50 * Math.sqrt(p), max: 50 * Math.sqrt(p) },
      echild_per_s: { n: 1, median: 1000 * p, min: 1000 * p, max: 1000 * p },
      spin_ms_per_s: { n: 1, median: 3 * p * p, min: 3 * p * p, max: 3 * p * p },
      spinlock_ms_per_s: { n: 3, median: 5 * p, min: 4 * p, max: 7 * p },
      lockref_waits_per_s: null,
    } })),
  };
}
