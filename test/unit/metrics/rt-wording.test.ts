// PREEMPT_RT wording through the catalogue: on a capture whose resolution marks rtWaits (spinlock_t sleeps there),
// every output says "wait", not "spin", for the lockref and context times; elsewhere nothing changes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { METRICS, labelOf, shortOf, rtWaits } from '../../../cli/metrics/catalogue.js';
import { compareCaptures } from '../../../cli/compare/compare.js';
import { buildReport } from '../../../cli/report/html.js';
import { summaryLines } from '../../../cli/commands/capture-summary.js';
import { allColumns } from '../../../cli/tui/view-model/layout.js';
import { columnMetrics } from '../../../cli/tui/view-model/column-metrics.js';
import { loadCapture } from '../../../cli/schema/validate.js';
import { VM_FIXTURES } from '../compare/vm-replay.js';

const load = () => ({ file: '6.1.0-56-amd64/capture.json', capture: loadCapture(join(VM_FIXTURES, '6.1.0-56-amd64', 'capture.json')) });
/** DERIVED: the recorded 6.1 capture as resolve.ts marks it on a PREEMPT_RT kernel */
const asRt = () => {
  const run = load();
  run.capture.resolution = run.capture.resolution.map((r) => (r.target === 'lockref' || r.target === 'spin' ? { ...r, rtWaits: true } : r));
  run.capture.host = { ...run.capture.host, preemptRt: { value: true, evidence: '/sys/kernel/realtime = 1' } };
  return run;
};

test('every metric whose label says spin has rt wording without it', () => {
  for (const m of METRICS) {
    if (!/spin/.test(m.label + m.short)) continue;
    assert.ok(m.rt, `${m.id} has no rt wording`);
    assert.doesNotMatch(labelOf(m, true) + shortOf(m, true), /spin/, m.id);
    assert.equal(labelOf(m, false), m.label);
  }
});

test('not RT: spin, as before', () => {
  const run = load();
  assert.equal(rtWaits(run.capture), false);
  assert.match(summaryLines(run.capture).join('\n'), /spin ms\/s/);
  assert.match(summaryLines(run.capture)[0]!, /^rcuwalk capture: 6\.1\.0-56-amd64 \(x86_64, 2 CPUs\)/);
  assert.match(buildReport({ run, base: null, sweep: null }), /lockref spin ms\/s/);
});

test('DERIVED RT: the summary, the report, compare and the live UI\'s columns say wait', () => {
  const run = asRt();
  assert.equal(rtWaits(run.capture), true);
  const summary = summaryLines(run.capture).join('\n');
  assert.match(summary, /^rcuwalk capture: 6\.1\.0-56-amd64 \(x86_64, PREEMPT_RT, 2 CPUs\)/);
  assert.match(summary, /wait ms\/s/);
  assert.match(summary, /lock waits /);
  const table = summary.split('\n').find((l) => l.startsWith('CPU'))!;
  assert.doesNotMatch(table, /spin/);
  const html = buildReport({ run, base: null, sweep: null });
  assert.match(html, /\(x86_64, PREEMPT_RT, 2 CPUs\)/);
  assert.match(html, /lockref wait ms\/s \(PREEMPT_RT: rt lock, sleeping included\)/);
  assert.doesNotMatch(html, /<td>lockref spin ms\/s<\/td>/);
  const cmp = compareCaptures([load()], [run]);
  assert.equal(cmp.metrics.find((m) => m.metric === 'spin_ms_per_s')?.label, 'lockref wait ms/s (PREEMPT_RT: rt lock, sleeping included)');
  const headers = allColumns(columnMetrics('contention'), true).map((c) => c.header).join(' ');
  assert.match(headers, /wait ms\/s/);
  assert.doesNotMatch(headers, /spin/);
});

test('the recorded PREEMPT_RT capture (test/fixtures/vm/6.1.0-50-rt-amd64): rt waits counted, worded wait', () => {
  const run = { file: '6.1.0-50-rt-amd64/capture.json', capture: loadCapture(join(VM_FIXTURES, '6.1.0-50-rt-amd64', 'capture.json')) };
  const c = run.capture;
  assert.equal(c.schemaVersion, 2);
  assert.deepEqual(c.host.preemptRt, { value: true, evidence: '/sys/kernel/realtime = 1' });
  assert.equal(rtWaits(c), true);
  assert.ok(c.totals.all.lockrefWaits! > 0);
  const lockrefStacks = (c.contentionStacks ?? []).filter((s) => s.lockref);
  assert.ok(lockrefStacks.length > 0 && lockrefStacks.every((s) => s.stack.some((f) => f.startsWith('rt_spin_lock+'))));
  const summary = summaryLines(c).join('\n');
  assert.match(summary, /\(x86_64, PREEMPT_RT, 2 CPUs\)/);
  assert.match(summary.split('\n').find((l) => l.startsWith('CPU'))!, /lrwait\/s .*wait ms\/s/);
  assert.match(buildReport({ run, base: null, sweep: null }), /lockref rt-lock waits\/s \(PREEMPT_RT\)/);
});
