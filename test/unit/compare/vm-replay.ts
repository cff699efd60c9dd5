// Captures built from the REAL qemu recordings in test/fixtures/vm/<release>/ (Debian 5.10 before the
// pid_revalidate RCU fix, 6.1 after), replayed through the data path as the engine would: the bpftrace
// NDJSON through parseLine, /proc/stat snapshots at each tick, reduceAll, toCapture. Per-interval ps runs
// were not recorded (workload.txt only has totals), so runs are null and per-run metrics unavailable.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseLine } from '../../../cli/bpftrace/ndjson-parse.js';
import { toCapture } from '../../../cli/capture/to-capture.js';
import { FIXTURES_DIR } from '../../helpers/fixtures.js';
import { TICK_PREFIX } from '../../../cli/script-protocol/markers.js';
import type { Capture, MetricSource, Strategy, Target } from '../../../cli/schema/types.generated.js';
import type { CaptureEvent } from '../../../cli/state/events.js';
import { parseProcStat } from '../../../cli/state/proc-stat.js';
import { reduceAll } from '../../../cli/state/reducer.js';

export const VM_FIXTURES = join(FIXTURES_DIR, 'vm');

export function vmFixtureExists(release: string): boolean {
  return existsSync(join(VM_FIXTURES, release, 'bpftrace-kprobes.ndjson')) && existsSync(join(VM_FIXTURES, release, 'proc-stat.ndjson'));
}

const src = (target: Target, strategy: Strategy): MetricSource => ({ target, strategy, reason: strategy === 'unavailable' ? 'not in the recorded script' : null });

export function vmCapture(release: string): Capture {
  const dir = join(VM_FIXTURES, release);
  const lines = readFileSync(join(dir, 'bpftrace-kprobes.ndjson'), 'utf8').split('\n');
  const stats = readFileSync(join(dir, 'proc-stat.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { tick: number | null; uptime: number; stat: string[] });
  const workload = Object.fromEntries(readFileSync(join(dir, 'workload.txt'), 'utf8').split(/\s+/).filter((w) => w.includes('=')).map((w) => w.split('=') as [string, string]));
  const before = stats.find((s) => s.tick === null)!;
  const byTick = new Map(stats.filter((s) => s.tick !== null).map((s) => [s.tick!, s]));
  const sources: Record<string, MetricSource> = {
    prCalls: src('pid_revalidate', 'direct'), prRcuCalls: src('pid_revalidate', 'direct'), prEchild: src('pid_revalidate', 'direct'),
    unlazyNextCalls: src('unlazy_next', 'direct'), unlazyNextFails: src('unlazy_next', 'direct'),
    unlazyCalls: src('unlazy', 'direct'), unlazyFails: src('unlazy', 'direct'),
    lockrefCalls: src('lockref', 'callsite'), lockrefNs: src('lockref', 'callsite'), lockrefMaxNs: src('lockref', 'callsite'),
    lockrefWaits: src('lockref', 'unavailable'), spinWaits: src('spin', 'unavailable'), spinNs: src('spin', 'unavailable'),
  };
  const ev: CaptureEvent[] = [{
    type: 'meta', meta: {
      tool: { name: 'rcuwalk', version: '0.1.0' },
      host: { hostname: 'qemu-guest', kernelRelease: release, kernelVersion: 'recorded', arch: 'x86_64', cpuCount: 2, onlineCpus: [0, 1], numaNodes: [{ node: 0, cpus: [0, 1] }] },
      bpftrace: { path: '/usr/bin/bpftrace', version: '0.17.0', syntax: 'legacy' },
      settings: { workload: 'ps', command: 'TZ=/etc/localtime ps -fe', parallel: Number(workload.loops ?? 2), ballast: Number(workload.ballast ?? 0), durationMs: 10_000, intervalMs: 1000 },
      resolution: [], metricSources: sources, startedAt: '2026-11-25T15:40:00.000Z',
    },
  }, { type: 'phase', phase: 'attaching' }];
  let lastMs = before.uptime * 1000;
  for (const line of lines) {
    const rec = parseLine(line);
    if (!rec) continue;
    if (rec.kind === 'attached') {
      ev.push({ type: 'attached', atMs: lastMs, probes: rec.probes, cpuTimes: parseProcStat(before.stat.join('\n')) }, { type: 'phase', phase: 'running' });
    } else if (rec.kind === 'printf' && rec.text.startsWith(TICK_PREFIX)) {
      const s = byTick.get(Number(rec.text.slice(TICK_PREFIX.length).trim()));
      if (!s) continue;
      lastMs = s.uptime * 1000;
      ev.push({ type: 'tick', atMs: lastMs, cpuTimes: parseProcStat(s.stat.join('\n')), runsPerWorker: null });
    } else {
      ev.push({ type: 'bpf', record: rec });
    }
  }
  ev.push({ type: 'end', atMs: lastMs + 1, endedAt: '2026-11-25T15:40:30.000Z', reason: 'duration', error: null });
  return toCapture(reduceAll(ev));
}
