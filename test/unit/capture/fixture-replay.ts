// Replays a recorded bpftrace fixture (test/fixtures/bpftrace/<base>.ndjson + .samples.ndjson) as the engine would:
// the attached_probes line -> 'attached' (with the /proc/stat sample taken right after it), each
// "rcuwalk-tick" printf -> 'tick' (with the /proc/stat sample and per-interval runs), every other record -> 'bpf'.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseLine } from '../../../cli/bpftrace/ndjson-parse.js';
import type { BpfRecord } from '../../../cli/bpftrace/records.js';
import { FIXTURES_DIR } from '../../helpers/fixtures.js';
import { TICK_PREFIX } from '../../../cli/script-protocol/markers.js';
import type { CaptureEvent, CaptureMeta } from '../../../cli/state/events.js';
import { parseProcStat } from '../../../cli/state/proc-stat.js';
import type { MetricSource, Strategy, Target } from '../../../cli/schema/types.generated.js';

export const BPF_FIXTURES = join(FIXTURES_DIR, 'bpftrace');

export interface Sample { afterLine: number; kind: 'attached' | 'tick'; atMs: number; procStat: string; runsPerWorker: number[] }

export function fixtureLines(base: string): string[] {
  return readFileSync(join(BPF_FIXTURES, `${base}.ndjson`), 'utf8').split('\n');
}

export function fixtureRecords(base: string): BpfRecord[] {
  return fixtureLines(base).map(parseLine).filter((r): r is BpfRecord => r !== null);
}

export function fixtureSamples(base: string): Sample[] {
  return readFileSync(join(BPF_FIXTURES, `${base}.samples.ndjson`), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Sample);
}

const src = (target: Target, strategy: Strategy): MetricSource => ({ target, strategy, reason: strategy === 'unavailable' ? 'not measured in this fixture' : null });

export interface Recorder { bpftrace: CaptureMeta['bpftrace']; kernelRelease: string }

/** Which bpftrace recorded each fixture, on which build of 6.18 (see test/fixtures/bpftrace/README.md). */
export const RECORDERS = {
  'contention-6.18': { bpftrace: { path: '/usr/bin/bpftrace', version: '0.17.0', syntax: 'legacy' }, kernelRelease: '6.18.44-fc-v509' },
  'contention-6.18-bt0.23': { bpftrace: { path: '/var/cache/rcuwalk/bpftrace-trixie/bpftrace', version: '0.23.2', syntax: 'modern' }, kernelRelease: '6.18.44-fc-v782' },
  'contention-6.18-bt0.27': { bpftrace: { path: '/var/cache/rcuwalk/bpftrace-sid/bpftrace', version: '0.27.1', syntax: 'modern' }, kernelRelease: '6.18.44-fc-v782' },
} satisfies Record<string, Recorder>;
export type ContentionFixture = keyof typeof RECORDERS;

/** The fixtures' machine: 2 CPUs, Linux 6.18; bpftrace 0.17 unless another recorder is given. */
export function fixtureMeta(sources: Record<string, MetricSource>, recorder: Recorder = RECORDERS['contention-6.18']): CaptureMeta {
  return {
    tool: { name: 'rcuwalk', version: '0.1.0' },
    host: { hostname: 'vm', kernelRelease: recorder.kernelRelease, kernelVersion: '#1 SMP PREEMPT_DYNAMIC', arch: 'x86_64', cpuCount: 2, onlineCpus: [0, 1], numaNodes: [{ node: 0, cpus: [0, 1] }] },
    bpftrace: { ...recorder.bpftrace },
    settings: { workload: 'ps', command: 'TZ=/etc/localtime ps -fe', parallel: 4, ballast: 0, durationMs: 6000, intervalMs: 1000 },
    resolution: [],
    metricSources: sources,
    startedAt: '2026-11-25T15:35:00.000Z',
  };
}

/** contention strategy: lockref and spin from lock:contention_*; the kprobe targets unavailable (no kprobes on 6.18 here). */
export function contentionMeta(base: ContentionFixture = 'contention-6.18'): CaptureMeta {
  const u = (t: Target) => src(t, 'unavailable');
  return fixtureMeta({
    prCalls: u('pid_revalidate'), prRcuCalls: u('pid_revalidate'), prEchild: u('pid_revalidate'),
    unlazyNextCalls: u('unlazy_next'), unlazyNextFails: u('unlazy_next'), unlazyCalls: u('unlazy'), unlazyFails: u('unlazy'),
    lockrefCalls: u('lockref'),
    lockrefWaits: src('lockref', 'contention'), lockrefNs: src('lockref', 'contention'), lockrefMaxNs: src('lockref', 'contention'),
    spinWaits: src('spin', 'contention'), spinNs: src('spin', 'contention'),
  }, RECORDERS[base]);
}

