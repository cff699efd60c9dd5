// 128 CPUs x 3600 intervals, synthesized from the real per-CPU records of the stand-in recording (cpu k gets the
// records of recorded cpu k % 2) plus its real contention stacks. Checks results at scale; the time is reported
// as a diagnostic, never asserted (speed goals live in bench/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { intervalWindow } from '../../../cli/state/state.js';
import { reduceAll } from '../../../cli/state/reducer.js';
import type { CaptureEvent, CaptureMeta, CpuTimes } from '../../../cli/state/events.js';
import type { BpfRecord, HistEntry, MapEntry } from '../../../cli/bpftrace/records.js';
import { fixtureRecords, standinMeta } from '../capture/fixture-replay.js';
import { toCapture } from '../../../cli/capture/to-capture.js';
import { validateCapture } from '../../../cli/schema/validate.js';

const CPUS = 128;
const INTERVALS = 3600;

function widen(r: BpfRecord): BpfRecord {
  if (r.kind === 'map') {
    const out: MapEntry[] = [];
    for (let c = 0; c < CPUS; c++) for (const e of r.entries) if (Number(e.key) === c % 2) out.push({ key: String(c), value: e.value });
    return r.name === '@lr_site' ? r : { ...r, entries: out };
  }
  if (r.kind === 'hist') {
    const out: HistEntry[] = [];
    for (let c = 0; c < CPUS; c++) for (const e of r.entries) if (Number(e.key) === c % 2) out.push({ key: String(c), buckets: e.buckets });
    return { ...r, entries: out };
  }
  return r;
}

test(`reduce ${CPUS} CPUs x ${INTERVALS} intervals`, (t) => {
  const recs = fixtureRecords('percpu-standin-6.18');
  const blocks: BpfRecord[][] = [];
  let cur: BpfRecord[] = [];
  for (const r of recs) {
    if (r.kind === 'printf' && r.text.startsWith('rcuwalk-tick')) { blocks.push(cur); cur = []; }
    else if (r.kind === 'map' || (r.kind === 'hist' && !process.env.SCALE_NO_HIST)) cur.push(widen(r));
  }
  const meta: CaptureMeta = standinMeta();
  const cpus = Array.from({ length: CPUS }, (_, i) => i);
  meta.host = { ...meta.host, cpuCount: CPUS, onlineCpus: cpus, numaNodes: [{ node: 0, cpus }] };
  const ct = (k: number): CpuTimes[] => cpus.map((cpu) => ({ cpu, user: 40 * k, nice: 0, system: 55 * k, idle: 5 * k, iowait: 0, irq: 0, softirq: 0, steal: 0 }));
  const events: CaptureEvent[] = [{ type: 'meta', meta }, { type: 'attached', atMs: 0, probes: 10, cpuTimes: ct(0) }];
  for (let i = 0; i < INTERVALS; i++) {
    for (const r of blocks[i % blocks.length]!) events.push({ type: 'bpf', record: r });
    events.push({ type: 'tick', atMs: (i + 1) * 1000, cpuTimes: ct(i + 1), runsPerWorker: [3, 4] });
  }
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const s = reduceAll(events);
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  const t1 = performance.now();
  const cap = toCapture(s);
  const t2 = performance.now();
  validateCapture(cap, 'scale');
  const t3 = performance.now();
  t.diagnostic(`reduce ${events.length} events (${CPUS} CPUs x ${INTERVALS} intervals): ${ms.toFixed(0)} ms wall, ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms CPU (incl. GC threads); toCapture ${(t2 - t1).toFixed(0)} ms; validateCapture ${(t3 - t2).toFixed(0)} ms`);
  // the state keeps the latest intervals only (the journal has the run); the count and the totals cover all
  assert.equal(s.intervalCount, INTERVALS);
  assert.equal(s.intervals.length, Math.min(INTERVALS, intervalWindow(CPUS)));
  assert.equal(s.intervals.at(-1)!.seq, INTERVALS - 1);
  assert.equal(s.intervals.at(-1)!.cpus.length, CPUS);
  assert.equal(cap.run.elapsedMs, INTERVALS * 1000);
  assert.equal(s.totals.runs, 7 * INTERVALS);
  assert.equal(s.totals.runsPerSec, 7);
  let expected = 0;
  for (let i = 0; i < INTERVALS; i++) for (const r of blocks[i % blocks.length]!) if (r.kind === 'map' && r.name === '@pr_calls') for (const e of r.entries) expected += e.value;
  assert.equal(s.totals.all.prCalls, expected);
  assert.ok(Math.abs(s.totals.all.sysPct! - 55) < 1e-9);
});
