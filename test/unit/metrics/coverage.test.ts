// The time a set of intervals covers (cli/metrics/coverage.ts), at its edges: one interval, back to back, a gap, a
// window that dropped old intervals. The numbers are worked by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NOTHING_COVERED, cover, coverageOf, coveredMs, coveredSecs, intervalSecs } from '../../../cli/metrics/coverage.js';

const iv = (startMs: number, endMs: number) => ({ startMs, endMs });

test('coverage: nothing, one interval, intervals back to back', () => {
  assert.equal(coveredMs(NOTHING_COVERED), 0);
  assert.equal(coveredMs(coverageOf([])), 0);
  assert.equal(coveredMs(coverageOf([iv(250, 1250)])), 1000);
  assert.equal(intervalSecs(iv(250, 1250)), 1);
  assert.equal(coveredSecs(coverageOf([iv(0, 1000), iv(1000, 2000), iv(2000, 3500)])), 3.5);
  // fractional ticks (performance.now()) back to back: exactly last end - first start, no rounding piled up
  const ticks = Array.from({ length: 10_001 }, (_, k) => k * 100.1 + 0.3);
  const run = ticks.slice(1).map((t, k) => iv(ticks[k]!, t));
  assert.equal(coveredMs(coverageOf(run)), ticks.at(-1)! - ticks[0]!);
});

test('coverage: a gap between intervals covers nothing; an empty or reversed interval covers nothing', () => {
  // 0-1 s, then (a lost interval) 2-3 s: 2 s measured, not the 3 s from first start to last end
  assert.equal(coveredMs(coverageOf([iv(0, 1000), iv(2000, 3000)])), 2000);
  assert.equal(coveredMs(coverageOf([iv(0, 1000), iv(2000, 3000), iv(3000, 3500), iv(5000, 5100)])), 2600);
  assert.equal(coveredMs(coverageOf([iv(0, 1000), iv(1000, 1000), iv(1000, 2000)])), 2000);
  assert.equal(coveredMs(coverageOf([iv(500, 400)])), 0);
  assert.equal(intervalSecs(iv(500, 400)), 0);
});

test('coverage: a window that dropped old intervals adds to what they covered', () => {
  const all = Array.from({ length: 600 }, (_, k) => iv(k * 100, (k + 1) * 100));
  const dropped = coverageOf(all.slice(0, 88));
  const window = all.slice(88);
  assert.equal(coveredMs(coverageOf(window)), 51_200, 'the window alone');
  assert.equal(coveredMs(coverageOf(window, dropped)), 60_000, 'the run');
  assert.deepEqual(coverageOf(window, dropped), coverageOf(all));
  // one at a time, as the reducer does, is the same
  let c = NOTHING_COVERED;
  for (const x of all) c = cover(c, x);
  assert.deepEqual(c, coverageOf(all));
});
