// Properties of compare on SYNTHETIC captures: swapping sides mirrors the result; scaling a rate scales the change.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compareCaptures } from '../../../cli/compare/compare.js';
import { syntheticCapture } from './synthetic.js';

test('swapping base and candidate: same p-values, reciprocal change', () => {
  fc.assert(fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 1000 }), fc.double({ min: 5, max: 200, noNaN: true }), (s1, s2, epr) => {
    const a = { file: 'a', capture: syntheticCapture({ seed: s1, intervals: 12, cpus: 2 }) };
    const b = { file: 'b', capture: syntheticCapture({ seed: s2, intervals: 12, cpus: 2, echildPerRun: epr }) };
    const ab = compareCaptures([a], [b], { resamples: 200 }), ba = compareCaptures([b], [a], { resamples: 200 });
    for (const [i, m] of ab.metrics.entries()) {
      const r = ba.metrics[i]!;
      assert.equal(r.status, m.status, m.metric);
      if (m.pValue !== null) assert.ok(Math.abs(m.pValue - r.pValue!) < 1e-12, `${m.metric} p ${m.pValue} vs ${r.pValue}`);
      if (m.changePct !== null && r.changePct !== null && m.changePct !== 0) {
        assert.ok(Math.abs((1 + m.changePct / 100) * (1 + r.changePct / 100) - 1) < 1e-9, `${m.metric}: ${m.changePct} / ${r.changePct}`);
      }
      assert.equal(m.significant, r.significant, m.metric);
    }
  }), { numRuns: 25 });
});
