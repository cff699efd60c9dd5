import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lag1Autocorrelation } from '../../../cli/stats/autocorr.js';
import { seededRandom } from '../../../cli/stats/random.js';
import { compareCaptures } from '../../../cli/compare/compare.js';
import { syntheticCapture } from '../compare/synthetic.js';

test('lag-1 autocorrelation: hand-computed values, noise near 0, a trend near 1', () => {
  // x = 1,2,3,4: mean 2.5, deviations -1.5,-.5,.5,1.5; num = .75-.25+.75 = 1.25; den = 5
  assert.equal(lag1Autocorrelation([1, 2, 3, 4]), 0.25);
  assert.equal(lag1Autocorrelation([1, -1, 1, -1]), -0.75);
  assert.equal(lag1Autocorrelation([5, 5, 5]), null);
  assert.equal(lag1Autocorrelation([1, 2]), null);
  const r = seededRandom(4);
  assert.ok(Math.abs(lag1Autocorrelation(Array.from({ length: 2000 }, () => r()))!) < 0.1);
  assert.ok(lag1Autocorrelation(Array.from({ length: 200 }, (_, i) => i + r()))! > 0.9);
});

test('compare warns when interval samples drift', () => {
  const c = syntheticCapture({ seed: 1, intervals: 40 });
  c.intervals.forEach((iv, i) => { iv.runs = 100 + 10 * i; });
  const cmp = compareCaptures([{ file: 'a', capture: c }], [{ file: 'b', capture: syntheticCapture({ seed: 2, intervals: 40 }) }]);
  assert.ok(cmp.warnings.some((w) => /^base runs_per_s: consecutive intervals are correlated/.test(w)), cmp.warnings.join('\n'));
  assert.ok(!cmp.warnings.some((w) => /^candidate runs_per_s/.test(w)));
});
