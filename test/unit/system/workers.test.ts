import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { startWorkers } from '../../../cli/system/workload-process.js';

const fifoFds = () => readdirSync('/proc/self/fd').filter((fd) => {
  try { return readlinkSync(`/proc/self/fd/${fd}`).startsWith('pipe:'); } catch { return false; }
}).length;

test('workers report their runs through a pipe read only on demand; nothing is left in the temp dir or open after stop', async () => {
  const pipesBefore = fifoFds();
  const w = startWorkers({ kind: 'cmd', parallel: 3, command: 'sleep 0.01' });
  assert.deepEqual(readdirSync(tmpdir()).filter((n) => n.startsWith('rcuwalk-runs-')), [], 'the FIFO name is removed before the workers run');
  await sleep(1500);
  const first = w.takeRuns();
  assert.equal(first.length, 3);
  for (const [i, n] of first.entries()) assert.ok(n >= 10 && n <= 200, `worker ${i} ran ${n} times in 1.5 s of 'sleep 0.01'`);
  await sleep(500);
  const second = w.takeRuns();
  const total = second.reduce((a, b) => a + b, 0);
  assert.ok(total >= 10 && total < first.reduce((a, b) => a + b, 0), `take() reset the counts: ${total} runs in the next 0.5 s`);
  await w.stop();
  assert.equal(fifoFds(), pipesBefore, 'the read end is closed after stop');
});

test('a fast workload (thousands of runs a second) is counted in full between takes', async () => {
  const w = startWorkers({ kind: 'cmd', parallel: 2, command: ':' });
  await sleep(2500);
  const runs = w.takeRuns().reduce((a, b) => a + b, 0);
  await w.stop();
  // ':' in a subshell runs thousands of times a second; 64 KiB of "0\n" lines is 32k runs
  assert.ok(runs > 2000, `${runs} runs of ':' in 2.5 s`);
});
