// Constructed CaptureStates for TUI tests: empty, one CPU, N CPUs, unavailable targets. Shapes follow the contracts.
import { viewState } from '../../../cli/view/view-state.js';
import { captureSource } from '../../../cli/view/load-run.js';
import type { Capture, CpuMetrics, CpuRow, Interval, TargetResolution } from '../../../cli/schema/types.generated.js';
import type { CaptureState } from '../../../cli/state/state.js';
import type { CaptureMeta } from '../../../cli/state/events.js';
import { emptyRunAcc } from '../../../cli/state/accumulators.js';
import { KeyMemo } from '../../../cli/state/key-memo.js';
import { NOTHING_COVERED, coverageOf } from '../../../cli/metrics/coverage.js';

export const NULL_METRICS: CpuMetrics = {
  prCalls: null, prRcuCalls: null, prEchild: null, unlazyNextCalls: null, unlazyNextFails: null, unlazyCalls: null,
  unlazyFails: null, lockrefCalls: null, lockrefWaits: null, lockrefNs: null, lockrefMaxNs: null, spinWaits: null,
  spinNs: null, userPct: null, sysPct: null, idlePct: null,
};

export function emptyState(): CaptureState {
  return {
    phase: 'resolving', meta: null, attachMs: null, intervals: [], intervalCount: 0, coverage: NOTHING_COVERED,
    totals: { all: { ...NULL_METRICS }, cpus: [], runs: null, runsPerSec: null, runsPerWorker: null },
    histograms: { lockrefNs: { strategy: 'unavailable', all: [], cpus: [] } },
    lockrefCallsites: [], contentionStacks: [], lostEvents: 0, bpfErrors: 0, bpfErrorSamples: [], end: null,
    pending: { maps: {}, hists: {}, errors: 0, lost: 0 }, lastTick: null, acc: emptyRunAcc(), keyMemo: new KeyMemo(),
  };
}

export type Kind = 'direct' | 'contention';

export function resolution(kind: Kind): TargetResolution[] {
  if (kind === 'direct') {
    return [
      { target: 'pid_revalidate', strategy: 'direct', probe: 'kprobe', symbol: 'pid_revalidate', returnConvention: 'errno', flagsArg: 1, lookupRcu: 64, reason: null, rejected: [] },
      { target: 'unlazy_next', strategy: 'direct', probe: 'kprobe', symbol: 'try_to_unlazy_next', returnConvention: 'bool', reason: null, rejected: [] },
      { target: 'unlazy', strategy: 'direct', probe: 'kprobe', symbol: 'try_to_unlazy', returnConvention: 'bool', reason: null, rejected: [] },
      { target: 'lockref', strategy: 'direct', probe: 'kprobe', symbol: 'lockref_get_not_dead', reason: null, rejected: [] },
      { target: 'spin', strategy: 'contention', probe: 'tracepoint', symbol: null, reason: null, rejected: [] },
    ];
  }
  const noKprobes = 'CONFIG_KPROBES is off: kprobe attach impossible';
  return [
    { target: 'pid_revalidate', strategy: 'unavailable', probe: null, symbol: null, reason: noKprobes, rejected: [{ strategy: 'direct', reason: 'fentry load fails with EPERM' }] },
    { target: 'unlazy_next', strategy: 'unavailable', probe: null, symbol: null, reason: noKprobes, rejected: [] },
    { target: 'unlazy', strategy: 'unavailable', probe: null, symbol: null, reason: noKprobes, rejected: [] },
    { target: 'lockref', strategy: 'contention', probe: 'tracepoint', symbol: null, reason: 'spinlock waits under lockref_get_not_dead (lock:contention_begin/end)', rejected: [{ strategy: 'direct', reason: 'no kprobes' }] },
    { target: 'spin', strategy: 'contention', probe: 'tracepoint', symbol: null, reason: null, rejected: [] },
  ];
}

export function meta(cpus: number, kind: Kind, numaNodes = 1): CaptureMeta {
  const per = Math.ceil(cpus / numaNodes);
  return {
    tool: { name: 'rcuwalk', version: '0.1.0' },
    host: {
      hostname: 'testhost', kernelRelease: kind === 'direct' ? '5.10.0-32-amd64' : '6.18.0', kernelVersion: '#1 SMP', arch: 'x86_64',
      cpuCount: cpus, onlineCpus: Array.from({ length: cpus }, (_, i) => i),
      numaNodes: Array.from({ length: numaNodes }, (_, n) => ({ node: n, cpus: Array.from({ length: per }, (_, i) => n * per + i).filter((c) => c < cpus) })),
    },
    bpftrace: { path: '/usr/bin/bpftrace', version: '0.17.0', syntax: 'legacy' },
    settings: { workload: 'ps', command: 'TZ=/etc/localtime ps -fe', parallel: cpus, ballast: 0, durationMs: 30_000, intervalMs: 1000 },
    resolution: resolution(kind),
    metricSources: {},
    startedAt: '2026-11-25T15:00:00.000Z',
  };
}

