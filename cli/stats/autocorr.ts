// Lag-1 autocorrelation of a series: how much consecutive intervals resemble each other (drift, slow
// oscillation). Tests that assume independent samples (Mann-Whitney over intervals) overstate significance
// when it is high.

/** r1 = sum (x_i - mean)(x_{i+1} - mean) / sum (x_i - mean)^2; null for fewer than 3 values or a constant series. */
export function lag1Autocorrelation(xs: ArrayLike<number>): number | null {
  const n = xs.length;
  if (n < 3) return null;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += xs[i]!;
  mean /= n;
  let num = 0, den = 0;
  for (let i = 0; i < n; i++) {
    const d = xs[i]! - mean;
    den += d * d;
    if (i + 1 < n) num += d * (xs[i + 1]! - mean);
  }
  return den === 0 ? null : num / den;
}
