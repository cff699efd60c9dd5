// SIGINT, SIGTERM and SIGHUP at each phase of a real capture (resolving, attaching, running, writing), a second
// signal (quit at once), and SIGKILL mid-run. Whatever the moment: no process rcuwalk started is left, no kprobe is
// left in kprobe_events, and what was measured is kept: a valid capture, or a journal `rcuwalk recover` turns into one.
import { after, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCapture } from '../../cli/schema/validate.js';
import { readJournal } from '../../cli/capture/journal.js';
import { captureUnsupportedReason, runCli } from '../helpers/cli.js';
import { describe, intervalLines, leftoverKprobes, spawnTagged, taggedProcesses, waitFor, type Tagged } from './helpers.js';

const reason = captureUnsupportedReason();
if (reason) process.stdout.write(`# reliability/signals: skipped: ${reason}\n`);
const dir = mkdtempSync(join(tmpdir(), 'rcuwalk-signals-'));
after(() => rmSync(dir, { recursive: true, force: true }));

type Phase = 'resolving' | 'attaching' | 'running' | 'writing';

/** Resolves once the capture is in `phase` (judged from its log lines), or false if that moment passed. */
async function reach(c: Tagged, phase: Phase): Promise<boolean> {
  const e = () => c.stderrText();
  switch (phase) {
    case 'resolving':
      // rcuwalk asks bpftrace what it supports (--version, --info, -d) while it resolves the probes: by then the
      // signal handlers are installed, and the kernel facts take a while longer
      await waitFor(() => taggedProcesses(c.tag).some((p) => p.comm === 'bpftrace' && !p.cmdline.includes(' -f json -e ')) || /attaching \d+ probes/.test(e()), 60_000, 5);
      // `bpftrace --version` is spawned in the same tick as, but just before, the handlers are installed
      // (capture.ts: startCapture, then installStopSignals): give that tick time to finish
      await new Promise((r) => setTimeout(r, 150));
      return !/attaching \d+ probes/.test(e());
    case 'attaching':
      await waitFor(() => /attaching \d+ probes/.test(e()), 60_000, 5);
      return !/probes attached/.test(e());
    case 'running':
      return waitFor(() => intervalLines(e()) >= 2, 60_000);
    case 'writing':
      // the last planned interval is in: the workload and bpftrace are being stopped, the file is being written
      return waitFor(() => intervalLines(e()) >= 3, 60_000, 5);
  }
}

/** No rcuwalk kprobe left in kprobe_events; a subtest that skips, saying why, where the kernel has no kprobe_events. */
async function assertNoKprobeLeft(t: TestContext, label: string): Promise<void> {
  const kp = leftoverKprobes();
  await t.test(`${label}: no kprobe left in kprobe_events`, { skip: kp === null ? 'no readable kprobe_events here (CONFIG_KPROBES off?): no kprobe could be attached, none to check' : false }, () => {
    assert.deepEqual(kp, []);
  });
}

/** Everything a stopped capture must leave behind (and nothing else). */
async function assertCleanAfter(t: TestContext, c: Tagged, out: string, label: string): Promise<{ code: number | null; intervals: number | null }> {
  const { code, signal } = await c.exit;
  const gone = await waitFor(() => taggedProcesses(c.tag).length === 0, 5000, 50);
  assert.ok(gone, `${label}: processes left:\n${describe(taggedProcesses(c.tag))}`);
  await assertNoKprobeLeft(t, label);
  let intervals: number | null = null;
  if (existsSync(out)) {
    const cap = loadCapture(out);
    intervals = cap.intervals.length;
    assert.equal(statSync(out).mode & 0o777, 0o644, `${label}: file mode`);
    assert.equal(existsSync(`${out}.journal`), false, `${label}: journal left next to a written capture`);
  } else if (existsSync(`${out}.journal`)) {
    const rec = runCli(['recover', `${out}.journal`, '-o', `${out}.recovered.json`]);
    assert.equal(rec.code, 0, `${label}: recover: ${rec.stderr}`);
    intervals = loadCapture(`${out}.recovered.json`).intervals.length;
  }
  void signal;
  return { code, intervals };
}

for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  for (const phase of ['resolving', 'attaching', 'running', 'writing'] as const) {
    test(`${sig} while ${phase}: exit 130 (0 once the run was complete), nothing left running, what was measured kept`, { skip: reason ?? false, timeout: 120_000 }, async (t) => {
      const out = join(dir, `${sig}-${phase}.json`);
      const duration = phase === 'writing' ? '3s' : '30s';
      const c = spawnTagged(['capture', '--duration', duration, '--interval', '1s', '--parallel', '2', '--ballast', '3', '--lockref-strategy', 'contention', '--out', out]);
      const inPhase = await reach(c, phase);
      c.kill(sig);
      const { code, intervals } = await assertCleanAfter(t, c, out, `${sig}/${phase}`);
      t.diagnostic(`${inPhase ? 'in' : 'missed'} phase ${phase}: exit ${code}, intervals kept ${intervals ?? 'none'}`);
      const err = c.stderrText();
      if (phase === 'writing') assert.ok(code === 0 || code === 130, `exit ${code}: ${err}`);
      else assert.equal(code, 130, err);
      assert.match(err, new RegExp(`${sig}: stopping`));
      if (phase === 'running' || phase === 'writing') {
        assert.ok(intervals !== null && intervals >= 2, `intervals kept: ${intervals}\n${err}`);
        assert.equal(existsSync(out), true, 'the capture file is written');
      }
      if (intervals !== null && existsSync(out)) {
        const cap = loadCapture(out);
        assert.equal(cap.run.endReason, code === 0 ? 'duration' : 'interrupted');
        assert.ok(cap.intervals.length >= intervalLines(err) - 0, 'every interval printed is in the file');
      }
    });
  }
}