/** A deterministic per-CPU row: CPU `cpu` in interval `seq`, scaled by `load`. */
export function cpuRow(cpu: number, seq: number, kind: Kind, load = 1): CpuRow {
  const k = (1 + ((cpu * 7 + seq * 3) % 11) / 10) * load;
  const direct = kind === 'direct';
  return {
    cpu,
    prCalls: direct ? Math.round(20000 * k) : null,
    prRcuCalls: direct ? Math.round(19000 * k) : null,
    prEchild: direct ? Math.round(18000 * k) : null,
    unlazyNextCalls: direct ? Math.round(18000 * k) : null,
    unlazyNextFails: direct ? Math.round(30 * k) : null,
    unlazyCalls: direct ? Math.round(900 * k) : null,
    unlazyFails: direct ? Math.round(5 * k) : null,
    lockrefCalls: direct ? Math.round(40000 * k) : null,
    lockrefWaits: direct ? null : Math.round(300 * k),
    lockrefNs: Math.round(420e6 * k),
    lockrefMaxNs: Math.round(2.3e6 * k),
    spinWaits: Math.round(500 * k),
    spinNs: Math.round(450e6 * k),
    userPct: 2,
    sysPct: Math.min(97, 60 + 20 * k),
    idlePct: Math.max(0, 100 - 2 - Math.min(97, 60 + 20 * k)),
  };
}

function sumRows(rows: CpuRow[]): CpuMetrics {
  const out = { ...NULL_METRICS } as CpuMetrics;
  for (const key of Object.keys(NULL_METRICS) as (keyof CpuMetrics)[]) {
    const xs = rows.map((r) => r[key]).filter((x): x is number => x !== null);
    if (xs.length === 0) continue;
    out[key] = key === 'lockrefMaxNs' ? Math.max(...xs) : key.endsWith('Pct') ? xs.reduce((a, b) => a + b, 0) / xs.length : xs.reduce((a, b) => a + b, 0);
  }
  return out;
}

export interface BuildOpts { cpus: number; intervals: number; kind?: Kind; numaNodes?: number; load?: number; idleCpus?: number[] }

/** A running state with `intervals` closed 1 s intervals on `cpus` CPUs. */
export function runningState(o: BuildOpts): CaptureState {
  const kind = o.kind ?? 'direct';
  const s = emptyState();
  const m = meta(o.cpus, kind, o.numaNodes ?? 1);
  const intervals: Interval[] = [];
  for (let seq = 0; seq < o.intervals; seq++) {
    const cpus = Array.from({ length: o.cpus }, (_, c) => {
      if (o.idleCpus?.includes(c)) return { ...cpuRow(c, seq, kind, 0), sysPct: 0.5, userPct: 0.5, idlePct: 99 };
      return cpuRow(c, seq, kind, o.load ?? 1);
    });
    const runs = 40 + ((seq * 13) % 17);
    intervals.push({ seq, startMs: seq * 1000, endMs: (seq + 1) * 1000, cpus, runs, runsPerWorker: null });
  }
  const totCpus: CpuRow[] = Array.from({ length: o.cpus }, (_, c) => ({ ...sumRows(intervals.map((iv) => iv.cpus[c]!)), cpu: c }));
  const runs = intervals.reduce((a, iv) => a + (iv.runs ?? 0), 0);
  const buckets = (n: number) => [8, 9, 10, 11, 12, 13, 14].map((p, i) => ({ min: 2 ** p, max: 2 ** (p + 1) - 1, count: Math.round(n * [1, 4, 9, 14, 9, 3, 1][i]!) }));
  return {
    ...s,
    phase: 'running', meta: m, attachMs: 250, intervals, intervalCount: intervals.length, coverage: coverageOf(intervals),
    totals: { all: sumRows(totCpus), cpus: totCpus, runs, runsPerSec: o.intervals ? runs / o.intervals : null, runsPerWorker: null },
    histograms: { lockrefNs: { strategy: kind, all: buckets(100 * o.cpus), cpus: Array.from({ length: o.cpus }, (_, c) => ({ cpu: c, buckets: buckets(100 + c) })) } },
  };
}

/** A finished capture from a state (for baselines). */
export function toCaptureLike(s: CaptureState): Capture {
  const m = s.meta!;
  const last = s.intervals[s.intervals.length - 1];
  return {
    schemaVersion: 1, tool: m.tool, host: m.host, bpftrace: m.bpftrace,
    run: { startedAt: m.startedAt, endedAt: m.startedAt, elapsedMs: last ? last.endMs : 0, attachMs: s.attachMs, complete: true, endReason: 'duration', error: null, lostEvents: 0 },
    settings: m.settings, resolution: m.resolution, metricSources: m.metricSources,
    intervals: s.intervals, totals: s.totals, histograms: s.histograms,
  };
}

/** The state a finished capture stands for, as `rcuwalk view` shows it at its last interval (the qemu recordings). */
export function stateFromCapture(c: Capture): CaptureState {
  return viewState(captureSource(c), { index: c.intervals.length - 1, span: 'interval' });
}
