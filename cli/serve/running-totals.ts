// Totals that outlive a bpftrace: what ended runs counted (folded in when each ends) plus what the current run's
// reducer state holds. Counters stay monotonic across bpftrace restarts. Pure data, no I/O; read at every scrape.
import type { Bucket, CpuMetrics } from '../schema/types.generated.js';
import type { Field } from '../metrics/counters.js';
import { combine, timed } from '../metrics/combine.js';
import { HIST_LE_SECONDS } from '../metrics/exporter-metrics.js';
import type { CaptureMeta } from '../state/events.js';
import type { CaptureState } from '../state/state.js';

export type CounterValues = Partial<Record<Field, number | null>>;

/** A histogram on the exported ladder: cumulative-free counts per bound (HIST_LE_SECONDS, then +Inf). */
export interface LadderHistogram { counts: number[]; sumNs: number }

export interface Totals {
  meta: CaptureMeta | null;
  all: CounterValues;
  cpus: Map<number, CounterValues>;
  /** the latest closed interval alone (for gauges such as the interval's longest wait); null before the first */
  latest: { all: CounterValues; cpus: Map<number, CounterValues> } | null;
  hist: LadderHistogram | null;
  lostEvents: number;
}

function add(a: CounterValues, b: CpuMetrics | CounterValues): CounterValues {
  // no seconds behind either side: the means (/proc/stat percentages, not exported) come out null, the counters combined
  return combine([timed(a, 0), timed(b, 0)]).metrics;
}

/** Bucket counts placed on the fixed ladder: a bucket goes to the first bound >= its (inclusive) max. */
export function toLadder(buckets: readonly Bucket[]): number[] {
  const counts = new Array<number>(HIST_LE_SECONDS.length + 1).fill(0);
  for (const b of buckets) {
    const maxS = b.max / 1e9;
    let i = HIST_LE_SECONDS.findIndex((le) => le >= maxS);
    if (i < 0) i = HIST_LE_SECONDS.length;
    counts[i]! += b.count;
  }
  return counts;
}

function addLadder(a: LadderHistogram | null, b: LadderHistogram | null): LadderHistogram | null {
  if (!a) return b;
  if (!b) return a;
  return { counts: a.counts.map((c, i) => c + b.counts[i]!), sumNs: a.sumNs + b.sumNs };
}

/** The totals one reducer state holds (its closed intervals). */
export function totalsOfState(s: CaptureState): Totals {
  const cpus = new Map<number, CounterValues>();
  for (const r of s.totals.cpus) cpus.set(r.cpu, add({}, r));
  const h = s.histograms.lockrefNs;
  const hist = h.strategy === 'unavailable' ? null : { counts: toLadder(h.all), sumNs: s.totals.all.lockrefNs ?? 0 };
  const last = s.intervals[s.intervals.length - 1];
  let latest: Totals['latest'] = null;
  if (last) {
    const lc = new Map<number, CounterValues>();
    let la: CounterValues = {};
    for (const r of last.cpus) { lc.set(r.cpu, add({}, r)); la = add(la, r); }
    latest = { all: la, cpus: lc };
  }
  return { meta: s.meta, all: add({}, s.totals.all), cpus, latest, hist, lostEvents: s.lostEvents };
}

/** a + b: counters summed (maxima: max), histograms summed; meta from b (the later run). */
export function addTotals(a: Totals, b: Totals): Totals {
  const cpus = new Map(a.cpus);
  for (const [cpu, v] of b.cpus) cpus.set(cpu, add(cpus.get(cpu) ?? {}, v));
  return { meta: b.meta ?? a.meta, all: add(a.all, b.all), cpus, latest: b.latest ?? a.latest, hist: addLadder(a.hist, b.hist), lostEvents: a.lostEvents + b.lostEvents };
}

export function emptyTotals(): Totals {
  return { meta: null, all: {}, cpus: new Map(), latest: null, hist: null, lostEvents: 0 };
}
