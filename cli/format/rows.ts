// Metric rows (per CPU and all CPUs) from an Interval or the run's totals (RunTotals): the catalogue's per-sample metrics for
// each row. Pure; null (not measured) stays null, so the views print '-'.
import type { CpuMetrics, Interval, RunTotals } from '../schema/types.generated.js';
import { metric, sampleValues, type Sample } from '../metrics/catalogue.js';
import { intervalSample } from '../metrics/capture-values.js';
import { intervalSecs } from '../metrics/coverage.js';


export interface MetricRow {
  /** a cpu number, or 'all' */
  cpu: number | 'all';
  /** catalogue metric id -> value (per-CPU rows: no per-run metrics) */
  values: Record<string, number | null>;
}

/** One row from counters over `seconds` of wall time on `cpus` CPUs (1 for a per-CPU row). */
export function metricRow(cpu: number | 'all', m: CpuMetrics, seconds: number, cpus = 1, runs: number | null = null): MetricRow {
  const s: Sample = { agg: m, secs: seconds, runs, cpus };
  return { cpu, values: sampleValues(s) };
}

/** Per-CPU rows of one interval, then the 'all' row (with the interval's runs). */
export function intervalRows(iv: Interval): MetricRow[] {
  const sec = intervalSecs(iv);
  const rows = iv.cpus.map((r) => metricRow(r.cpu, r, sec));
  const all = intervalSample(iv);
  rows.push({ cpu: 'all', values: sampleValues(all) });
  return rows;
}

/** Per-CPU rows of the run totals over `elapsedMs`, then the 'all' row (from totals.all, with the run's runs). */
export function totalsRows(t: RunTotals, elapsedMs: number): MetricRow[] {
  const sec = Math.max(0, elapsedMs) / 1000;
  const rows = t.cpus.map((r) => metricRow(r.cpu, r, sec));
  rows.push(metricRow('all', t.all, sec, Math.max(1, t.cpus.length), t.runs));
  return rows;
}

/** Workload runs per second in an interval (null: no workload). */
export function runsPerSec(iv: Interval): number | null {
  return metric('runs_per_s').value!(intervalSample(iv));
}

