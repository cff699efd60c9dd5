// A capture as flat tables (rows of named cells) for CSV and NDJSON. Column names carry units: the counters'
// columns (cli/metrics/counters.ts) and the catalogue's per-CPU metrics by their stable names (echild_per_s,
// spin_ms_per_s, ...); null cells are unavailable (not measured) metrics.
import type { Capture, CpuMetrics } from '../schema/types.generated.js';
import { COUNTERS } from '../metrics/counters.js';
import { METRICS, metric, sampleValues, type MetricDef } from '../metrics/catalogue.js';
import { intervalSample, runSecs } from '../metrics/capture-values.js';
import { intervalSecs } from '../metrics/coverage.js';

export type Cell = string | number | boolean | null;
export type Row = Record<string, Cell>;
export const TABLES = ['intervals', 'cpus', 'histogram', 'resolution'] as const;
export type TableName = (typeof TABLES)[number];

/** CpuMetrics field -> column (snake case; counts are plain counts, *_ns nanoseconds, *_pct percent of the CPU). */
export const FIELD_COLUMNS: ReadonlyArray<readonly [keyof CpuMetrics, string]> = COUNTERS.map((c) => [c.field, c.column] as const);

/** The catalogue's per-CPU metrics with a per-sample formula, derived for every CPU row (sys_pct is a counter column already). */
function rateMetrics(metrics: readonly MetricDef[]): MetricDef[] {
  return metrics.filter((m) => m.perCpu && m.value && !FIELD_COLUMNS.some(([, col]) => col === m.id));
}

function rates(m: CpuMetrics, secs: number, metrics: readonly MetricDef[]): Row {
  return sampleValues({ agg: m, secs, runs: null, cpus: 1 }, metrics);
}

function metricCells(m: CpuMetrics): Row {
  const r: Row = {};
  for (const [f, col] of FIELD_COLUMNS) r[col] = m[f];
  return r;
}

/** Each table's columns, with the rate columns of `metrics` (a catalogue; default the real one). */
export function columnsOf(metrics: readonly MetricDef[] = METRICS): Record<TableName, readonly string[]> {
  const rateColumns = rateMetrics(metrics).map((m) => m.id);
  return {
    intervals: ['seq', 'start_ms', 'end_ms', 'cpu', ...FIELD_COLUMNS.map(([, c]) => c), ...rateColumns, 'runs', 'runs_per_s'],
    cpus: ['cpu', ...FIELD_COLUMNS.map(([, c]) => c), ...rateColumns, 'elapsed_ms'],
    histogram: ['scope', 'cpu', 'strategy', 'min_ns', 'max_ns', 'count'],
    resolution: ['target', 'strategy', 'probe', 'symbol', 'return_convention', 'flags_arg', 'lookup_rcu', 'callsites', 'reason', 'rejected'],
  };
}

export const COLUMNS = columnsOf();

/**
 * intervals: one row per interval x CPU (runs and runs_per_s are the interval's, over all CPUs, repeated on
 * each of its rows); cpus: per-CPU totals over the run; histogram: the lockref log2 histogram, all CPUs then
 * per CPU; resolution: how each probe target was resolved.
 */
export function* tableRows(c: Capture, table: TableName, metrics: readonly MetricDef[] = METRICS): Generator<Row> {
  const rm = rateMetrics(metrics);
  switch (table) {
    case 'intervals':
      for (const iv of c.intervals) {
        const secs = intervalSecs(iv);
        const runsPerS = metric('runs_per_s').value!(intervalSample(iv));
        for (const r of iv.cpus) {
          yield { seq: iv.seq, start_ms: iv.startMs, end_ms: iv.endMs, cpu: r.cpu, ...metricCells(r), ...rates(r, secs, rm), runs: iv.runs, runs_per_s: runsPerS };
        }
      }
      return;
    case 'cpus': {
      const secs = runSecs(c);
      for (const r of c.totals.cpus) yield { cpu: r.cpu, ...metricCells(r), ...rates(r, secs, rm), elapsed_ms: c.run.elapsedMs };
      return;
    }
    case 'histogram': {
      const h = c.histograms.lockrefNs;
      for (const b of h.all) yield { scope: 'all', cpu: null, strategy: h.strategy, min_ns: b.min, max_ns: b.max, count: b.count };
      for (const pc of h.cpus) for (const b of pc.buckets) yield { scope: 'cpu', cpu: pc.cpu, strategy: h.strategy, min_ns: b.min, max_ns: b.max, count: b.count };
      return;
    }
    case 'resolution':
      for (const t of c.resolution) {
        yield {
          target: t.target, strategy: t.strategy, probe: t.probe, symbol: t.symbol,
          return_convention: t.returnConvention ?? null, flags_arg: t.flagsArg ?? null, lookup_rcu: t.lookupRcu ?? null,
          callsites: t.callsites?.length ? t.callsites.map((s) => `${s.caller}+${s.offset}`).join(' ') : null,
          reason: t.reason, rejected: t.rejected.length ? t.rejected.map((r) => `${r.strategy}: ${r.reason}`).join('; ') : null,
        };
      }
      return;
  }
}
