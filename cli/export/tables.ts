// A capture as flat tables (rows of named cells) for CSV and NDJSON. Column names carry units
// (runs_per_s, sys_pct, spin_ns, lockref_ms_per_s); null cells are unavailable (not measured) metrics.
import type { Capture, CpuMetrics } from '../schema/types.generated.js';

export type Cell = string | number | boolean | null;
export type Row = Record<string, Cell>;
export const TABLES = ['intervals', 'cpus', 'histogram', 'resolution'] as const;
export type TableName = (typeof TABLES)[number];

/** CpuMetrics field -> column (snake case; counts are plain counts, *_ns nanoseconds, *_pct percent of the CPU). */
export const FIELD_COLUMNS: ReadonlyArray<readonly [keyof CpuMetrics, string]> = [
  ['prCalls', 'pr_calls'], ['prRcuCalls', 'pr_rcu_calls'], ['prEchild', 'pr_echild'],
  ['unlazyNextCalls', 'unlazy_next_calls'], ['unlazyNextFails', 'unlazy_next_fails'],
  ['unlazyCalls', 'unlazy_calls'], ['unlazyFails', 'unlazy_fails'],
  ['lockrefCalls', 'lockref_calls'], ['lockrefWaits', 'lockref_waits'], ['lockrefNs', 'lockref_ns'], ['lockrefMaxNs', 'lockref_max_ns'],
  ['spinWaits', 'spin_waits'], ['spinNs', 'spin_ns'],
  ['userPct', 'user_pct'], ['sysPct', 'sys_pct'], ['idlePct', 'idle_pct'],
];

/** Per-second rates derived for every CPU row, from the counters above. */
const RATE_COLUMNS = ['echild_per_s', 'lockref_calls_per_s', 'lockref_ms_per_s'] as const;

function rates(m: CpuMetrics, secs: number): Row {
  const per = (v: number | null, k = 1) => (v === null || secs <= 0 ? null : (v * k) / secs);
  return { echild_per_s: per(m.prEchild), lockref_calls_per_s: per(m.lockrefCalls), lockref_ms_per_s: per(m.lockrefNs, 1e-6) };
}

function metricCells(m: CpuMetrics): Row {
  const r: Row = {};
  for (const [f, col] of FIELD_COLUMNS) r[col] = m[f];
  return r;
}

export const COLUMNS: Record<TableName, readonly string[]> = {
  intervals: ['seq', 'start_ms', 'end_ms', 'cpu', ...FIELD_COLUMNS.map(([, c]) => c), ...RATE_COLUMNS, 'runs', 'runs_per_s'],
  cpus: ['cpu', ...FIELD_COLUMNS.map(([, c]) => c), ...RATE_COLUMNS, 'elapsed_ms'],
  histogram: ['scope', 'cpu', 'strategy', 'min_ns', 'max_ns', 'count'],
  resolution: ['target', 'strategy', 'probe', 'symbol', 'return_convention', 'flags_arg', 'lookup_rcu', 'callsites', 'reason', 'rejected'],
};

/**
 * intervals: one row per interval x CPU (runs and runs_per_s are the interval's, over all CPUs, repeated on
 * each of its rows); cpus: per-CPU totals over the run; histogram: the lockref log2 histogram, all CPUs then
 * per CPU; resolution: how each probe target was resolved.
 */
export function* tableRows(c: Capture, table: TableName): Generator<Row> {
  switch (table) {
    case 'intervals':
      for (const iv of c.intervals) {
        const secs = (iv.endMs - iv.startMs) / 1000;
        const runsPerS = iv.runs === null || secs <= 0 ? null : iv.runs / secs;
        for (const r of iv.cpus) {
          yield { seq: iv.seq, start_ms: iv.startMs, end_ms: iv.endMs, cpu: r.cpu, ...metricCells(r), ...rates(r, secs), runs: iv.runs, runs_per_s: runsPerS };
        }
      }
      return;
    case 'cpus': {
      const secs = c.run.elapsedMs / 1000;
      for (const r of c.totals.cpus) yield { cpu: r.cpu, ...metricCells(r), ...rates(r, secs), elapsed_ms: c.run.elapsedMs };
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
