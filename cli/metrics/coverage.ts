// The time a set of intervals covers: what a rate over them divides by (a capture's run.elapsedMs), and what weights
// a percentage when rows combine. Intervals back to back cover from the first one's start to the last one's end
// (exactly: no rounding piles up over thousands of them); a gap between two (an interval missing from a journal, a
// slice of a capture) covers nothing, since nothing was measured in it. Pure.

export interface TimeSpan { readonly startMs: number; readonly endMs: number }

/** What the intervals seen so far cover: the stretches before the latest (ms), and the latest stretch of intervals back to back. */
export interface Coverage { readonly earlierMs: number; readonly startMs: number; readonly endMs: number }

export const NOTHING_COVERED: Coverage = { earlierMs: 0, startMs: 0, endMs: 0 };

/** Seconds one interval covers (none when it ends before it starts). */
export function intervalSecs(iv: TimeSpan): number {
  return Math.max(0, iv.endMs - iv.startMs) / 1000;
}

/** The coverage with one more interval (one that starts no earlier than those before it). */
export function cover(c: Coverage, iv: TimeSpan): Coverage {
  if (!(iv.endMs > iv.startMs)) return c;
  if (c.endMs > c.startMs && iv.startMs <= c.endMs) return { earlierMs: c.earlierMs, startMs: c.startMs, endMs: Math.max(c.endMs, iv.endMs) };
  return { earlierMs: coveredMs(c), startMs: iv.startMs, endMs: iv.endMs };
}

/** The coverage of `intervals`, oldest first (after `from`: what intervals that already left a window covered). */
export function coverageOf(intervals: Iterable<TimeSpan>, from: Coverage = NOTHING_COVERED): Coverage {
  let c = from;
  for (const iv of intervals) c = cover(c, iv);
  return c;
}

/** Milliseconds a coverage holds. */
export function coveredMs(c: Coverage): number {
  return c.earlierMs + (c.endMs - c.startMs);
}

/** Seconds a coverage holds. */
export function coveredSecs(c: Coverage): number {
  return coveredMs(c) / 1000;
}
