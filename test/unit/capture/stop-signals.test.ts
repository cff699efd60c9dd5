// The one signal handler: the first signal asks to stop (said on stderr unless the UI says it), a second exits at once
// with EXIT.interrupted through exitNow (bin.ts's process.exit), after beforeExit; restore removes it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { installStopSignals } from '../../../cli/commands/stop-signals.js';
import { setExitNow } from '../../../cli/exit-now.js';
import { EXIT } from '../../../cli/exit-codes.js';

test('first SIGTERM stops, the second exits 130 after beforeExit; restore removes the handler', () => {
  const calls: string[] = [];
  setExitNow((code) => calls.push(`exit ${code}`));
  const before = process.listenerCount('SIGTERM');
  const beforeInt = process.listenerCount('SIGINT');
  const restore = installStopSignals((sig) => calls.push(`stop ${sig}`), { announce: false, beforeExit: () => calls.push('restore terminal') });
  assert.equal(process.listenerCount('SIGTERM'), before + 1);
  process.emit('SIGTERM', 'SIGTERM');
  assert.deepEqual(calls, ['stop SIGTERM']);
  process.emit('SIGHUP', 'SIGHUP');
  assert.deepEqual(calls, ['stop SIGTERM', 'restore terminal', `exit ${EXIT.interrupted}`]);
  restore();
  assert.equal(process.listenerCount('SIGTERM'), before);
  assert.equal(process.listenerCount('SIGINT'), beforeInt);
});
