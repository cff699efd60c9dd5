// The one end-reason -> exit-code mapping, as capture, run, the live UI and the plans use it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exitCodeForEnd } from '../../../cli/capture/end-exit.js';
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

test('plans stop on what would not exit 0', () => {
  const r = (endReason: CaptureResult['capture']['run']['endReason'], error: string | null = null) => ({ capture: { run: { endReason, error } } }) as unknown as CaptureResult;
  assert.equal(stopReason(r('duration')), null);
  assert.equal(stopReason(r('interrupted')), 'interrupted');
  assert.equal(stopReason(r('error', 'bpftrace died')), 'bpftrace died');
  assert.equal(stopReason(r('workload-exited')), 'workload-exited');
});
