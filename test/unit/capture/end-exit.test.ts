// The one mapping to exit codes from how a capture ended and how the user left, as capture, run, view, the live UI
// and the plans use it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exitCodeForEnd, exitCodeForStop } from '../../../cli/capture/end-exit.js';
import { userStopOf } from '../../../cli/tui/view-model/keys.js';
import { EXIT } from '../../../cli/exit-codes.js';
import { stopReason } from '../../../cli/plans/runner.js';
import type { CaptureResult } from '../../../cli/capture/engine-api.js';

test('engine reasons: duration 0, interrupted 130, a failed bpftrace or workload 6', () => {
  assert.equal(exitCodeForEnd('duration'), EXIT.ok);
  assert.equal(exitCodeForEnd('interrupted'), EXIT.interrupted);
  assert.equal(exitCodeForEnd('error'), EXIT.commandFailed);
  assert.equal(exitCodeForEnd('workload-exited'), EXIT.commandFailed);
});

test('the user\'s way out decides unless the run failed: q is a normal end, Ctrl-C is 130', () => {
  assert.equal(exitCodeForEnd('interrupted', 'quit'), EXIT.ok);
  assert.equal(exitCodeForEnd('duration', 'interrupt'), EXIT.interrupted);
  assert.equal(exitCodeForEnd('error', 'quit'), EXIT.commandFailed);
  assert.equal(exitCodeForEnd('workload-exited', 'interrupt'), EXIT.commandFailed);
});

test('the way out alone (view, a second Ctrl-C): q 0; Ctrl-C and signals 130', () => {
  assert.equal(exitCodeForStop(userStopOf('q')), EXIT.ok);
  assert.equal(exitCodeForStop(userStopOf('ctrl-c')), EXIT.interrupted);
  assert.equal(exitCodeForStop(userStopOf('signal')), EXIT.interrupted);
});

test('plans stop on what would not exit 0, with that exit code (no string to map back)', () => {
  const r = (endReason: CaptureResult['capture']['run']['endReason'], error: string | null = null) => ({ capture: { run: { endReason, error } } }) as unknown as CaptureResult;
  assert.equal(stopReason(r('duration')), null);
  assert.deepEqual(stopReason(r('interrupted')), { exitCode: EXIT.interrupted, reason: 'interrupted' });
  assert.deepEqual(stopReason(r('error', 'bpftrace died')), { exitCode: EXIT.commandFailed, reason: 'bpftrace died' });
  assert.deepEqual(stopReason(r('workload-exited')), { exitCode: EXIT.commandFailed, reason: 'workload-exited' });
});
