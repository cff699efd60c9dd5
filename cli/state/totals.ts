// A run's totals (a capture's `totals`) from its intervals: each CPU's rows combined over the intervals (each row
// weighted by the seconds it covers), all CPUs combined from those, runs summed, runs/s over the time the intervals
// cover. The reducer adds one interval per tick, its rows weighted by the CPU time /proc/stat counted for each (so
// %sys over the run is exactly what /proc/stat says between the first and last tick); journal recovery totals a
// journal's intervals at once, each row over its interval's wall time (all a capture file records). Pure.
import type { CpuRow, Interval, RunTotals } from '../schema/types.generated.js';
import { combine, timed, type Combined } from '../metrics/combine.js';
import { coverageOf, coveredSecs, intervalSecs, type Coverage } from '../metrics/coverage.js';
import { runsPerSecond } from '../metrics/catalogue.js';

/** Per CPU: its rows combined over the intervals so far. */
export type CpuTotals = ReadonlyMap<number, Combined>;

/** The seconds a row of an interval covers (its weight when rows combine). */
export type RowSecs = (row: CpuRow, iv: Interval) => number;

const wallSecs: RowSecs = (_row, iv) => intervalSecs(iv);

function addRows(into: Map<number, Combined>, iv: Interval, secsOf: RowSecs): void {
  for (const r of iv.cpus) {
    const t = into.get(r.cpu);
    const row = timed(r, secsOf(r, iv));
    into.set(r.cpu, combine(t ? [t, row] : [row]));
  }
}

/** Per-CPU totals with one more interval's rows (a new map: `prev` stays as it was); each row over `secsOf` it. */
export function addIntervalRows(prev: CpuTotals, iv: Interval, secsOf: RowSecs = wallSecs): CpuTotals {
  const next = new Map(prev);
  addRows(next, iv, secsOf);
  return next;
}

/** Workload runs per worker, summed (null until a workload counted any). */
export function addRunsPerWorker(prev: readonly number[] | null, now: readonly number[] | null): number[] | null {
  if (!now) return prev ? prev.slice() : null;
  const len = Math.max(now.length, prev?.length ?? 0);
  const next = new Array<number>(len);
  for (let i = 0; i < len; i++) next[i] = (prev?.[i] ?? 0) + (now[i] ?? 0);
  return next;
}

/** The run's totals from its per-CPU totals, its runs and the time its intervals cover. */
export function runTotals(byCpu: CpuTotals, runs: number | null, runsPerWorker: readonly number[] | null, coverage: Coverage): RunTotals {
  const cpus: CpuRow[] = [...byCpu].sort((a, b) => a[0] - b[0]).map(([cpu, t]) => ({ cpu, ...t.metrics }));
  return {
    all: combine(byCpu.values()).metrics,
    cpus,
    runs,
    runsPerSec: runsPerSecond(runs, coveredSecs(coverage)),
    runsPerWorker: runsPerWorker ? runsPerWorker.slice() : null,
  };
}

/** The totals of a list of intervals, oldest first (journal recovery, a slice of a capture). */
export function totalsOf(intervals: readonly Interval[]): RunTotals {
  const byCpu = new Map<number, Combined>();
  let runs: number | null = null;
  let perWorker: number[] | null = null;
  for (const iv of intervals) {
    addRows(byCpu, iv, wallSecs);
    if (iv.runs !== null) runs = (runs ?? 0) + iv.runs;
    if (iv.runsPerWorker) perWorker = addRunsPerWorker(perWorker, iv.runsPerWorker);
  }
  return runTotals(byCpu, runs, perWorker, coverageOf(intervals));
}
