import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseProcStat } from '../../../cli/state/proc-stat.js';
import { cpuPercent, cpuPercents } from '../../../cli/state/cpu-percent.js';
import { fixtureSamples } from '../capture/fixture-replay.js';

test('parses the per-CPU lines of a real /proc/stat (Linux 6.18, recorded with the contention fixture)', () => {
  const s = fixtureSamples('contention-6.18');
  const t = parseProcStat(s[0]!.procStat);
  assert.deepEqual(t.map((x) => x.cpu), [0, 1]);
  const line0 = s[0]!.procStat.split('\n').find((l) => l.startsWith('cpu0 '))!.split(/\s+/).slice(1).map(Number);
  assert.deepEqual(t[0], { cpu: 0, user: line0[0], nice: line0[1], system: line0[2], idle: line0[3], iowait: line0[4], irq: line0[5], softirq: line0[6], steal: line0[7] });
});

test('short (old kernel) lines, offline CPUs missing, garbage skipped, sorted', () => {
  const t = parseProcStat('cpu  1 2 3 4\ncpu3 1 2 3 4\ncpu1 5 6 7 8 9\ncpux 1 2 3 4\ncpu2 a b c d\nintr 5\n');
  assert.deepEqual(t, [
    { cpu: 1, user: 5, nice: 6, system: 7, idle: 8, iowait: 9, irq: 0, softirq: 0, steal: 0 },
    { cpu: 3, user: 1, nice: 2, system: 3, idle: 4, iowait: 0, irq: 0, softirq: 0, steal: 0 },
  ]);
  assert.deepEqual(parseProcStat(''), []);
});

test('percents: user+nice, system, idle+iowait over the delta of all eight fields', () => {
  const a = { cpu: 0, user: 100, nice: 0, system: 100, idle: 100, iowait: 0, irq: 0, softirq: 0, steal: 0 };
  const b = { cpu: 0, user: 130, nice: 10, system: 140, idle: 110, iowait: 5, irq: 2, softirq: 2, steal: 1 };
  const p = cpuPercent(a, b)!;
  assert.equal(p.ticks, 100);
  assert.equal(p.userPct, 40);
  assert.equal(p.sysPct, 40);
  assert.equal(p.idlePct, 15);
  assert.equal(cpuPercent(a, a), null, 'no time passed');
  assert.equal(cpuPercent(b, a), null, 'counters went back');
  const m = cpuPercents([a], [b, { ...b, cpu: 1 }]);
  assert.deepEqual([...m.keys()], [0]);
});
