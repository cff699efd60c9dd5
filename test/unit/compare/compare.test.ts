// compare on SYNTHETIC captures (test/unit/compare/synthetic.ts): identical -> ~, a real 2x change -> significant,
// strategy differences flagged, unavailable shown, gates, output formats.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { compareCaptures } from '../../../cli/compare/compare.js';
import { changeCell, formatCsv, formatTable, COMPARISON_CSV_COLUMNS } from '../../../cli/compare/format.js';
import { applyGates, parseGate } from '../../../cli/compare/gate.js';
import { METRICS } from '../../../cli/metrics/catalogue.js';
import { histogramQuantile } from '../../../cli/metrics/capture-values.js';
import type { Comparison } from '../../../cli/schema/types.generated.js';
import { syntheticCapture } from './synthetic.js';
import { schemaErrors } from './schema-check.js';

const load = (file: string, o: Parameters<typeof syntheticCapture>[0] = {}) => ({ file, capture: syntheticCapture(o) });
const metric = (c: Comparison, id: string) => c.metrics.find((m) => m.metric === id)!;

test('synthetic captures are schema-valid', () => {
  assert.deepEqual(schemaErrors('capture.schema.json', syntheticCapture()), []);
  assert.deepEqual(schemaErrors('capture.schema.json', syntheticCapture({ lockrefStrategy: 'unavailable' })), []);
});

test('identical captures compare as ~ on every metric, change 0', () => {
  const a = load('a.json', { seed: 5 });
  const cmp = compareCaptures([a], [{ ...a, file: 'b.json' }]);
  assert.deepEqual(schemaErrors('comparison.schema.json', cmp), []);
  for (const m of cmp.metrics) {
    if (m.metric === 'lockref_waits_per_s') { assert.equal(m.status, 'unavailable'); continue; } // contention only
    assert.equal(m.status, 'compared', m.metric);
    assert.equal(m.significant, false, m.metric);
    assert.equal(m.changePct, 0, m.metric);
    if (m.pValue !== null) { assert.equal(m.pValue, 1, m.metric); assert.equal(changeCell(m), '~'); }
  }
});

test('independent runs of the same synthetic system: no metric flagged at alpha 0.01', () => {
  const cmp = compareCaptures([load('a', { seed: 1, intervals: 60 })], [load('b', { seed: 2, intervals: 60 })], { alpha: 0.01 });
  const flagged = cmp.metrics.filter((m) => m.significant).map((m) => m.metric);
  assert.deepEqual(flagged, []);
});

test('a real 2x change in ECHILD per run and lockref time is flagged significant with the right sign and CI', () => {
  const base = load('base', { seed: 1, echildPerRun: 40, lockrefNsPerCall: 800 });
  const cand = load('cand', { seed: 2, echildPerRun: 80, lockrefNsPerCall: 1600 });
  const cmp = compareCaptures([base], [cand]);
  for (const id of ['echild_per_run', 'echild_per_s', 'spin_ms_per_s']) {
    const m = metric(cmp, id);
    assert.equal(m.significant, true, id);
    assert.ok(m.pValue! < 1e-6, `${id} p=${m.pValue}`);
    assert.ok(Math.abs(m.changePct! - 100) < 10, `${id} change ${m.changePct}`);
    assert.ok(m.ci!.lowPct < m.changePct! && m.changePct! < m.ci!.highPct, `${id} CI`);
    assert.ok(m.ci!.lowPct > 80 && m.ci!.highPct < 120, `${id} CI ${JSON.stringify(m.ci)}`);
  }
  assert.ok(metric(cmp, 'runs_per_s').pValue! > 0.01, 'runs/s unchanged');
  assert.ok(Math.abs(metric(cmp, 'spin_p50_ns').changePct! - 100) < 0.1);
  assert.equal(metric(cmp, 'spin_p50_ns').pValue, null, 'one histogram per side: no test');
});

test('per-run and per-second rates normalize: a capture twice as long with 500 ms intervals compares as ~', () => {
  const cmp = compareCaptures([load('a', { seed: 3, intervals: 30 })], [load('b', { seed: 4, intervals: 120, intervalMs: 500 })], { alpha: 0.01 });
  for (const id of ['runs_per_s', 'echild_per_s', 'echild_per_run', 'spin_ms_per_s']) {
    const m = metric(cmp, id);
    assert.ok(Math.abs(m.changePct!) < 5, `${id} ${m.changePct}`);
  }
});

test('a different lockref strategy is flagged, not compared; unavailable metrics shown as unavailable', () => {
  const cmp = compareCaptures([load('a', { lockrefStrategy: 'direct' })], [load('b', { lockrefStrategy: 'callsite' })]);
  for (const id of ['lockref_calls_per_s', 'spin_ms_per_s', 'spin_p99_ns', 'spin_max_ns']) {
    const m = metric(cmp, id);
    assert.equal(m.status, 'strategy-differs', id);
    assert.equal(m.changePct, null);
    assert.match(m.note!, /direct/);
  }
  assert.equal(metric(cmp, 'echild_per_run').status, 'compared');
  const un = compareCaptures([load('a')], [load('b', { unavailable: ['prEchild'] })]);
  assert.equal(metric(un, 'echild_per_s').status, 'unavailable');
  assert.match(metric(un, 'echild_per_s').note!, /^candidate: synthetic: not measured/);
  assert.match(formatTable(un), /echild_per_s .* unavailable/);
  assert.deepEqual(schemaErrors('comparison.schema.json', un), []);
});

