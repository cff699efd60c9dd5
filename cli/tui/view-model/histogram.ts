// The lockref duration histogram (log2 buckets) as labelled bars, like bpftrace's hist() output. Pure.
import type { Bucket, Histogram } from '../../schema/types.generated.js';

export interface HistBar { label: string; count: number; bar: string }

function unit(n: number): string {
  if (n < 1024) return `${n}`;
  if (n < 1024 ** 2) return `${+(n / 1024).toFixed(1)}K`;
  if (n < 1024 ** 3) return `${+(n / 1024 ** 2).toFixed(1)}M`;
  return `${+(n / 1024 ** 3).toFixed(1)}G`;
}

/** Label like bpftrace prints: [256, 512). Buckets hold inclusive min..max, so the end is max+1. */
export function bucketLabel(b: Bucket): string {
  return b.min === b.max ? `[${unit(b.min)}]` : `[${unit(b.min)}, ${unit(b.max + 1)})`;
}

/** Buckets for the whole run (cpu null) or one CPU; empty when none. */
export function histBuckets(h: Histogram, cpu: number | null): Bucket[] {
  if (cpu === null) return h.all;
  return h.cpus.find((c) => c.cpu === cpu)?.buckets ?? [];
}

/** Bars trimmed of leading/trailing empty buckets, scaled so the largest fills barWidth. */
export function histBars(buckets: readonly Bucket[], barWidth: number): HistBar[] {
  let lo = 0, hi = buckets.length - 1;
  while (lo <= hi && buckets[lo]!.count === 0) lo++;
  while (hi >= lo && buckets[hi]!.count === 0) hi--;
  const xs = buckets.slice(lo, hi + 1);
  const max = Math.max(0, ...xs.map((b) => b.count));
  const w = Math.max(1, barWidth);
  return xs.map((b) => ({
    label: bucketLabel(b),
    count: b.count,
    bar: max === 0 ? '' : '@'.repeat(b.count === 0 ? 0 : Math.max(1, Math.round((b.count / max) * w))),
  }));
}

export function histTotal(buckets: readonly Bucket[]): number {
  return buckets.reduce((a, b) => a + b.count, 0);
}
