// Real captures on this machine (the contention strategy: lock:contention_begin/end attributed to lockref_get_not_dead).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateCapture } from '../../cli/schema/validate.js';
import type { Capture } from '../../cli/schema/types.generated.js';
import { spawnSync } from 'node:child_process';
import { BIN as BIN_PATH, captureUnsupportedReason, rcuwalkProcesses, runCli, spawnCli, waitFor } from '../helpers/cli.js';

const reason = captureUnsupportedReason();
const dir = mkdtempSync(join(tmpdir(), 'rcuwalk-it-'));

function load(path: string): Capture {
  const c = JSON.parse(readFileSync(path, 'utf8')) as Capture;
  validateCapture(c, path);
  return c;
}

test('capture --duration 5s with the ps workload: intervals, per-CPU rows, runs, %sys, a valid file, nothing left running', { skip: reason ?? false, timeout: 240_000 }, () => {
  const out = join(dir, 'run.json');
  const r = runCli(['capture', '--duration', '5s', '--interval', '1s', '--parallel', '2', '--ballast', '50', '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  const c = load(out);
  assert.equal(c.run.complete, true);
  assert.equal(c.run.endReason, 'duration');
  assert.ok(c.intervals.length >= 4 && c.intervals.length <= 6, `intervals: ${c.intervals.length}`);
  for (const iv of c.intervals) {
    assert.deepEqual(iv.cpus.map((r) => r.cpu), c.host.onlineCpus);
    for (const row of iv.cpus) assert.equal(typeof row.sysPct, 'number');
  }
  assert.ok((c.totals.runs ?? 0) > 0, 'ps runs > 0');
  assert.ok((c.totals.all.sysPct ?? 0) > 0, '%sys measured');
  const lockref = c.resolution.find((x) => x.target === 'lockref');
  assert.ok(lockref, 'lockref resolved');
  assert.notEqual(lockref.strategy, 'unavailable', lockref.reason ?? '');
  assert.equal(c.metricSources.lockrefNs?.strategy, lockref.strategy);
  assert.ok(c.run.attachMs !== null && c.run.attachMs > 0);
  assert.match(r.stdout, /CPU\s+%sys/);
  assert.equal(existsSync(`${out}.journal`), false, 'journal removed after the file was written');
  assert.deepEqual(rcuwalkProcesses(), []);
});

test('more intervals than the state keeps (20 ms for 12 s): every one is in the file, streamed from the journal; --json prints the same', { skip: reason ?? false, timeout: 240_000 }, () => {
  const out = join(dir, 'many.json');
  const r = runCli(['capture', '--duration', '12s', '--interval', '20ms', '--parallel', '2', '--json', '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  const c = load(out);
  assert.ok(c.intervals.length >= 590 && c.intervals.length <= 601, `intervals: ${c.intervals.length} (the state keeps 512)`);
  assert.deepEqual(c.intervals.map((iv) => iv.seq), c.intervals.map((_, k) => k));
  assert.equal(c.run.elapsedMs, c.intervals.at(-1)!.endMs - c.intervals[0]!.startMs);
  let runs = 0;
  for (const iv of c.intervals) runs += iv.runs ?? 0;
  assert.equal(c.totals.runs, runs, 'run totals = the sum over the intervals in the file');
  assert.equal(r.stdout, readFileSync(out, 'utf8'), '--json prints the file');
  assert.equal(existsSync(`${out}.journal`), false);
});

test('SIGINT mid-run keeps a partial capture, exits 130 and leaves nothing running', { skip: reason ?? false, timeout: 240_000 }, async () => {
  const out = join(dir, 'interrupted.json');
  const child = spawnCli(['capture', '--duration', '60s', '--parallel', '2', '--out', out]);
  const attached = await waitFor(() => /probes attached/.test(child.stderrText()), 120_000);
  assert.ok(attached, child.stderrText());
  await waitFor(() => (child.stderrText().match(/runs\/s/g) ?? []).length >= 2, 20_000);
  child.kill('SIGINT');
  const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  assert.equal(code, 130, child.stderrText());
  const c = load(out);
  assert.equal(c.run.complete, false);
  assert.equal(c.run.endReason, 'interrupted');
  assert.ok(c.intervals.length >= 2);
  assert.ok((c.totals.runs ?? 0) > 0);
  assert.deepEqual(rcuwalkProcesses(), []);
});

test('an existing --out file is refused before anything starts, and left untouched', () => {
  const out = join(dir, 'exists.json');
  writeFileSync(out, 'precious');
  const r = runCli(['capture', '--duration', '2s', '--out', out]);
  assert.equal(r.code, 7);
  assert.match(r.stderr, /exists/);
  assert.match(r.stderr, /--force/);
  assert.equal(readFileSync(out, 'utf8'), 'precious');
  assert.deepEqual(rcuwalkProcesses(), []);
});

test('bad flags: one clear line and exit 2', () => {
  for (const args of [['--parallel', 'many'], ['--duration', '-3s'], ['--workload', 'dance'], ['--interval', '5s', '--duration', '1s'], ['--bogus']]) {
    const r = runCli(['capture', ...args]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /^rcuwalk: /);
    assert.ok(r.stderr.trim().split('\n').length <= 2, r.stderr);
  }
});

test('without privileges: exit 3 with the next step, nothing started', { skip: process.getuid?.() !== 0 ? 'needs root to drop to an unprivileged user with setpriv' : false }, () => {
  const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '--inh-caps=-all', process.execPath, BIN_PATH, 'capture', '--json', '--duration', '2s'], { encoding: 'utf8', cwd: tmpdir() });
  assert.equal(r.status, 3, r.stderr);
  assert.match(r.stderr, /root|CAP_BPF/);
  assert.match(r.stderr, /next: /);
});

test('--csv DIR writes the four tables; --trials 2 writes two captures marked trial 1 and 2', { skip: reason ?? false, timeout: 240_000 }, () => {
  const csvDir = join(dir, 'csv');
  const out = join(dir, 'trials.json');
  const r = runCli(['capture', '-d', '2s', '-j', '2', '--out', join(dir, 'csvrun.json'), '--csv', csvDir]);
  assert.equal(r.code, 0, r.stderr);
  const c = load(join(dir, 'csvrun.json'));
  const lines = readFileSync(join(csvDir, 'intervals.csv'), 'utf8').trim().split('\n');
  assert.equal(lines.length, 1 + c.intervals.length * c.host.cpuCount, 'one row per interval x CPU plus the header');
  assert.match(lines[0]!, /sys_pct/);
  for (const t of ['cpus', 'histogram', 'resolution']) assert.ok(existsSync(join(csvDir, `${t}.csv`)), t);
  const t = runCli(['capture', '-d', '2s', '-j', '2', '--trials', '2', '--out', out]);
  assert.equal(t.code, 0, t.stderr);
  for (const i of [1, 2]) {
    const ci = load(join(dir, `trials-${i}.json`));
    assert.deepEqual(ci.trial, { index: i, count: 2 });
  }
  assert.deepEqual(rcuwalkProcesses(), []);
});