/** Which bpftrace recorded each errors-* fixture (test/fixtures/bpftrace/errors.bt; see the README there). */
export const ERROR_RECORDERS = {
  'errors-6.18': { bpftrace: { path: '/usr/bin/bpftrace', version: '0.17.0', syntax: 'legacy' }, kernelRelease: '6.18.44-fc-v1272' },
  'errors-6.18-bt0.23': { bpftrace: { path: '/var/cache/rcuwalk/bpftrace-trixie/bpftrace', version: '0.23.2', syntax: 'modern' }, kernelRelease: '6.18.44-fc-v1272' },
  'errors-6.18-bt0.27': { bpftrace: { path: '/var/cache/rcuwalk/bpftrace-sid/bpftrace', version: '0.27.1', syntax: 'modern' }, kernelRelease: '6.18.44-fc-v1272' },
} satisfies Record<string, Recorder>;
export type ErrorsFixture = keyof typeof ERROR_RECORDERS;

/** errors.bt: @pr_calls[cpu] stands in for pid_revalidate calls (it counts execs); nothing else is measured. */
export function errorsMeta(base: ErrorsFixture): CaptureMeta {
  const u = (t: Target) => src(t, 'unavailable');
  return {
    ...fixtureMeta({
      prCalls: src('pid_revalidate', 'direct'), prRcuCalls: u('pid_revalidate'), prEchild: u('pid_revalidate'),
      unlazyNextCalls: u('unlazy_next'), unlazyNextFails: u('unlazy_next'), unlazyCalls: u('unlazy'), unlazyFails: u('unlazy'),
      lockrefCalls: u('lockref'), lockrefWaits: u('lockref'), lockrefNs: u('lockref'), lockrefMaxNs: u('lockref'),
      spinWaits: u('spin'), spinNs: u('spin'),
    }, ERROR_RECORDERS[base]),
    settings: { workload: 'ps', command: 'TZ=/etc/localtime ps -fe', parallel: 1, ballast: 0, durationMs: 2000, intervalMs: 500 },
  };
}

/** the per-CPU stand-in fixture: every CPU_MAPS metric measured ('direct'; lockrefCalls 'callsite'), no contention. */
export function standinMeta(): CaptureMeta {
  return fixtureMeta({
    prCalls: src('pid_revalidate', 'direct'), prRcuCalls: src('pid_revalidate', 'direct'), prEchild: src('pid_revalidate', 'direct'),
    unlazyNextCalls: src('unlazy_next', 'direct'), unlazyNextFails: src('unlazy_next', 'direct'),
    unlazyCalls: src('unlazy', 'direct'), unlazyFails: src('unlazy', 'direct'),
    lockrefCalls: src('lockref', 'callsite'), lockrefNs: src('lockref', 'direct'), lockrefMaxNs: src('lockref', 'direct'),
    lockrefWaits: src('lockref', 'unavailable'), spinWaits: src('spin', 'unavailable'), spinNs: src('spin', 'unavailable'),
  });
}

/** The events the engine would dispatch for a fixture, ending with 'end' (reason duration). */
export function fixtureEvents(base: string, meta: CaptureMeta): CaptureEvent[] {
  const lines = fixtureLines(base);
  const samples = fixtureSamples(base);
  const byLine = new Map(samples.map((s) => [s.afterLine, s]));
  const ev: CaptureEvent[] = [{ type: 'meta', meta }, { type: 'phase', phase: 'attaching' }];
  let prevRuns: number[] = [];
  lines.forEach((line, i) => {
    const rec = parseLine(line);
    if (!rec) return;
    const s = byLine.get(i + 1);
    if (rec.kind === 'attached') {
      ev.push({ type: 'attached', atMs: s!.atMs, probes: rec.probes, cpuTimes: parseProcStat(s!.procStat) }, { type: 'phase', phase: 'running' });
      prevRuns = s!.runsPerWorker;
      return;
    }
    if (rec.kind === 'printf' && rec.text.startsWith(TICK_PREFIX)) {
      const cum = s!.runsPerWorker;
      ev.push({ type: 'tick', atMs: s!.atMs, cpuTimes: parseProcStat(s!.procStat), runsPerWorker: cum.map((v, w) => v - (prevRuns[w] ?? 0)) });
      prevRuns = cum;
      return;
    }
    ev.push({ type: 'bpf', record: rec });
  });
  const last = samples[samples.length - 1]!;
  ev.push({ type: 'end', atMs: last.atMs + 5, endedAt: '2026-11-25T15:35:07.000Z', reason: 'duration', error: null });
  return ev;
}
