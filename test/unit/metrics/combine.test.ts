// One rule per counter when rows combine (cli/metrics/combine.ts): sums, maxima, and percentages weighted by the
// seconds each row covers. The numbers are worked by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { combine, combineCpus, emptyMetrics, timed } from '../../../cli/metrics/combine.js';
import { COUNTERS } from '../../../cli/metrics/counters.js';
import { totalsOf } from '../../../cli/state/totals.js';
import type { CpuRow, Interval } from '../../../cli/schema/types.generated.js';

const row = (cpu: number, o: Partial<CpuRow>): CpuRow => ({ cpu, ...emptyMetrics(), ...o });
const iv = (seq: number, startMs: number, endMs: number, cpus: CpuRow[]): Interval =>
  ({ seq, startMs, endMs, cpus, runs: null, runsPerWorker: null, bpfErrors: 0, lostEvents: 0 });

test('combine: counters by their rule in counters.ts (sum, max), a counter no row has stays null', () => {
  const c = combine([
    timed({ prCalls: 3, lockrefMaxNs: 900, spinNs: null }, 1),
    timed({ prCalls: 4, lockrefMaxNs: 200, spinNs: null }, 1),
  ]).metrics;
  assert.equal(c.prCalls, 7);
  assert.equal(c.lockrefMaxNs, 900);
  assert.equal(c.spinNs, null);
  assert.equal(c.prEchild, null, 'a field no row names');
  for (const d of COUNTERS) assert.ok(d.field in c, `${d.field} present`);
});

test('combine: %sys over 9 s at 90% and 1 s at 10% is 82% (time-weighted), not the plain mean 50% aggregate.ts gave', () => {
  const c = combine([timed({ sysPct: 90, userPct: 5, idlePct: 5 }, 9), timed({ sysPct: 10, userPct: 10, idlePct: 80 }, 1)]);
  assert.equal(c.metrics.sysPct, 82); // (90*9 + 10*1) / 10
  assert.equal(c.metrics.userPct, 5.5); // (5*9 + 10*1) / 10
  assert.equal(c.metrics.idlePct, 12.5); // (5*9 + 80*1) / 10
  assert.equal(c.secs.sysPct, 10, 'the seconds behind the mean');
  // rows over the same time (the CPUs of one interval): the weighted mean is the plain mean
  assert.equal(combineCpus([{ sysPct: 90 }, { sysPct: 10 }]).sysPct, 50);
});

test('combine: a combination combines further with the seconds behind it; rows without a percentage add no time', () => {
  const first = combine([timed({ sysPct: 90 }, 4), timed({ sysPct: 90 }, 5)]); // 9 s at 90%
  const withGap = combine([first, timed({ sysPct: null, prCalls: 2 }, 30), timed({ sysPct: 10 }, 1)]);
  assert.equal(withGap.metrics.sysPct, 82, 'the 30 s without /proc/stat counts for nothing');
  assert.equal(withGap.secs.sysPct, 10);
  assert.equal(withGap.metrics.prCalls, 2);
  assert.equal(combine([timed({ sysPct: 40 }, 0)]).metrics.sysPct, null, 'no time behind it: no mean');
});

test('run totals: a CPU measured 1 s of 10 weighs 1/10 in all-CPU %sys (the UI and aggregate.ts took 1/2)', () => {
  // CPU 0: 10 intervals of 1 s at 90% sys; CPU 1 only in the last one, at 10%
  const ivs = Array.from({ length: 10 }, (_, k) => iv(k, k * 1000, (k + 1) * 1000, [row(0, { sysPct: 90, prCalls: 1 }), ...(k === 9 ? [row(1, { sysPct: 10, prCalls: 1 })] : [])]));
  const t = totalsOf(ivs);
  assert.equal(t.cpus[0]!.sysPct, 90);
  assert.equal(t.cpus[1]!.sysPct, 10);
  assert.ok(Math.abs(t.all.sysPct! - 82.72727272727273) < 1e-9, `${t.all.sysPct}`); // (90*10 + 10*1) / 11 CPU-seconds
  assert.equal(t.all.prCalls, 11);
  assert.equal(combineCpus(t.cpus).sysPct, 50, 'the plain mean of the two CPU rows');
});
