// The arm64 captures recorded in the qemu rig (test/fixtures/vm/<release>/SOURCE.txt: Debian's 5.10 and 6.1 arm64
// kernels under qemu-system-aarch64): the capture names the architecture, lockref is timed at the `bl` call sites,
// and compare shows ECHILD going to zero from 5.10 (before "proc: allow pid_revalidate() during LOOKUP_RCU") to 6.1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { compareCaptures } from '../../../cli/compare/compare.js';
import { loadCapture } from '../../../cli/schema/validate.js';
import { VM_FIXTURES } from './vm-replay.js';

const load = (release: string) => ({ file: `${release}/capture.json`, capture: loadCapture(join(VM_FIXTURES, release, 'capture.json')) });

test('arm64 5.10 -> 6.1 (recorded): ECHILD to zero, call sites on both', () => {
  const before = load('5.10.0-32-arm64'), after = load('6.1.0-57-arm64');
  for (const c of [before, after]) {
    assert.equal(c.capture.host.arch, 'arm64');
    const lr = c.capture.resolution.find((r) => r.target === 'lockref')!;
    assert.equal(lr.strategy, 'callsite');
    assert.equal(lr.callsites!.length, 5);
    assert.ok(c.capture.totals.all.lockrefCalls! > 0);
  }
  assert.ok(before.capture.totals.all.prEchild! > 0);
  assert.equal(after.capture.totals.all.prEchild, 0);
  const cmp = compareCaptures([before], [after]);
  const echild = cmp.metrics.find((m) => m.metric === 'echild_per_s')!;
  assert.equal(echild.changePct, -100);
  assert.equal(echild.verdict, 'improved');
  // 5.10's arm64 BTF has no pid_revalidate proto: the RCU share is unavailable there, with the reason
  assert.equal(before.capture.metricSources.prRcuCalls?.strategy, 'unavailable');
  assert.match(before.capture.metricSources.prRcuCalls?.reason ?? "", /pid_revalidate is not in BTF/);
  assert.equal(after.capture.totals.all.prRcuCalls, after.capture.totals.all.prCalls);
});
