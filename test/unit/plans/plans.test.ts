// Plan logic (trials, ab, sweep) against an injected capture function returning SYNTHETIC captures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EXIT } from '../../../cli/exit-codes.js';
import type { CaptureOptions, CaptureResult } from '../../../cli/capture/engine-api.js';
import { PlanRunner, type CaptureFn } from '../../../cli/plans/runner.js';
import { runTrials, trialPath, trialPaths } from '../../../cli/plans/trials.js';
import { abSchedule, runAb } from '../../../cli/plans/ab.js';
import { parseParallelList, runSweep } from '../../../cli/plans/sweep.js';
import { syntheticCapture } from '../compare/synthetic.js';
import { schemaErrors } from '../compare/schema-check.js';

const baseOpts = (over: Partial<CaptureOptions['settings']> = {}): CaptureOptions => ({
  settings: { workload: 'ps', command: 'TZ=/etc/localtime ps -fe', parallel: 4, ballast: 0, durationMs: 5000, intervalMs: 1000, ...over },
  out: 'run.json', force: false, lockrefStrategy: 'auto',
});

/** A fake engine: ballast > 0 doubles ECHILD per run (the "B" config); runs/s grows with sqrt(parallel). */
function fakeEngine(opts: { failAt?: number; stopAt?: number; runner?: () => PlanRunner } = {}) {
  const calls: CaptureOptions[] = [];
  const fn: CaptureFn = (o) => {
    calls.push(o);
    const n = calls.length;
    let stopped = false;
    const capture = syntheticCapture({ seed: n, intervals: 5, parallel: o.settings.parallel, echildPerRun: o.settings.ballast > 0 ? 80 : 40, runsPerSec: 100 * Math.sqrt(o.settings.parallel) });
    if (o.trial) capture.trial = o.trial;
    if (opts.stopAt === n) opts.runner?.().stop();
    const done = Promise.resolve().then((): CaptureResult => {
      if (stopped || opts.stopAt === n) { capture.run.endReason = 'interrupted'; capture.run.complete = false; }
      if (opts.failAt === n) { capture.run.endReason = 'error'; capture.run.error = 'bpftrace exited with 1'; capture.run.complete = false; }
      return { capture, outPath: o.out, intervalCount: capture.intervals.length };
    });
    return { done, stop: () => { stopped = true; } };
  };
  return { fn, calls };
}

test('trialPath names trials NAME-i.json', () => {
  assert.equal(trialPath('run.json', 3), 'run-3.json');
  assert.equal(trialPath('dir/a.b.json', 1), 'dir/a.b-1.json');
  assert.equal(trialPath('run', 2), 'run-2');
  assert.deepEqual(trialPaths('x.json', 2), ['x-1.json', 'x-2.json']);
});

test('runTrials: K captures, files NAME-1..K, each marked trial i of K', async () => {
  const { fn, calls } = fakeEngine();
  const r = await runTrials(new PlanRunner(fn), baseOpts(), 3, 'x');
  assert.equal(r.stoppedBy, null);
  assert.deepEqual(calls.map((c) => c.out), ['run-1.json', 'run-2.json', 'run-3.json']);
  assert.deepEqual(calls.map((c) => c.trial), [1, 2, 3].map((index) => ({ index, count: 3, label: 'x' })));
  assert.equal(r.results.length, 3);
});

test('runTrials stops after an error or an interrupt, keeping what was done', async () => {
  const { fn, calls } = fakeEngine({ failAt: 2 });
  const r = await runTrials(new PlanRunner(fn), baseOpts(), 5);
  assert.equal(calls.length, 2);
  assert.equal(r.results.length, 2);
  assert.match(r.stoppedBy!.reason, /bpftrace exited/);
  assert.equal(r.stoppedBy!.exitCode, EXIT.commandFailed, 'a failed capture ends the plan as a failed command');
  let runner!: PlanRunner;
  const s = fakeEngine({ stopAt: 2, runner: () => runner });
  runner = new PlanRunner(s.fn);
  const r2 = await runTrials(runner, baseOpts(), 5);
  assert.equal(s.calls.length, 2);
  assert.deepEqual(r2.stoppedBy, { exitCode: EXIT.interrupted, reason: 'interrupted' });
});

