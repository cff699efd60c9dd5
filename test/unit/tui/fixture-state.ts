// CaptureStates from REAL recorded bpftrace output (test/fixtures/bpftrace, 6.18, bpftrace 0.17) replayed through
// the real parser and reducer, with the recorded /proc/stat samples and workload run counts. The meta is the
// one the engine would build for that recording (host facts of the recording machine: 2 CPUs, one node).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES_DIR } from '../../../cli/paths.js';
import { parseLine } from '../../../cli/bpftrace/ndjson-parse.js';
import { parseProcStat } from '../../../cli/state/proc-stat.js';
import { initialState, reduce } from '../../../cli/state/reducer.js';
import type { CaptureEvent, CaptureMeta } from '../../../cli/state/events.js';
import type { CaptureState } from '../../../cli/state/state.js';
import type { MetricSource } from '../../../cli/schema/types.generated.js';
import { meta as baseMeta } from './states.js';

interface Sample { afterLine: number; kind: 'attached' | 'tick'; atMs: number; procStat: string; runsPerWorker: number[] }

export type FixtureName = 'contention-6.18' | 'percpu-standin-6.18';

function metaFor(name: FixtureName): CaptureMeta {
  const direct = name === 'percpu-standin-6.18';
  const m = baseMeta(2, direct ? 'direct' : 'contention');
  const src = (target: MetricSource['target'], strategy: MetricSource['strategy'], reason: string | null = null): MetricSource => ({ target, strategy, reason });
  const na = 'CONFIG_KPROBES is off and fentry loads fail with EPERM';
  const sources: Record<string, MetricSource> = direct
    ? {
        prCalls: src('pid_revalidate', 'direct'), prRcuCalls: src('pid_revalidate', 'direct'), prEchild: src('pid_revalidate', 'direct'),
        unlazyNextCalls: src('unlazy_next', 'direct'), unlazyNextFails: src('unlazy_next', 'direct'),
        unlazyCalls: src('unlazy', 'direct'), unlazyFails: src('unlazy', 'direct'),
        lockrefCalls: src('lockref', 'direct'), lockrefNs: src('lockref', 'direct'), lockrefMaxNs: src('lockref', 'direct'),
        lockrefWaits: src('lockref', 'unavailable', 'direct strategy counts calls'),
        spinWaits: src('spin', 'unavailable', 'not in this recording'), spinNs: src('spin', 'unavailable', 'not in this recording'),
      }
    : {
        prCalls: src('pid_revalidate', 'unavailable', na), prRcuCalls: src('pid_revalidate', 'unavailable', na), prEchild: src('pid_revalidate', 'unavailable', na),
        unlazyNextCalls: src('unlazy_next', 'unavailable', na), unlazyNextFails: src('unlazy_next', 'unavailable', na),
        unlazyCalls: src('unlazy', 'unavailable', na), unlazyFails: src('unlazy', 'unavailable', na),
        lockrefCalls: src('lockref', 'unavailable', 'contention counts waits, not calls'),
        lockrefWaits: src('lockref', 'contention'), lockrefNs: src('lockref', 'contention'), lockrefMaxNs: src('lockref', 'contention'),
        spinWaits: src('spin', 'contention'), spinNs: src('spin', 'contention'),
      };
  return {
    ...m,
    host: { ...m.host, hostname: 'rec-6.18', kernelRelease: '6.18.0' },
    settings: { ...m.settings, parallel: 4, ballast: 0, durationMs: direct ? 5000 : 6000 },
    metricSources: sources,
  };
}

/** Every event of the recording, in order; `upTo` stops after that many ticks. */
export function fixtureEvents(name: FixtureName, upTo = Infinity): CaptureEvent[] {
  const lines = readFileSync(join(FIXTURES_DIR, 'bpftrace', `${name}.ndjson`), 'utf8').split('\n');
  const samples: Sample[] = readFileSync(join(FIXTURES_DIR, 'bpftrace', `${name}.samples.ndjson`), 'utf8')
    .split('\n').filter(Boolean).map((l) => JSON.parse(l) as Sample);
  const byLine = new Map(samples.map((s) => [s.afterLine, s]));
  const events: CaptureEvent[] = [{ type: 'meta', meta: metaFor(name) }, { type: 'phase', phase: 'attaching' }];
  let prevRuns: number[] | null = null;
  let ticks = 0;
  for (const [i, line] of lines.entries()) {
    const n = i + 1;
    const sample = byLine.get(n);
    if (sample?.kind === 'attached') {
      events.push({ type: 'attached', atMs: sample.atMs, probes: 0, cpuTimes: parseProcStat(sample.procStat) });
      events.push({ type: 'phase', phase: 'running' });
      continue;
    }
    if (sample?.kind === 'tick') {
      if (ticks >= upTo) break;
      const cur = sample.runsPerWorker;
      const delta = cur.map((r, w) => r - (prevRuns?.[w] ?? 0));
      prevRuns = cur;
      events.push({ type: 'tick', atMs: sample.atMs, cpuTimes: parseProcStat(sample.procStat), runsPerWorker: delta });
      ticks++;
      continue;
    }
    const rec = parseLine(line);
    if (rec && rec.kind !== 'attached' && rec.kind !== 'printf') events.push({ type: 'bpf', record: rec });
  }
  return events;
}

export function fixtureState(name: FixtureName, upTo = Infinity): CaptureState {
  let s = initialState();
  for (const e of fixtureEvents(name, upTo)) s = reduce(s, e);
  return s;
}
