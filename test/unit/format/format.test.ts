import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatNs, formatNsPerSec, formatPct, formatRate, si } from '../../../cli/format/numbers.js';
import { metricRow, intervalRows, totalsRows } from '../../../cli/format/rows.js';
import { plainIntervalLine, plainTotalsLine } from '../../../cli/format/plain-lines.js';
import { reduceAll } from '../../../cli/state/reducer.js';
import { toCapture } from '../../../cli/capture/to-capture.js';
import { emptyMetrics } from '../../../cli/metrics/combine.js';
import type { Interval } from '../../../cli/schema/types.generated.js';
import { contentionMeta, fixtureEvents, standinMeta } from '../capture/fixture-replay.js';

test('numbers', () => {
  assert.equal(si(0), '0');
  assert.equal(si(950), '950');
  assert.equal(si(1234), '1.2k');
  assert.equal(si(12_345), '12.3k');
  assert.equal(si(123_456), '123k');
  assert.equal(si(999_999), '1.0M');
  assert.equal(si(999.7), '1.0k');
  assert.equal(si(12.34), '12.3');
  assert.equal(si(3_400_000_000), '3.4G');
  assert.equal(si(null), '-');
  assert.equal(si(Number.NaN), '-');
  assert.equal(formatNs(850), '850ns');
  assert.equal(formatNs(12_300), '12.3µs');
  assert.equal(formatNs(4_560_000), '4.56ms');
  assert.equal(formatNs(12_300_000), '12.3ms');
  assert.equal(formatNs(1_200_000_000), '1.20s');
  assert.equal(formatNs(null), '-');
  assert.equal(formatNsPerSec(12_300_000), '12.3ms/s');
  assert.equal(formatPct(63.24), '63.2%');
  assert.equal(formatPct(null), '-');
  assert.equal(formatRate(41), '41.0');
  assert.equal(formatRate(1234), '1.2k');
});

test('metric rows: rates per second, shares, % of CPU time, null stays null', () => {
  const m = { ...emptyMetrics(), prCalls: 2000, prEchild: 500, unlazyNextCalls: 100, unlazyCalls: 50, unlazyNextFails: 10, unlazyFails: null, lockrefNs: 250_000_000, spinNs: 500_000_000, lockrefMaxNs: 9000, sysPct: 60 };
  const r = metricRow(3, m, 2);
  assert.equal(r.cpu, 3);
  const v = r.values;
  assert.equal(v.pr_calls_per_s, 1000);
  assert.equal(v.echild_per_s, 250);
  assert.equal(v.echild_share_pct, 25);
  assert.equal(v.unlazy_calls_per_s, 75);
  assert.equal(v.unlazy_fails_per_s, 5, 'a sum over both functions: the one measured');
  assert.equal(v.spin_ms_per_s, 125);
  assert.equal(v.spin_pct_of_cpu, 12.5);
  assert.equal(v.spinlock_ms_per_s, 250);
  assert.equal(v.spin_max_ns, 9000);
  assert.equal(v.lockref_calls_per_s, null);
  assert.equal(v.spinlock_waits_per_s, null);
  assert.equal(v.sys_pct, 60);
  assert.equal('runs_per_s' in v && v.runs_per_s, null, 'a per-CPU row has no runs');
  assert.equal(metricRow('all', m, 2, 4).values.spin_pct_of_cpu, 3.125, 'all: share of all CPUs');
  assert.equal(metricRow(0, m, 0).values.pr_calls_per_s, null, 'no time: no rate');
});

test('rows and plain lines from the real contention recording', () => {
  const c = toCapture(reduceAll(fixtureEvents('contention-6.18', contentionMeta())));
  const iv = c.intervals[4]!;
  const rows = intervalRows(iv);
  assert.deepEqual(rows.map((r) => r.cpu), [0, 1, 'all']);
  const sec = (iv.endMs - iv.startMs) / 1000;
  assert.equal(rows[2]!.values.spinlock_waits_per_s, (iv.cpus[0]!.spinWaits! + iv.cpus[1]!.spinWaits!) / sec);
  assert.equal(rows[0]!.values.pr_calls_per_s, null);
  const line = plainIntervalLine(iv, { durationMs: 6000 });
  assert.match(line, /^\[5\/6s\] runs\/s \S+ sys \d+\.\d% echild\/s - lockref spin \S+\/s$/);
  assert.match(plainIntervalLine(iv, { durationMs: 30_000, lostEvents: 1500 }), /^\[ 5\/30s\] .* lost 1\.5k$/);
  const tl = plainTotalsLine(c.totals, c.run.elapsedMs);
  assert.match(tl, /^total 6\.\ds: runs \d+ \(\d+\/s\) sys \d+\.\d% echild\/s - lockref \S+\/s spin \S+ms\/s$/);
  assert.equal(totalsRows(c.totals, c.run.elapsedMs).length, 3);
});

test('plain line with every metric measured (per-CPU stand-in recording) and with a workload of none', () => {
  const c = toCapture(reduceAll(fixtureEvents('percpu-standin-6.18', standinMeta())));
  const line = plainIntervalLine(c.intervals[1]!, { durationMs: 4000 });
  assert.match(line, /^\[2\/4s\] runs\/s [\d.]+ sys [\d.]+% echild\/s [\d.]+k lockref time [\d.]+ms\/s$/);
  const none: Interval = { ...c.intervals[1]!, runs: null, runsPerWorker: null };
  assert.match(plainIntervalLine(none, { durationMs: 4000 }), /runs\/s - /);
});
