// The --fail-if parser on arbitrary input: a valid gate or one UserError line, never anything else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseGate } from '../../../cli/compare/gate.js';
import { METRIC_IDS } from '../../../cli/metrics/catalogue.js';
import { fieldStrategy } from '../../../cli/metrics/capture-values.js';
import { UserError } from '../../../cli/errors.js';
import { syntheticCapture } from './synthetic.js';

test('parseGate: any string gives a gate or a one-line UserError', () => {
  const token = fc.oneof(fc.constantFrom(...METRIC_IDS, '>', '>=', '<', '<=', '=', 'and', 'significant', '+10%', '-5%', '10%', '3', '1e3', '%', ' '), fc.string({ maxLength: 6 }));
  fc.assert(fc.property(fc.array(token, { maxLength: 6 }), (toks) => {
    const expr = toks.join(' ');
    try {
      const g = parseGate(expr);
      assert.ok(METRIC_IDS.includes(g.metric));
      assert.ok(Number.isFinite(g.value));
    } catch (err) {
      assert.ok(err instanceof UserError, String(err));
      assert.ok(!err.message.includes('\n') && !err.next.includes('\n'));
    }
  }), { numRuns: 2000 });
});

test('parseGate round trip of well-formed gates', () => {
  fc.assert(fc.property(fc.constantFrom(...METRIC_IDS), fc.constantFrom('>', '>=', '<', '<='), fc.integer({ min: -1000, max: 1000 }), fc.boolean(), fc.boolean(), (m, op, v, pct, sig) => {
    const value = pct ? `${v >= 0 ? '+' : ''}${v}%` : String(Math.abs(v));
    const g = parseGate(`${m} ${op} ${value}${sig ? ' and significant' : ''}`);
    assert.deepEqual([g.metric, g.op, g.kind, g.value, g.significant], [m, op, pct ? 'change' : 'absolute', pct ? v : Math.abs(v), sig]);
  }));
});

test('a field missing from metricSources takes its target strategy from resolution[]', () => {
  const c = syntheticCapture({ lockrefStrategy: 'callsite' });
  delete c.metricSources.lockrefNs;
  assert.equal(fieldStrategy(c, 'lockrefNs'), 'callsite');
  delete c.metricSources.sysPct;
  assert.equal(fieldStrategy(c, 'sysPct'), null);
});
