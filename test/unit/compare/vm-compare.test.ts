// REAL data: the qemu recordings of Debian 5.10 (before "proc: allow pid_revalidate() during LOOKUP_RCU") and
// 6.1 (after), replayed into captures (vm-replay.ts) and compared: ECHILD falls to zero.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareCaptures } from '../../../cli/compare/compare.js';
import type { Capture } from '../../../cli/schema/types.generated.js';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateCapture } from '../../../cli/schema/validate.js';
import { VM_FIXTURES, vmCapture, vmFixtureExists } from './vm-replay.js';
import { schemaErrors } from './schema-check.js';

const BEFORE = '5.10.0-46-amd64', AFTER = '6.1.0-56-amd64';
const missing = [BEFORE, AFTER].filter((r) => !vmFixtureExists(r));

/** Only the intervals in which the ps workload was walking /proc (pid_revalidate called): the recording
 * attached before the workload started and ticked on after it ended. */
function activeOnly(c: Capture): Capture {
  return { ...c, intervals: c.intervals.filter((iv) => iv.cpus.reduce((a, r) => a + (r.prCalls ?? 0), 0) > 0) };
}

test('5.10 -> 6.1: ECHILD per second and ECHILD share fall to zero, significant', { skip: missing.length ? `no recorded fixture for ${missing.join(', ')} in test/fixtures/vm` : false }, () => {
  const before = vmCapture(BEFORE), after = vmCapture(AFTER);
  assert.deepEqual(schemaErrors('capture.schema.json', JSON.parse(JSON.stringify(before))), []);
  assert.deepEqual(schemaErrors('capture.schema.json', JSON.parse(JSON.stringify(after))), []);
  const a = activeOnly(before), b = activeOnly(after);
  assert.ok(a.intervals.length >= 6 && b.intervals.length >= 6, `${a.intervals.length} / ${b.intervals.length} active intervals`);
  const cmp = compareCaptures([{ file: BEFORE, capture: a }], [{ file: AFTER, capture: b }]);
  for (const id of ['echild_per_s', 'echild_share_pct']) {
    const m = cmp.metrics.find((x) => x.metric === id)!;
    assert.equal(m.status, 'compared', id);
    assert.ok(m.base!.median > 0, `${id} before the fix: ${m.base!.median}`);
    assert.equal(m.candidate!.median, 0, `${id} after the fix`);
    assert.equal(m.candidate!.max, 0, `${id}: no -ECHILD at all after the fix`);
    assert.equal(m.changePct, -100, id);
    assert.equal(m.significant, true, `${id} p=${m.pValue}`);
  }
  // same probes and strategies on both kernels: nothing flagged as measured differently
  assert.deepEqual(cmp.metrics.filter((m) => m.status === 'strategy-differs').map((m) => m.metric), []);
});

/** Capture files (rcuwalk capture output, e.g. from test/vm/run-matrix.sh) committed beside a recording. */
function committedCapture(release: string): Capture | null {
  const dir = join(VM_FIXTURES, release);
  if (!existsSync(dir)) return null;
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    try {
      const x = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { tool?: { name?: string } };
      if (x?.tool?.name === 'rcuwalk') return validateCapture(x, f);
    } catch { /* not a capture */ }
  }
  return null;
}

const captures = [BEFORE, AFTER].map(committedCapture);
test('5.10 -> 6.1 rcuwalk capture files: ECHILD falls to zero', { skip: captures.includes(null) ? 'no rcuwalk capture files committed in test/fixtures/vm/<release>/ yet (test/vm/run-matrix.sh writes them)' : false }, () => {
  const cmp = compareCaptures([{ file: BEFORE, capture: captures[0]! }], [{ file: AFTER, capture: captures[1]! }]);
  const m = cmp.metrics.find((x) => x.metric === 'echild_per_s')!;
  assert.equal(m.status, 'compared', m.note ?? '');
  assert.ok(m.base!.max > 0);
  assert.equal(m.candidate!.max, 0);
});
