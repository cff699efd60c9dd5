// The O(1) order-statistic bootstrap median against naive resampling; the change CI on known shifts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bootstrapMedian, bootstrapMedianNaive, changeCi } from '../../../cli/stats/bootstrap.js';
import { seededRandom } from '../../../cli/stats/random.js';
import { quantileSorted, sorted, median } from '../../../cli/stats/summary.js';

for (const n of [5, 8, 31]) {
  test(`fast bootstrap median has the naive resampling distribution (n=${n})`, () => {
    const r = seededRandom(7);
    const s = sorted(Array.from({ length: n }, () => Math.round(r() * 20)));
    const B = 20000;
    const fast = new Float64Array(B), naive = new Float64Array(B);
    const r1 = seededRandom(1), r2 = seededRandom(2);
    for (let i = 0; i < B; i++) { fast[i] = bootstrapMedian(s, r1); naive[i] = bootstrapMedianNaive(s, r2); }
    fast.sort(); naive.sort();
    for (const q of [0.025, 0.1, 0.25, 0.5, 0.75, 0.9, 0.975]) {
      // compare the CDFs at the naive quantile: P(fast <= v) within 2 % of P(naive <= v)
      const v = quantileSorted(naive, q);
      const cdf = (a: Float64Array) => a.filter((x) => x <= v).length / B;
      assert.ok(Math.abs(cdf(fast) - cdf(naive)) < 0.02, `q=${q} v=${v} fast=${cdf(fast)} naive=${cdf(naive)}`);
    }
    const mean = (a: Float64Array) => a.reduce((x, y) => x + y, 0) / B;
    assert.ok(Math.abs(mean(fast) - mean(naive)) < 0.25, `${mean(fast)} vs ${mean(naive)}`);
  });
}

test('CI of a 2x change covers +100 % and excludes 0; identical samples give a CI around 0', () => {
  const r = seededRandom(3);
  const base = Array.from({ length: 60 }, () => 100 + r() * 10);
  const cand = base.map((v) => 2 * v);
  const ci = changeCi(base, cand)!;
  assert.ok(ci.lowPct <= 100 && ci.highPct >= 100 && ci.lowPct > 50, JSON.stringify(ci));
  const same = changeCi(base, base)!;
  assert.ok(same.lowPct <= 0 && same.highPct >= 0, JSON.stringify(same));
  assert.equal(median(cand) / median(base), 2);
});

test('zero base: zero candidate is 0 %, nonzero candidate has no bounded CI', () => {
  assert.deepEqual([changeCi([0, 0, 0], [0, 0])!.lowPct, changeCi([0, 0, 0], [0, 0])!.highPct], [0, 0]);
  assert.equal(changeCi([0, 0, 0], [1, 2]), null);
});

test('seeded: the same input gives the same CI', () => {
  const a = [1, 5, 3, 8, 2, 9, 4], b = [2, 6, 7, 9, 3, 11, 5];
  assert.deepEqual(changeCi(a, b), changeCi(a, b));
});
