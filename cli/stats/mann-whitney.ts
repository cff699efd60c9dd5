// Mann-Whitney U (Wilcoxon rank-sum) test, two-sided.
//
// Exact for small samples: the permutation distribution of the rank sum, conditional on the observed ties
// (midranks), by dynamic programming over "which of the N pooled values belong to x". Without ties this is
// the classic exact U distribution; with ties it is the exact conditional test (as R's coin / StatXact do).
// Larger samples: normal approximation with tie correction and continuity correction.
// p-value (both methods): the probability of a U at least as far from its mean m*n/2 as the observed one.
import { normalUpperTail } from './normal.js';

export interface MannWhitneyResult {
  /** U of the first sample: number of pairs (x, y) with x > y, ties counting 1/2 */
  u: number;
  /** two-sided p-value */
  p: number;
  method: 'exact' | 'normal';
  /** the z score (normal method only) */
  z: number | null;
}

/** Pooled sizes up to this use the exact distribution (DP cost ~ N^3 * min(m,n), well under 100 ms at 60). */
export const EXACT_MAX_N = 60;

interface Ranked { doubledRanks: Float64Array; tieSizes: number[] }

/** Midranks of the pooled sample, doubled so they are integers; x first, then y. */
function rankPooled(x: ArrayLike<number>, y: ArrayLike<number>): Ranked {
  const N = x.length + y.length;
  const vals = new Float64Array(N);
  for (let i = 0; i < x.length; i++) vals[i] = x[i]!;
  for (let j = 0; j < y.length; j++) vals[x.length + j] = y[j]!;
  const idx = Array.from({ length: N }, (_, i) => i).sort((a, b) => vals[a]! - vals[b]!);
  const doubledRanks = new Float64Array(N);
  const tieSizes: number[] = [];
  let i = 0;
  while (i < N) {
    let j = i;
    while (j + 1 < N && vals[idx[j + 1]!] === vals[idx[i]!]) j++;
    // ranks i+1 .. j+1 (1-based) share the midrank (i+1+j+1)/2; doubled: i+j+2
    for (let k = i; k <= j; k++) doubledRanks[idx[k]!] = i + j + 2;
    tieSizes.push(j - i + 1);
    i = j + 1;
  }
  return { doubledRanks, tieSizes };
}

export function mannWhitneyU(x: ArrayLike<number>, y: ArrayLike<number>, opts: { exact?: boolean } = {}): MannWhitneyResult {
  const m = x.length, n = y.length;
  if (m === 0 || n === 0) throw new RangeError('mannWhitneyU: both samples need at least one value');
  const N = m + n;
  const { doubledRanks, tieSizes } = rankPooled(x, y);
  let r2 = 0; // doubled rank sum of x
  for (let i = 0; i < m; i++) r2 += doubledRanks[i]!;
  // U = R - m(m+1)/2 ; doubled: U2 = r2 - m(m+1)
  const u2 = r2 - m * (m + 1);
  const u = u2 / 2;
  const useExact = opts.exact ?? N <= EXACT_MAX_N;
  if (useExact) return { u, p: exactP(doubledRanks, m, r2), method: 'exact', z: null };

  const mean = (m * n) / 2;
  const tieTerm = tieSizes.reduce((a, t) => a + (t * t * t - t), 0);
  const variance = ((m * n) / 12) * ((N + 1) - tieTerm / (N * (N - 1)));
  if (variance <= 0) return { u, p: 1, method: 'normal', z: 0 }; // every value tied
  const d = Math.abs(u - mean);
  const z = Math.max(0, d - 0.5) / Math.sqrt(variance);
  return { u, p: Math.min(1, 2 * normalUpperTail(z)), method: 'normal', z: (u >= mean ? 1 : -1) * z };
}

/**
 * Exact two-sided p: over all C(N, m) equally likely assignments of the pooled values to x, the share whose
 * doubled rank sum is at least as far from its mean as the observed one. counts[k][s]: ways to pick k of the
 * items seen so far with doubled rank sum s (as doubles: exact up to 2^53, approximate beyond, fine for a p).
 */
function exactP(doubledRanks: Float64Array, m: number, observed: number): number {
  const N = doubledRanks.length;
  let maxSum = 0;
  for (let i = 0; i < N; i++) maxSum += doubledRanks[i]!;
  const width = maxSum + 1;
  let counts: Float64Array[] = Array.from({ length: m + 1 }, () => new Float64Array(width));
  counts[0]![0] = 1;
  for (let i = 0; i < N; i++) {
    const r = doubledRanks[i]!;
    // iterate k downwards so each item is used at most once
    for (let k = Math.min(m, i + 1); k >= 1; k--) {
      const to = counts[k]!, from = counts[k - 1]!;
      for (let s = width - 1; s >= r; s--) { const f = from[s - r]!; if (f !== 0) to[s] = to[s]! + f; }
    }
  }
  const dist = counts[m]!;
  counts = [];
  const mean2 = (m * (N + 1)); // doubled mean rank sum
  const dObs = Math.abs(observed - mean2);
  let total = 0, extreme = 0;
  for (let s = 0; s < width; s++) {
    const c = dist[s]!;
    if (c === 0) continue;
    total += c;
    // integers throughout: the comparison is exact
    if (Math.abs(s - mean2) >= dObs) extreme += c;
  }
  return Math.min(1, extreme / total);
}
