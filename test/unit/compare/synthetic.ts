// SYNTHETIC captures for tests of compare/export/report/plans: schema-valid, shaped like a ps workload run,
// with seeded noise. Not measured on any kernel: real fixtures (test/fixtures/vm) are used where they exist.
import type { Bucket, Capture, CpuMetrics, CpuRow, Interval, MetricSource, Strategy } from '../../../cli/schema/types.generated.js';
import { seededRandom } from '../../../cli/stats/random.js';

export interface SyntheticOptions {
  cpus?: number;
  intervals?: number;
  intervalMs?: number;
  seed?: number;
  kernelRelease?: string;
  /** workload runs per second over all CPUs */
  runsPerSec?: number;
  echildPerRun?: number;
  /** lockref calls per run and mean ns per call */
  lockrefPerRun?: number;
  lockrefNsPerCall?: number;
  sysPct?: number;
  /** relative noise (sd / mean) per CPU and interval */
  noise?: number;
  /** strategy for the lockref fields (lockrefCalls, lockrefNs, lockrefMaxNs) and the histogram */
  lockrefStrategy?: Strategy;
  /** fields made unavailable (null throughout) */
  unavailable?: (keyof CpuMetrics)[];
  parallel?: number;
}

const FIELDS: (keyof CpuMetrics)[] = ['prCalls', 'prRcuCalls', 'prEchild', 'unlazyNextCalls', 'unlazyNextFails', 'unlazyCalls', 'unlazyFails',
  'lockrefCalls', 'lockrefWaits', 'lockrefNs', 'lockrefMaxNs', 'spinWaits', 'spinNs', 'userPct', 'sysPct', 'idlePct'];
const TARGET: Record<keyof CpuMetrics, MetricSource['target']> = {
  prCalls: 'pid_revalidate', prRcuCalls: 'pid_revalidate', prEchild: 'pid_revalidate', unlazyNextCalls: 'unlazy_next', unlazyNextFails: 'unlazy_next',
  unlazyCalls: 'unlazy', unlazyFails: 'unlazy', lockrefCalls: 'lockref', lockrefWaits: 'lockref', lockrefNs: 'lockref', lockrefMaxNs: 'lockref',
  spinWaits: 'spin', spinNs: 'spin', userPct: 'spin', sysPct: 'spin', idlePct: 'spin',
};

