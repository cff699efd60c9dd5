// Run totals computed from closed intervals alone (journal recovery, re-totalling a slice of a capture).
// Counters sum (lockrefMaxNs: max); percents are weighted by interval length; null stays null.
import type { CpuMetrics, CpuRow, Interval, Totals } from '../schema/types.generated.js';
import { runsPerSecond } from '../metrics/catalogue.js';
import { COUNTER_KEYS, MAX_KEYS, PERCENT_KEYS, emptyMetrics } from './metrics.js';

export function totalsOf(intervals: readonly Interval[]): Totals {
  const rows = new Map<number, CpuRow>();
  const pw = new Map<number, { w: number; u: number; s: number; i: number }>();
  let runs: number | null = null;
  let perWorker: number[] | null = null;
  for (const iv of intervals) {
    const w = Math.max(0, iv.endMs - iv.startMs);
    for (const r of iv.cpus) {
      let t = rows.get(r.cpu);
      if (!t) rows.set(r.cpu, (t = { cpu: r.cpu, ...emptyMetrics() }));
      for (const k of COUNTER_KEYS) {
        const b = r[k];
        if (b === null) continue;
        const a = t[k];
        t[k] = a === null ? b : MAX_KEYS.has(k) ? Math.max(a, b) : a + b;
      }
      if (r.userPct !== null && r.sysPct !== null && r.idlePct !== null && w > 0) {
        const p = pw.get(r.cpu) ?? { w: 0, u: 0, s: 0, i: 0 };
        pw.set(r.cpu, { w: p.w + w, u: p.u + r.userPct * w, s: p.s + r.sysPct * w, i: p.i + r.idlePct * w });
      }
    }
    if (iv.runs !== null) runs = (runs ?? 0) + iv.runs;
    if (iv.runsPerWorker) {
      const len = Math.max(iv.runsPerWorker.length, perWorker?.length ?? 0);
      const next = new Array<number>(len);
      for (let i = 0; i < len; i++) next[i] = (perWorker?.[i] ?? 0) + (iv.runsPerWorker[i] ?? 0);
      perWorker = next;
    }
  }
  const cpus = [...rows.values()].sort((a, b) => a.cpu - b.cpu);
  const all: CpuMetrics = emptyMetrics();
  let W = 0, U = 0, S = 0, I = 0;
  for (const r of cpus) {
    const p = pw.get(r.cpu);
    if (p && p.w > 0) {
      r.userPct = p.u / p.w; r.sysPct = p.s / p.w; r.idlePct = p.i / p.w;
      W += p.w; U += p.u; S += p.s; I += p.i;
    }
    for (const k of COUNTER_KEYS) {
      const v = r[k];
      if (v === null) continue;
      const a = all[k];
      all[k] = a === null ? v : MAX_KEYS.has(k) ? Math.max(a, v) : a + v;
    }
  }
  if (W > 0) { all.userPct = U / W; all.sysPct = S / W; all.idlePct = I / W; }
  for (const k of PERCENT_KEYS) { const v = all[k]; if (v !== null) all[k] = Math.min(100, Math.max(0, v)); }
  const first = intervals[0];
  const last = intervals[intervals.length - 1];
  const elapsedMs = first && last ? last.endMs - first.startMs : 0;
  return { all, cpus, runs, runsPerSec: runsPerSecond(runs, elapsedMs / 1000), runsPerWorker: perWorker };
}
