// Real captures with each newer bpftrace at hand (>= 0.20: modern syntax), from scripts/install-bpftrace-debian.sh:
// RCUWALK_BPFTRACE=<wrapper> rcuwalk capture, contention strategy, 4 s of 1 s intervals, one ps worker.
//
// Spinning waits on this 2-CPU 6.18 build come from rwlocks only (a contended spinlock with one waiter takes the
// qspinlock pending path, which does not fire lock:contention_begin), and the ps worker alone gives 0-5 per 4 s:
// too few to assert on. So while rcuwalk runs, a helper loops `kill -0 -1` (bash's builtin: kill(-1, 0), which
// sends no signal but walks every task under read_lock(&tasklist_lock)) and the ps worker's forks and exits take
// it for writing: ~50 waits a second, on both CPUs (queued_read/write_lock_slowpath).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { validateCapture } from '../../cli/schema/validate.js';
import type { Capture } from '../../cli/schema/types.generated.js';
import { TEST_TAG, rcuwalkProcesses, runCli } from '../helpers/cli.js';
import { bpftraceSlots, DEBIAN_SUITES } from '../helpers/bpftraces.js';

const dir = mkdtempSync(join(tmpdir(), 'rcuwalk-it-modern-'));
const rootReason = process.getuid?.() !== 0 ? 'needs root (run the tests as root: the integration tests attach real probes)' : null;

/** Processes still running the given bpftrace tree's binary that carry this test file's tag. */
function bpftracesOf(tree: string): string[] {
  const out: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmd.includes(`${tree}/usr/bin/bpftrace`) && readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(TEST_TAG)) out.push(`${pid} ${cmd.slice(0, 100)}`);
    } catch { /* gone */ }
  }
  return out;
}

/** Runs fn while a `kill -0 -1` loop holds tasklist_lock for reading (timeout ends it even if this process dies). */
async function withTasklistReaders<T>(fn: () => T): Promise<T> {
  const reader = spawn('timeout', ['120', 'bash', '-c', 'while :; do kill -0 -1 2>/dev/null; done'], { stdio: 'ignore' });
  try {
    return fn();
  } finally {
    reader.kill('SIGTERM');
    await new Promise((r) => (reader.exitCode !== null || reader.signalCode !== null ? r(null) : reader.once('exit', r)));
  }
}

for (const slot of bpftraceSlots().filter((s) => (s.exe ? s.exe.version.syntax === 'modern' : (DEBIAN_SUITES as readonly string[]).includes(s.label)))) {
  const title = slot.exe ? `bpftrace ${slot.exe.version.version} (${slot.label})` : `bpftrace (${slot.label})`;
  test(`${title}: a real 4 s contention capture, modern syntax: intervals, spin waits, nothing lost, nothing left running`, { skip: rootReason ?? slot.missing ?? false, timeout: 240_000 }, async () => {
    const bt = slot.exe!;
    const out = join(dir, `${slot.label}.json`);
    const r = await withTasklistReaders(() => runCli(['capture', '-d', '4s', '-i', '1s', '-j', '1', '--lockref-strategy', 'contention', '--out', out], { env: { ...process.env, RCUWALK_BPFTRACE: bt.path } }));
    assert.equal(r.code, 0, r.stderr);
    const c = JSON.parse(readFileSync(out, 'utf8')) as Capture;
    validateCapture(c, out);
    assert.deepEqual(c.bpftrace, { path: bt.path, version: bt.version.version, syntax: 'modern' });
    assert.ok(Math.abs(c.intervals.length - 4) <= 1, `intervals: ${c.intervals.length} (4 planned)`);
    assert.equal(c.run.complete, true);
    assert.equal(c.run.error, null);
    assert.equal(c.run.lostEvents, 0);
    assert.equal(c.metricSources.spinWaits?.strategy, 'contention');
    for (const iv of c.intervals) for (const row of iv.cpus) {
      assert.equal(typeof row.spinWaits, 'number', `interval ${iv.seq} cpu ${row.cpu}: spinWaits measured`);
      assert.equal(typeof row.spinNs, 'number');
      assert.equal(typeof row.lockrefWaits, 'number');
    }
    assert.ok(c.totals.all.spinWaits! > 0 && c.totals.all.spinNs! > 0, `spin waits ${c.totals.all.spinWaits}, ns ${c.totals.all.spinNs}`);
    // stacks read as frames whatever the bpftrace's key spelling (0.23 escapes the newlines twice)
    assert.ok(c.contentionStacks && c.contentionStacks.length > 0);
    for (const s of c.contentionStacks) for (const f of s.stack) assert.match(f, /^[\w.]+\+\d+$/, JSON.stringify(f));
    assert.deepEqual(bpftracesOf(dirname(bt.path)), [], 'no bpftrace left running');
    assert.deepEqual(rcuwalkProcesses(), []);
  });
}
