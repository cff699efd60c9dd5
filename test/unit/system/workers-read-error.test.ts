// A read of the workers' run FIFO that fails (not EAGAIN) must end in `failed`, never in an exception thrown from the
// drain timer (uncaught: rcuwalk would die without stopping the workload or bpftrace).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { startWorkers, type ReadRuns, type Workers } from '../../../cli/system/workload-process.js';
import { groupAlive } from '../../../cli/system/process-groups.js';
import { CommandError } from '../../../cli/errors.js';

/** Workers whose FIFO reads fail with EIO once `failing` is set; counts the reads and any uncaught exception. */
async function withFailingReads(body: (w: Workers, io: { failing: boolean; reads: number }) => Promise<void>): Promise<void> {
  const io = { failing: false, reads: 0 };
  const readRuns: ReadRuns = (fd, buf, off, len, pos) => {
    io.reads += 1;
    if (io.failing) throw Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO', syscall: 'read' });
    return readSync(fd, buf, off, len, pos);
  };
  const uncaught: unknown[] = [];
  const onUncaught = (err: unknown) => { uncaught.push(err); };
  process.on('uncaughtException', onUncaught);
  const w = startWorkers({ kind: 'cmd', parallel: 2, command: 'sleep 0.01' }, readRuns);
  try {
    await body(w, io);
  } finally {
    await w.stop();
    process.off('uncaughtException', onUncaught);
  }
  assert.equal(groupAlive(w.pid), false, 'the workload is stopped');
  assert.deepEqual(uncaught, [], 'nothing thrown uncaught');
}

test('a read failing in the drain timer resolves `failed` (a CommandError naming the OS error) and stops the timer', async () => {
  await withFailingReads(async (w, io) => {
    await sleep(600);
    assert.ok(w.takeRuns().reduce((a, b) => a + b, 0) > 0, 'runs are counted before the failure');
    io.failing = true; // the next read is the timer's (nothing else reads until `failed`)
    const err = await w.failed;
    assert.ok(err instanceof CommandError);
    assert.equal(err.message, "cannot read the workload's run counts: EIO: i/o error, read");
    assert.equal(err.command, 'rcuwalk-workers: 2 x sleep 0.01');
    const reads = io.reads;
    await sleep(700); // more than two drain periods
    assert.equal(io.reads, reads, 'no read after the failure: the drain timer is stopped');
    assert.equal(w.takeRuns().length, 2);
    assert.equal(io.reads, reads, 'takeRuns no longer reads either');
  });
});

test('a read failing in takeRuns (the engine\'s line handler) returns the counts so far and resolves `failed`', async () => {
  await withFailingReads(async (w, io) => {
    await sleep(300);
    io.failing = true;
    let runs: number[] = [];
    assert.doesNotThrow(() => { runs = w.takeRuns(); });
    assert.equal(runs.length, 2);
    assert.match((await w.failed).message, /EIO/);
  });
});
