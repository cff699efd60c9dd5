// Order statistics over plain number arrays: sorting, median, quantiles. Pure, no I/O.

/** A sorted copy (ascending, numeric). */
export function sorted(xs: ArrayLike<number>): Float64Array {
  return Float64Array.from(xs).sort();
}

/** Median of an ascending array; NaN when empty. Even n: the mean of the two middle values. */
export function medianSorted(s: ArrayLike<number>): number {
  const n = s.length;
  if (n === 0) return NaN;
  const h = n >> 1;
  return n % 2 === 1 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}

export function median(xs: ArrayLike<number>): number {
  return medianSorted(sorted(xs));
}

/** Quantile q in [0,1] of an ascending array, linear interpolation between order statistics (R type 7). */
export function quantileSorted(s: ArrayLike<number>, q: number): number {
  const n = s.length;
  if (n === 0) return NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return s[lo]! + (h - lo) * (s[hi]! - s[lo]!);
}

export interface SideSummary { n: number; median: number; min: number; max: number; q1: number; q3: number }

export function summarize(xs: ArrayLike<number>): SideSummary {
  const s = sorted(xs);
  return {
    n: s.length,
    median: medianSorted(s),
    min: s.length ? s[0]! : NaN,
    max: s.length ? s[s.length - 1]! : NaN,
    q1: quantileSorted(s, 0.25),
    q3: quantileSorted(s, 0.75),
  };
}
