// Percentile bootstrap confidence interval of the change in median, candidate vs base, in percent.
//
// Method: B resamples (with replacement, same size) of each side; for each, the ratio of the resampled medians;
// the CI is the (alpha/2, 1 - alpha/2) percentiles of 100 * (ratio - 1). Seeded, so output is reproducible.
// A resample's median is drawn directly instead of materializing the resample: for a sorted sample s of size n,
// the k-th smallest of n uniform indices is floor(n * U(k)) with U(k) ~ Beta(k, n - k + 1) (order statistics of
// uniforms; floor is monotone), and the next one is U(k) + (1 - U(k)) * (1 - V^(1/(n-k))). That is exactly the
// distribution of the ordinary bootstrap median, at O(1) per resample instead of O(n), which keeps 3600-interval
// captures (and --per-cpu) fast. test/unit/stats checks it against naive resampling.
import { beta, seededRandom } from './random.js';
import { medianSorted, quantileSorted, sorted } from './summary.js';

export const DEFAULT_RESAMPLES = 2000;
export const DEFAULT_SEED = 0x5eed;

/** The median of one bootstrap resample of the ascending sample s. */
export function bootstrapMedian(s: ArrayLike<number>, rand: () => number): number {
  const n = s.length;
  const at = (u: number) => s[Math.min(n - 1, Math.floor(n * u))]!;
  if (n === 1) return s[0]!;
  if (n % 2 === 1) {
    const k = (n + 1) / 2;
    return at(beta(rand, k, n - k + 1));
  }
  const k = n / 2;
  const u1 = beta(rand, k, n - k + 1);
  const u2 = u1 + (1 - u1) * (1 - Math.pow(rand(), 1 / (n - k)));
  return (at(u1) + at(u2)) / 2;
}

/** Naive bootstrap median (materializes the resample): the reference the fast one is tested against. */
export function bootstrapMedianNaive(s: ArrayLike<number>, rand: () => number): number {
  const n = s.length;
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) r[i] = s[Math.floor(rand() * n)]!;
  return medianSorted(r.sort());
}

export interface ChangeCi { lowPct: number; highPct: number; level: number; resamples: number }

/**
 * CI of 100 * (median(cand) / median(base) - 1). null when unbounded (a zero base median in more than alpha/2
 * of the resamples) or a side is empty. Resamples with zero medians on both sides count as 0 % change.
 */
export function changeCi(base: ArrayLike<number>, cand: ArrayLike<number>, opts: { alpha?: number; resamples?: number; seed?: number } = {}): ChangeCi | null {
  const alpha = opts.alpha ?? 0.05;
  const B = opts.resamples ?? DEFAULT_RESAMPLES;
  if (base.length === 0 || cand.length === 0) return null;
  const sb = sorted(base), sc = sorted(cand);
  const rand = seededRandom(opts.seed ?? DEFAULT_SEED);
  const out = new Float64Array(B);
  for (let b = 0; b < B; b++) {
    const mb = bootstrapMedian(sb, rand);
    const mc = bootstrapMedian(sc, rand);
    // base median 0: no change if the candidate is 0 too, else an unbounded increase (sorts last)
    out[b] = mb === 0 ? (mc === 0 ? 0 : Infinity) : 100 * (mc / mb - 1);
  }
  const s = out.sort();
  const lowPct = quantileSorted(s, alpha / 2), highPct = quantileSorted(s, 1 - alpha / 2);
  if (!Number.isFinite(lowPct) || !Number.isFinite(highPct)) return null;
  return { lowPct, highPct, level: 1 - alpha, resamples: B };
}
