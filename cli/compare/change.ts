// A change from a base value to a candidate, in percent: compare's changePct (of medians) and the live UI's deltas
// against a baseline read the same rule.

/** 100 x (candidate / base - 1); 0 when both are 0; null (undefined) when only the base is 0. */
export function percentChange(base: number, candidate: number): number | null {
  return base === 0 ? (candidate === 0 ? 0 : null) : 100 * (candidate / base - 1);
}
