import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

test('a fast workload is counted in full: every run the command made is in the takes, whatever the machine\'s speed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rcuwalk-workers-test-'));
  try {
    // each run appends one byte: an independent count of the runs the workers made
    const marks = join(dir, 'runs');
    const w = startWorkers({ kind: 'cmd', parallel: 2, command: `printf x >> '${marks}'` });
    let taken = 0;
    for (let i = 0; i < 25; i++) { await sleep(100); taken += w.takeRuns().reduce((a, b) => a + b, 0); }
    await w.stop();
    taken += w.takeRuns().reduce((a, b) => a + b, 0);
    const made = statSync(marks).size;
    assert.ok(made >= 100, `only ${made} runs in 2.5 s: the workers hardly ran`);
    // a worker stopped between its command and its report is the only run that may be missing (one per worker)
    assert.ok(taken <= made && made - taken <= 2, `${taken} runs counted, ${made} made`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