export function syntheticCapture(o: SyntheticOptions = {}): Capture {
  const ncpu = o.cpus ?? 4, nint = o.intervals ?? 30, ims = o.intervalMs ?? 1000;
  const rand = seededRandom(o.seed ?? 1);
  const noise = o.noise ?? 0.05;
  const jitter = (x: number) => Math.max(0, x * (1 + noise * (rand() * 2 - 1) * 1.732));
  const lockStrat: Strategy = o.lockrefStrategy ?? 'direct';
  const unavailable = new Set(o.unavailable ?? []);
  if (lockStrat === 'unavailable') for (const f of ['lockrefCalls', 'lockrefNs', 'lockrefMaxNs'] as const) unavailable.add(f);
  const strategyOf = (f: keyof CpuMetrics): Strategy =>
    unavailable.has(f) || f === 'lockrefWaits' ? 'unavailable' : TARGET[f] === 'lockref' ? lockStrat : 'direct';
  const rps = o.runsPerSec ?? 200, epr = o.echildPerRun ?? 40, lpr = o.lockrefPerRun ?? 300, nsPer = o.lockrefNsPerCall ?? 800;
  const sys = o.sysPct ?? 90;
  const secs = ims / 1000;
  const intervals: Interval[] = [];
  const sum: Record<number, Record<string, number>> = {};
  let totalRuns = 0;
  for (let i = 0; i < nint; i++) {
    const runs = Math.round(jitter(rps * secs));
    totalRuns += runs;
    const cpus: CpuRow[] = [];
    for (let c = 0; c < ncpu; c++) {
      const share = runs / ncpu;
      const echild = Math.round(jitter(share * epr));
      const lcalls = Math.round(jitter(share * lpr));
      const sysp = Math.min(100, jitter(sys));
      const userp = Math.min(100 - sysp, 5);
      const m: CpuMetrics = {
        prCalls: Math.round(echild * 2 + jitter(share * 10)), prRcuCalls: echild + Math.round(jitter(share * 5)), prEchild: echild,
        unlazyNextCalls: Math.round(jitter(share * 30)), unlazyNextFails: Math.round(jitter(share * 2)),
        unlazyCalls: Math.round(jitter(share * 12)), unlazyFails: Math.round(jitter(share * 1)),
        lockrefCalls: lcalls, lockrefWaits: null, lockrefNs: Math.round(lcalls * jitter(nsPer)), lockrefMaxNs: Math.round(jitter(nsPer * 20)),
        spinWaits: Math.round(jitter(share * 50)), spinNs: Math.round(jitter(share * 50 * 600)),
        userPct: Number(userp.toFixed(2)), sysPct: Number(sysp.toFixed(2)), idlePct: Number(Math.max(0, 100 - sysp - userp).toFixed(2)),
      };
      for (const f of FIELDS) if (strategyOf(f) === 'unavailable') m[f] = null;
      cpus.push({ cpu: c, ...m });
      const acc = (sum[c] ??= {});
      for (const f of FIELDS) { const v = m[f]; if (v !== null) acc[f] = f === 'lockrefMaxNs' ? Math.max(acc[f] ?? 0, v) : (acc[f] ?? 0) + v; }
    }
    intervals.push({ seq: i, startMs: i * ims, endMs: (i + 1) * ims, cpus, runs, runsPerWorker: null });
  }
  const rowOf = (acc: Record<string, number>, n: number): CpuMetrics => {
    const m = {} as CpuMetrics;
    for (const f of FIELDS) {
      if (strategyOf(f) === 'unavailable') { m[f] = null; continue; }
      const v = acc[f] ?? 0;
      m[f] = f.endsWith('Pct') ? Number((v / n).toFixed(2)) : v;
    }
    return m;
  };
  const totCpus = Array.from({ length: ncpu }, (_, c) => ({ cpu: c, ...rowOf(sum[c] ?? {}, nint) }));
  const all = {} as CpuMetrics;
  for (const f of FIELDS) {
    const vals = totCpus.map((r) => r[f]).filter((v): v is number => v !== null);
    all[f] = vals.length === 0 ? null : f.endsWith('Pct') ? Number((vals.reduce((a, b) => a + b, 0) / vals.length).toFixed(2)) : f === 'lockrefMaxNs' ? Math.max(...vals) : vals.reduce((a, b) => a + b, 0);
  }
  // log2 histogram of lockref durations around nsPer
  const hist = (scale: number): Bucket[] => {
    if (lockStrat === 'unavailable') return [];
    const out: Bucket[] = [];
    const center = Math.round(Math.log2(nsPer));
    for (let k = center - 3; k <= center + 4; k++) {
      const count = Math.round(scale * 1000 * Math.exp(-0.5 * (k - center) ** 2) * (1 + 0.1 * rand()));
      if (count > 0) out.push({ min: 2 ** k, max: 2 ** (k + 1) - 1, count });
    }
    return out;
  };
  const elapsedMs = nint * ims;
  const metricSources: Capture['metricSources'] = {};
  for (const f of FIELDS) metricSources[f] = { target: TARGET[f], strategy: strategyOf(f), reason: strategyOf(f) === 'unavailable' ? 'synthetic: not measured' : null };
  const targets: MetricSource['target'][] = ['pid_revalidate', 'unlazy_next', 'unlazy', 'lockref', 'spin'];
  return {
    schemaVersion: 1,
    tool: { name: 'rcuwalk', version: '0.1.0' },
    host: { hostname: 'synthetic', kernelRelease: o.kernelRelease ?? '6.1.0-synthetic', kernelVersion: '#1 SMP synthetic', arch: 'x86_64', cpuCount: ncpu,
      onlineCpus: Array.from({ length: ncpu }, (_, c) => c), numaNodes: [{ node: 0, cpus: Array.from({ length: ncpu }, (_, c) => c) }] },
    bpftrace: { path: '/usr/bin/bpftrace', version: '0.17.0', syntax: 'legacy' },
    run: { startedAt: '2026-01-01T00:00:00.000Z', endedAt: new Date(Date.parse('2026-01-01T00:00:00.000Z') + elapsedMs).toISOString(), elapsedMs, attachMs: 500,
      complete: true, endReason: 'duration', error: null, lostEvents: 0 },
    settings: { workload: 'ps', command: 'TZ=/etc/localtime ps -fe', parallel: o.parallel ?? ncpu, ballast: 0, durationMs: elapsedMs, intervalMs: ims },
    resolution: targets.map((t) => ({ target: t, strategy: t === 'lockref' ? lockStrat : 'direct', probe: t === 'spin' ? 'tracepoint' : 'kprobe', symbol: t, reason: null, rejected: [] })),
    metricSources,
    intervals,
    totals: { all, cpus: totCpus, runs: totalRuns, runsPerSec: totalRuns / (elapsedMs / 1000), runsPerWorker: null },
    histograms: { lockrefNs: { strategy: lockStrat, all: hist(ncpu), cpus: Array.from({ length: ncpu }, (_, c) => ({ cpu: c, buckets: hist(1) })) } },
  };
}
