// Counter rows (CPUs, intervals, bpftrace runs) combined into one, each counter by its `combine` rule in
// counters.ts: 'sum', 'max', or 'mean': the mean weighted by the seconds each row covers. A share of CPU time over
// a run is the share of the run's time, so a 9 s interval at 90% sys and a 1 s one at 10% make 82%, not the 50%
// of a plain mean of the rows. A counter no row has stays null. Pure.
import type { CpuMetrics } from '../schema/types.generated.js';
import { COUNTERS, type Field } from './counters.js';

/** A row of counters: every field, or some of them (a missing one counts as null). */
export type CounterRow = Readonly<Partial<Record<Field, number | null>>>;

/** Seconds behind each 'mean' counter's value (a row without the counter puts none behind it). */
export type MeanSecs = Partial<Record<Field, number>>;

/** Counters over some time: a row, or rows combined. */
export interface Timed { metrics: CounterRow; secs: Readonly<MeanSecs> }

/** Rows combined: every counter, and the seconds behind its means (so it can be combined further). */
export interface Combined extends Timed { metrics: CpuMetrics }

const N = COUNTERS.length;
const FIELDS: readonly Field[] = COUNTERS.map((c) => c.field);
const SUM = 0, MAX = 1, MEAN = 2;
const RULES: readonly number[] = COUNTERS.map((c) => (c.combine === 'sum' ? SUM : c.combine === 'max' ? MAX : MEAN));
const PERCENT: readonly boolean[] = COUNTERS.map((c) => c.unit === 'percent');
const MEANS: readonly Field[] = FIELDS.filter((_, i) => RULES[i] === MEAN);

function nullMetrics(): CpuMetrics {
  const m = {} as CpuMetrics;
  for (const f of FIELDS) m[f] = null;
  return m;
}
const EMPTY: Readonly<CpuMetrics> = nullMetrics();

/** Every counter null. */
export function emptyMetrics(): CpuMetrics {
  return { ...EMPTY };
}

/** A row that covers `secs` seconds: the weight of each of its means that has a value. */
export function timed(row: CounterRow, secs: number): Timed {
  const s: MeanSecs = {};
  for (const f of MEANS) { const v = row[f]; if (v !== null && v !== undefined) s[f] = secs; }
  return { metrics: row, secs: s };
}

// scratch for combine (never re-entered): per counter the sum, max or sum of value x seconds; the seconds; whether any row had it
const acc = new Float64Array(N), weight = new Float64Array(N), seen = new Uint8Array(N);

/** Rows combined into one by each counter's rule. */
export function combine(parts: Iterable<Timed>): Combined {
  acc.fill(0); weight.fill(0); seen.fill(0);
  for (const p of parts) {
    const m = p.metrics;
    for (let i = 0; i < N; i++) {
      const f = FIELDS[i]!;
      const v = m[f];
      if (v === null || v === undefined) continue;
      const rule = RULES[i];
      if (rule === MEAN) {
        const w = p.secs[f] ?? 0;
        if (!(w > 0)) continue;
        acc[i] = acc[i]! + v * w;
        weight[i] = weight[i]! + w;
        seen[i] = 1;
      } else if (seen[i] === 0) {
        acc[i] = v;
        seen[i] = 1;
      } else acc[i] = rule === MAX ? Math.max(acc[i]!, v) : acc[i]! + v;
    }
  }
  const out = emptyMetrics();
  const secs: MeanSecs = {};
  for (let i = 0; i < N; i++) {
    if (seen[i] === 0) continue;
    const f = FIELDS[i]!;
    let v = acc[i]!;
    if (RULES[i] === MEAN) { v /= weight[i]!; secs[f] = weight[i]!; }
    out[f] = PERCENT[i] ? Math.min(100, Math.max(0, v)) : v;
  }
  return { metrics: out, secs };
}

/** Rows that each cover the same time (the CPUs of one interval): combined, so their means are plain means. */
export function combineCpus(rows: Iterable<CounterRow>): CpuMetrics {
  const parts: Timed[] = [];
  for (const r of rows) parts.push(timed(r, 1));
  return combine(parts).metrics;
}
