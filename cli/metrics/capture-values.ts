// A catalogue metric's values from a capture: per interval (compare's samples, the report's timelines), over
// the whole run, per CPU, and from the lockref histogram. Pure functions over a Capture.
import type { Capture, CpuMetrics, Interval } from '../schema/types.generated.js';
import { combineCpus } from './combine.js';
import { coveredSecs, intervalSecs, type Coverage } from './coverage.js';
import type { MetricDef, Sample } from './catalogue.js';
import { counterDef, type Field } from './counters.js';

/** The strategy a capture used for a field: metricSources, else its target's resolution[], else null (unknown). */
export function fieldStrategy(c: Capture, f: Field): string | null {
  const src = c.metricSources[f];
  if (src) return src.strategy;
  const source = counterDef(f).source;
  if (source === 'procstat') return null; // /proc/stat, not a probe
  return c.resolution.find((r) => r.target === source)?.strategy ?? null;
}

export function metricStrategies(c: Capture, m: MetricDef): string[] {
  const s = m.fields.map((f) => `${f}:${fieldStrategy(c, f) ?? 'unknown'}`);
  if (m.histogram) s.push(`histogram:${c.histograms.lockrefNs.strategy}`);
  return s;
}

/** The time a capture's totals cover: its run.elapsedMs (written from the reducer's coverage). */
export function runCoverage(c: Capture): Coverage {
  return { earlierMs: c.run.elapsedMs, startMs: 0, endMs: 0 };
}

/** Seconds a capture's totals cover: what its whole-run rates divide by. */
export function runSecs(c: Capture): number {
  return coveredSecs(runCoverage(c));
}

/** An interval's all-CPU sample (runs are the interval's). */
export function intervalSample(iv: Interval): Sample {
  return { agg: intervalAgg(iv), secs: intervalSecs(iv), runs: iv.runs, cpus: Math.max(1, iv.cpus.length) };
}

/**
 * Quantile q of a log2 histogram, as the upper edge (max) of the bucket holding it: "q of the waits took at
 * most this long". Resolution is the bucket (2x); null for an empty histogram.
 */
export function histogramQuantile(buckets: Capture['histograms']['lockrefNs']['all'], q: number): number | null {
  const total = buckets.reduce((a, b) => a + b.count, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let cum = 0;
  for (const b of [...buckets].sort((x, y) => x.min - y.min)) { cum += b.count; if (cum >= rank) return b.max; }
  return null;
}

/** Per-interval samples of a metric over the whole system (or one CPU). Histogram metrics: none. */
export function intervalSamples(c: Capture, m: MetricDef, cpu?: number): number[] {
  if (!m.value) return [];
  if (cpu !== undefined) return perCpuIntervalSamples(c, m).get(cpu) ?? [];
  const out: number[] = [];
  for (const iv of c.intervals) {
    if (iv.cpus.length === 0) continue;
    const v = m.value(intervalSample(iv));
    if (v !== null && Number.isFinite(v)) out.push(v);
  }
  return out;
}

const intervalAggCache = new WeakMap<Interval, CpuMetrics>();

/** The all-CPU aggregate of an interval (cached: every metric reads it). */
export function intervalAgg(iv: Interval): CpuMetrics {
  let a = intervalAggCache.get(iv);
  if (!a) intervalAggCache.set(iv, (a = combineCpus(iv.cpus)));
  return a;
}

const perCpuCache = new WeakMap<Capture, Map<string, Map<number, number[]>>>();

/** Per-interval samples of a metric for every CPU at once (one pass; cached per capture and metric). */
export function perCpuIntervalSamples(c: Capture, m: MetricDef): Map<number, number[]> {
  let byMetric = perCpuCache.get(c);
  if (!byMetric) perCpuCache.set(c, (byMetric = new Map()));
  const hit = byMetric.get(m.id);
  if (hit) return hit;
  const out = new Map<number, number[]>();
  if (m.value) {
    for (const iv of c.intervals) {
      const secs = intervalSecs(iv);
      for (const r of iv.cpus) {
        const v = m.value({ agg: r, secs, runs: null, cpus: 1 }); // one row is its own aggregate
        if (v === null || !Number.isFinite(v)) continue;
        let a = out.get(r.cpu);
        if (!a) out.set(r.cpu, (a = []));
        a.push(v);
      }
    }
  }
  byMetric.set(m.id, out);
  return out;
}

/** The whole-run value of a metric for one capture (trials mode, sweep, report), null when undefined. */
export function runValue(c: Capture, m: MetricDef, cpu?: number): number | null {
  if (m.histogram) {
    const h = c.histograms.lockrefNs;
    if (h.strategy === 'unavailable') return null;
    const buckets = cpu === undefined ? h.all : h.cpus.find((x) => x.cpu === cpu)?.buckets ?? [];
    return histogramQuantile(buckets, m.histogram.quantile);
  }
  if (!m.value) return null;
  const rows = cpu === undefined ? [c.totals.all] : c.totals.cpus.filter((r) => r.cpu === cpu);
  if (rows.length === 0) return null;
  const v = m.value({ agg: combineCpus(rows), secs: runSecs(c), runs: cpu === undefined ? c.totals.runs : null, cpus: cpu === undefined ? Math.max(1, c.totals.cpus.length) : 1 });
  return v !== null && Number.isFinite(v) ? v : null;
}

/** Every CPU that appears in a capture's per-CPU totals or intervals, ascending. */
export function captureCpus(c: Capture): number[] {
  const s = new Set<number>();
  for (const r of c.totals.cpus) s.add(r.cpu);
  for (const iv of c.intervals) for (const r of iv.cpus) s.add(r.cpu);
  return [...s].sort((a, b) => a - b);
}