test('trials mode: one whole-run value per capture; exact test; 6+6 trials of a 2x change are significant', () => {
  const base = [1, 2, 3, 4, 5, 6].map((s) => load(`a${s}`, { seed: s, intervals: 10 }));
  const cand = [1, 2, 3, 4, 5, 6].map((s) => load(`b${s}`, { seed: 100 + s, intervals: 10, echildPerRun: 80 }));
  const cmp = compareCaptures(base, cand);
  assert.equal(cmp.mode, 'trials');
  const m = metric(cmp, 'echild_per_run');
  assert.equal(m.base!.n, 6);
  assert.equal(m.test, 'exact');
  assert.ok(Math.abs(m.pValue! - 2 / 924) < 1e-12, String(m.pValue)); // complete separation: 2 / C(12, 6)
  assert.equal(m.significant, true);
  assert.equal(metric(cmp, 'spin_p50_ns').base!.n, 6);
  const few = compareCaptures(base.slice(0, 3), cand.slice(0, 3));
  assert.match(metric(few, 'echild_per_run').note!, /cannot reach p < 0.05/);
});

test('per-CPU comparison covers the per-second metrics of every common CPU', () => {
  const cmp = compareCaptures([load('a', { cpus: 3 })], [load('b', { cpus: 2, seed: 9 })], { perCpu: true });
  assert.deepEqual(cmp.perCpu!.map((c) => c.cpu), [0, 1]);
  assert.deepEqual(cmp.perCpu![0]!.metrics.map((m) => m.metric), METRICS.filter((m) => m.perCpu).map((m) => m.id));
  assert.deepEqual(schemaErrors('comparison.schema.json', cmp), []);
});

test('histogram quantile is the upper edge of the bucket holding it', () => {
  const b = [{ min: 256, max: 511, count: 50 }, { min: 512, max: 1023, count: 49 }, { min: 1024, max: 2047, count: 1 }];
  assert.equal(histogramQuantile(b, 0.5), 511);
  assert.equal(histogramQuantile(b, 0.51), 1023);
  assert.equal(histogramQuantile(b, 0.99), 1023);
  assert.equal(histogramQuantile(b, 1), 2047);
  assert.equal(histogramQuantile([], 0.5), null);
});

test('gates: parse, evaluate, fail closed, and one-line errors naming the bad token', () => {
  const base = load('base', { seed: 1 }), cand = load('cand', { seed: 2, echildPerRun: 80 });
  const cmp = compareCaptures([base], [cand]);
  const run = (e: string) => applyGates([parseGate(e)], cmp).gates[0]!;
  assert.equal(run('echild_per_run > +10%').tripped, true);
  assert.equal(run('echild_per_run>+10% and significant').tripped, true);
  assert.equal(run('echild_per_run > +150%').tripped, false);
  assert.equal(run('runs_per_s < -5% and significant').tripped, false);
  assert.equal(run('echild_per_run <= 1000').tripped, true);
  assert.equal(run('echild_per_run < 1').tripped, false);
  const un = compareCaptures([base], [load('c', { unavailable: ['prEchild'] })]);
  const g = applyGates([parseGate('echild_per_s > +10%')], un).gates[0]!;
  assert.equal(g.tripped, true);
  assert.match(g.detail, /cannot evaluate/);
  const err = (e: string) => { try { parseGate(e); return ''; } catch (x) { return (x as Error).message; } };
  assert.match(err('echld_per_run > +10%'), /unknown metric 'echld_per_run'/);
  assert.match(err('echild_per_run => +10%'), /bad comparator '=>'|bad comparator '='/);
  assert.match(err('echild_per_run > 10%'), /percent '10%' needs a sign/);
  assert.match(err('echild_per_run > ten'), /bad value 'ten'/);
  assert.match(err('echild_per_run > +10% or significant'), /unexpected 'or'/);
  assert.match(err('echild_per_run > +10% and signif'), /unexpected 'signif'/);
  assert.match(err('echild_per_run'), /missing comparator/);
  assert.match(err(''), /empty/);
  for (const e of ['echld_per_run > +10%', 'echild_per_run > 10%']) assert.ok(!err(e).includes('\n'));
});

test('CSV of a comparison parses back (csv-parse), columns and values match the JSON', () => {
  const cmp = compareCaptures([load('a', { seed: 1 })], [load('b', { seed: 2, echildPerRun: 80 })], { perCpu: true });
  const rows = parse(formatCsv(cmp), { columns: true }) as Record<string, string>[];
  assert.deepEqual(Object.keys(rows[0]!), [...COMPARISON_CSV_COLUMNS]);
  assert.equal(rows.length, cmp.metrics.length + cmp.perCpu!.reduce((a, c) => a + c.metrics.length, 0));
  for (const [i, m] of cmp.metrics.entries()) {
    const r = rows[i]!;
    assert.equal(r.cpu, '');
    assert.equal(r.metric, m.metric);
    assert.equal(r.status, m.status);
    assert.equal(r.change_pct === '' ? null : Number(r.change_pct), m.changePct);
    assert.equal(r.p_value === '' ? null : Number(r.p_value), m.pValue);
    assert.equal(r.significant, String(m.significant));
  }
});