test('a second SIGINT quits at once: exit 130, nothing left running, the journal holds every printed interval and recovers', { skip: reason ?? false, timeout: 120_000 }, async (t) => {
  const out = join(dir, 'double.json');
  const c = spawnTagged(['capture', '--duration', '60s', '--interval', '1s', '--parallel', '2', '--ballast', '3', '--lockref-strategy', 'contention', '--out', out]);
  assert.ok(await waitFor(() => intervalLines(c.stderrText()) >= 3, 60_000), c.stderrText());
  c.kill('SIGINT');
  c.kill('SIGINT');
  const printed = intervalLines(c.stderrText());
  const { code, intervals } = await assertCleanAfter(t, c, out, 'double SIGINT');
  assert.equal(code, 130, c.stderrText());
  // either the first signal's orderly stop won the race (a file), or the journal is left and recovers
  assert.ok(intervals !== null && intervals >= printed - 1, `kept ${intervals}, printed ${printed}`);
});

test('SIGKILL mid-run: workers, ballast and bpftrace exit on their own within a few seconds; the journal holds every completed interval', { skip: reason ?? false, timeout: 120_000 }, async (t) => {
  const out = join(dir, 'killed.json');
  const c = spawnTagged(['capture', '--duration', '60s', '--interval', '1s', '--parallel', '2', '--ballast', '5', '--lockref-strategy', 'contention', '--out', out]);
  assert.ok(await waitFor(() => intervalLines(c.stderrText()) >= 3, 60_000), c.stderrText());
  const before = taggedProcesses(c.tag).filter((p) => p.pid !== c.pid);
  assert.ok(before.some((p) => p.comm === 'bpftrace'), describe(before));
  assert.ok(before.some((p) => p.cmdline.includes('rcuwalk-workers')), describe(before));
  assert.ok(before.some((p) => p.cmdline.includes('rcuwalk-ballast')), describe(before));
  c.kill('SIGKILL');
  await c.exit;
  const printed = intervalLines(c.stderrText());
  const t0 = Date.now();
  const gone = await waitFor(() => taggedProcesses(c.tag).length === 0, 10_000, 50);
  t.diagnostic(`everything rcuwalk started was gone ${Date.now() - t0} ms after SIGKILL`);
  assert.ok(gone, `left after SIGKILL:\n${describe(taggedProcesses(c.tag))}`);
  await assertNoKprobeLeft(t, 'SIGKILL');
  assert.equal(existsSync(out), false);
  const j = readJournal(`${out}.journal`);
  assert.ok(j.intervals.length >= printed, `journal ${j.intervals.length} intervals, ${printed} printed`);
  const rec = runCli(['recover', `${out}.journal`]);
  assert.equal(rec.code, 0, rec.stderr);
  const cap = loadCapture(out);
  assert.equal(cap.intervals.length, j.intervals.length);
  assert.equal(cap.run.complete, false);
  assert.ok((cap.totals.runs ?? 0) > 0);
  void readFileSync;
});

/** A PATH like this one without setpriv: rcuwalk then watches bpftrace with its watchdog shell. */
function pathWithoutSetpriv(): string {
  const bin = mkdtempSync(join(dir, 'path-'));
  for (const d of (process.env.PATH ?? '').split(':')) {
    if (!d || !existsSync(d)) continue;
    for (const f of readdirSync(d)) {
      if (f === 'setpriv' || existsSync(join(bin, f))) continue;
      try { symlinkSync(join(d, f), join(bin, f)); } catch { /* a name already taken */ }
    }
  }
  return bin;
}

for (const how of ['setpriv --pdeathsig', 'the watchdog shell (no setpriv)'] as const) {
  test(`SIGKILL with a long --interval: bpftrace (probes attached) ends within seconds, not at its next print; via ${how}`, { skip: reason ?? false, timeout: 120_000 }, async (t) => {
    const out = join(dir, `killed-long-interval-${how.length}.json`);
    const env = how.startsWith('setpriv') ? process.env : { ...process.env, PATH: pathWithoutSetpriv() };
    const c = spawnTagged(['capture', '--duration', '300s', '--interval', '60s', '--parallel', '1', '--lockref-strategy', 'contention', '--out', out], { env });
    assert.ok(await waitFor(() => /probes attached/.test(c.stderrText()), 60_000), c.stderrText());
    await new Promise((r) => setTimeout(r, 1000));
    const before = taggedProcesses(c.tag);
    assert.ok(before.some((p) => p.comm === 'bpftrace' && p.cmdline.includes(' -f json -e ')), describe(before));
    // one or the other guards bpftrace: the watchdog is a shell only when setpriv is missing
    assert.equal(before.some((p) => p.cmdline.includes('rcuwalk-watchdog')), !how.startsWith('setpriv'), describe(before));
    c.kill('SIGKILL');
    await c.exit;
    const t0 = Date.now();
    const gone = await waitFor(() => taggedProcesses(c.tag).length === 0, 15_000, 50);
    t.diagnostic(`everything rcuwalk started was gone ${Date.now() - t0} ms after SIGKILL (the next print was ~60 s away)`);
    assert.ok(gone, `left after SIGKILL:\n${describe(taggedProcesses(c.tag))}`);
    await assertNoKprobeLeft(t, how);
  });
}