test('ab runs A B A B ..., files a-i/b-i, and compares trial against trial: a 2x ECHILD change is significant', async () => {
  assert.deepEqual(abSchedule(2), [{ side: 'a', index: 1 }, { side: 'b', index: 1 }, { side: 'a', index: 2 }, { side: 'b', index: 2 }]);
  const { fn, calls } = fakeEngine();
  const r = await runAb(new PlanRunner(fn), { a: baseOpts(), b: baseOpts({ ballast: 100 }), trials: 6, outDir: '/tmp/ab' });
  assert.deepEqual(calls.map((c) => c.out), [1, 2, 3, 4, 5, 6].flatMap((i) => [`/tmp/ab/a-${i}.json`, `/tmp/ab/b-${i}.json`]));
  assert.deepEqual(calls.map((c) => c.settings.ballast), Array(6).fill([0, 100]).flat());
  assert.deepEqual(calls.map((c) => c.trial!.label), Array(6).fill(['A', 'B']).flat());
  assert.equal(r.comparison!.mode, 'trials');
  const e = r.comparison!.metrics.find((m) => m.metric === 'echild_per_run')!;
  assert.equal(e.significant, true);
  assert.ok(Math.abs(e.changePct! - 100) < 10, String(e.changePct));
  assert.equal(r.comparison!.metrics.find((m) => m.metric === 'runs_per_s')!.significant, false);
  assert.deepEqual(schemaErrors('comparison.schema.json', r.comparison), []);
});

test('ab stopped after the first capture has no comparison', async () => {
  let runner!: PlanRunner;
  const s = fakeEngine({ stopAt: 1, runner: () => runner });
  runner = new PlanRunner(s.fn);
  const r = await runAb(runner, { a: baseOpts(), b: baseOpts(), trials: 3, outDir: '/tmp/ab' });
  assert.equal(r.comparison, null);
  assert.deepEqual(r.stoppedBy, { exitCode: EXIT.interrupted, reason: 'interrupted' });
  assert.equal(s.calls.length, 1);
});

test('parseParallelList: lists, doubling and evenly spaced ellipses, N', () => {
  assert.deepEqual(parseParallelList('1,2,4,8'), [1, 2, 4, 8]);
  assert.deepEqual(parseParallelList('1,2,4,...,64'), [1, 2, 4, 8, 16, 32, 64]);
  assert.deepEqual(parseParallelList('1,2,...,N', 128), [1, 2, 4, 8, 16, 32, 64, 128]);
  assert.deepEqual(parseParallelList('1,2,4,...,N', 6), [1, 2, 4, 6]);
  assert.deepEqual(parseParallelList('8,16,24,...,48'), [8, 16, 24, 32, 40, 48]);
  assert.deepEqual(parseParallelList('4,1,4'), [1, 4]);
  for (const [bad, why] of [['1,x', /'x' is not a whole number/], ['0,1', /out of range/], ['1,...,4', /needs two numbers/], ['1,3,4,...,9', /neither doubling/], ['', /empty item/]] as const) {
    assert.throws(() => parseParallelList(bad, 8), (e: Error) => why.test(e.message) && !e.message.includes('\n'), bad);
  }
});

test('sweep: round-robin over points, per-point medians over trials, schema-valid, scaling visible', async () => {
  const { fn, calls } = fakeEngine();
  const r = await runSweep(new PlanRunner(fn), { base: baseOpts(), parallel: [1, 4, 16], trials: 2, outDir: '/tmp/sw' });
  assert.deepEqual(calls.map((c) => c.settings.parallel), [1, 4, 16, 1, 4, 16]);
  assert.deepEqual(calls.map((c) => c.out), ['/tmp/sw/p1-1.json', '/tmp/sw/p4-1.json', '/tmp/sw/p16-1.json', '/tmp/sw/p1-2.json', '/tmp/sw/p4-2.json', '/tmp/sw/p16-2.json']);
  assert.deepEqual(schemaErrors('sweep.schema.json', r.sweep), []);
  assert.deepEqual(r.sweep.points.map((p) => p.parallel), [1, 4, 16]);
  assert.deepEqual(r.sweep.points[0]!.captures, ['p1-1.json', 'p1-2.json']);
  const rps = r.sweep.points.map((p) => p.metrics.runs_per_s!.median);
  assert.ok(rps[0]! < rps[1]! && rps[1]! < rps[2]!, String(rps));
  assert.ok(Math.abs(rps[2]! / rps[0]! - 4) < 0.4, String(rps));
  assert.equal(r.sweep.points[0]!.metrics.runs_per_s!.n, 2);
  assert.equal(r.sweep.points[0]!.metrics.lockref_waits_per_s, null);
});
