// CaptureStates from REAL recorded bpftrace output (test/fixtures/bpftrace, 6.18, bpftrace 0.17) replayed through
// the real parser and reducer, with the recorded /proc/stat samples and workload run counts. The meta is the
// one the engine would build for that recording (host facts of the recording machine: 2 CPUs, one node).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES_DIR } from '../../helpers/fixtures.js';
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

/**
 * A `cpus`-CPU state from the REAL per-CPU records of a recording, widened: CPU k gets the records of recorded
 * CPU k % 2 (the recording machine had 2), `intervals` long (the recorded intervals repeat), through the reducer.
 */
export function widenedFixtureState(name: FixtureName, cpus: number, intervals: number, numaNodes = 1): CaptureState {
  const ev = fixtureEvents(name);
  const meta = (ev[0] as Extract<CaptureEvent, { type: 'meta' }>).meta;
  const all = Array.from({ length: cpus }, (_, i) => i);
  const per = Math.ceil(cpus / numaNodes);
  const wideMeta: CaptureMeta = {
    ...meta,
    host: { ...meta.host, cpuCount: cpus, onlineCpus: all, numaNodes: Array.from({ length: numaNodes }, (_, n) => ({ node: n, cpus: all.slice(n * per, (n + 1) * per) })) },
    settings: { ...meta.settings, parallel: cpus, durationMs: intervals * 1000 },
  };
  const widenKey = (key: string, c: number): string | null => {
    const parts = key.split(',');
    const last = parts[parts.length - 1]!;
    if (!/^\d+$/.test(last.trim())) return c === 0 ? key : null; // keyless / call-site maps: once
    if (Number(last) !== c % 2) return null;
    parts[parts.length - 1] = String(c);
    return parts.join(',');
  };
  const blocks: CaptureEvent[][] = [];
  let cur: CaptureEvent[] = [];
  for (const e of ev) {
    if (e.type === 'tick') { blocks.push(cur); cur = []; continue; }
    if (e.type !== 'bpf') continue;
    const r = e.record;
    if (r.kind === 'map') {
      const entries = [];
      for (let c = 0; c < cpus; c++) for (const x of r.entries) { const k = widenKey(x.key, c); if (k !== null) entries.push({ ...x, key: k }); }
      cur.push({ type: 'bpf', record: { ...r, entries } });
    } else if (r.kind === 'hist') {
      const entries = [];
      for (let c = 0; c < cpus; c++) for (const x of r.entries) { const k = widenKey(x.key, c); if (k !== null) entries.push({ ...x, key: k }); }
      cur.push({ type: 'bpf', record: { ...r, entries } });
    }
  }
  const ct = (k: number) => all.map((cpu) => ({ cpu, user: 40 * k + (cpu % 3) * k, nice: 0, system: 55 * k, idle: 5 * k + (cpu % 7) * k, iowait: 0, irq: 0, softirq: 0, steal: 0 }));
  let s = initialState();
  s = reduce(s, { type: 'meta', meta: wideMeta });
  s = reduce(s, { type: 'attached', atMs: 0, probes: 10, cpuTimes: ct(0) });
  s = reduce(s, { type: 'phase', phase: 'running' });
  for (let i = 0; i < intervals; i++) {
    for (const e of blocks[i % blocks.length]!) s = reduce(s, e);
    s = reduce(s, { type: 'tick', atMs: (i + 1) * 1000, cpuTimes: ct(i + 1), runsPerWorker: Array.from({ length: cpus }, (_, w) => 1 + ((w + i) % 3)) });
  }
  return s;
}
