// Properties over random event streams: the run totals equal the sums of the interval rows, every interval has a
// row per online CPU, unavailable metrics are null everywhere, and the capture is schema-valid.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { reduceAll } from '../../../cli/state/reducer.js';
import { totalsOf } from '../../../cli/state/totals.js';
import { COUNTER_KEYS } from '../../../cli/state/metrics.js';
import { toCapture } from '../../../cli/capture/to-capture.js';
import { validateCapture } from '../../../cli/schema/validate.js';
import type { CaptureEvent, CpuTimes } from '../../../cli/state/events.js';
import { CONTENTION_MAPS, CPU_MAPS } from '../../../cli/script-protocol/maps.js';
import { contentionMeta, standinMeta } from '../capture/fixture-replay.js';

const STACKS = ['\n    a+1\n    lockref_get_not_dead+93\n', '\n    b+2\n    c+3\n', '\nd+4\nlockref_get_not_dead+5\n'];
const mapNames = [...Object.values(CPU_MAPS), CONTENTION_MAPS.waits, CONTENTION_MAPS.ns, CONTENTION_MAPS.maxNs];

const arbRecord = fc.record({
  name: fc.constantFrom(...mapNames),
  entries: fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 1e6 })), { maxLength: 6 }),
});
const arbInterval = fc.record({ recs: fc.array(arbRecord, { maxLength: 8 }), dt: fc.integer({ min: 1, max: 3000 }), runs: fc.option(fc.array(fc.nat(50), { minLength: 1, maxLength: 4 })), busy: fc.nat(100) });

test('totals are the sums of the interval rows; rows per online CPU; valid captures', () => {
  fc.assert(fc.property(fc.boolean(), fc.array(arbInterval, { minLength: 1, maxLength: 12 }), (contention, ivs) => {
    const meta = contention ? contentionMeta() : standinMeta();
    meta.host = { ...meta.host, onlineCpus: [0, 1, 2], cpuCount: 3 };
    let t = 1000;
    let jiff = 0;
    const ct = (): CpuTimes[] => [0, 1, 2].map((cpu) => ({ cpu, user: jiff, nice: 0, system: jiff * 2, idle: jiff, iowait: 0, irq: 0, softirq: 0, steal: 0 }));
    const ev: CaptureEvent[] = [{ type: 'meta', meta }, { type: 'attached', atMs: t, probes: 5, cpuTimes: ct() }];
    for (const iv of ivs) {
      for (const r of iv.recs) {
        const isC = r.name.startsWith('@cw');
        ev.push({ type: 'bpf', record: { kind: 'map', name: r.name, entries: r.entries.map(([cpu, s, v]) => ({ key: isC ? `${STACKS[s]},${cpu}` : String(cpu), value: v })) } });
      }
      t += iv.dt;
      jiff += iv.busy;
      ev.push({ type: 'tick', atMs: t, cpuTimes: ct(), runsPerWorker: iv.runs });
    }
    const s = reduceAll(ev);
    assert.equal(s.intervals.length, ivs.length);
    // online CPUs always; CPU 3 (not online) from the first interval that names it on
    let seen3 = false;
    for (const [i, iv] of s.intervals.entries()) {
      // (only maps measured under this meta name CPUs: contention: @cw_n, @cw_ns, @cw_max of lockref stacks)
      const measured = (name: string, stack: number) => contention
        ? name === CONTENTION_MAPS.waits || name === CONTENTION_MAPS.ns || (name === CONTENTION_MAPS.maxNs && STACKS[stack]!.includes('lockref_get_not_dead'))
        : (Object.values(CPU_MAPS) as string[]).includes(name);
      seen3 ||= ivs[i]!.recs.some((r) => r.entries.some(([cpu, st]) => cpu === 3 && measured(r.name, st)));
      assert.deepEqual(iv.cpus.map((r) => r.cpu), seen3 ? [0, 1, 2, 3] : [0, 1, 2]);
    }
    const again = totalsOf(s.intervals);
    for (const k of COUNTER_KEYS) {
      assert.equal(s.totals.all[k], again.all[k], k);
      for (let c = 0; c < s.totals.cpus.length; c++) assert.equal(s.totals.cpus[c]![k], again.cpus[c]![k]);
      const src = meta.metricSources[k];
      if (!src || src.strategy === 'unavailable') for (const iv of s.intervals) for (const r of iv.cpus) assert.equal(r[k], null);
    }
    assert.equal(s.totals.runs, again.runs);
    validateCapture(toCapture(s), 'property');
  }), { numRuns: 300 });
});
