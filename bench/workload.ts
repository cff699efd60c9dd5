// Overhead and harness fidelity: ps runs/s of the workload, side by side, conditions interleaved in one run.
//   overhead: no tracing | raw bpftrace (a hand-written -e script with the same contention maps) | rcuwalk capture
//   BENCH_LOCKREF_STRATEGY=auto|direct|callsite (where kprobes work: bench/vm-overhead.sh runs it in the qemu guest)
//   measures that strategy instead; raw bpftrace is then the very script rcuwalk renders (`rcuwalk probes --print`),
//   run by bpftrace alone: the same probes, so rcuwalk minus raw is the harness's cost (node, journal, workers)
//   fidelity: rcuwalk's workers module (cli/system/workload-process.ts) | a plain shell loop of the same command
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { cpus } from 'node:os';
import { startWorkers } from '../cli/system/workload-process.js';
import type { Capture } from '../cli/schema/types.generated.js';
import { BIN, QUICK, envTagged, groupCpuSec, max, median, min, pct, pidCpuSec, sleep, spawnCli, verdict, type Row } from './lib.js';

export const N = Number(process.env.BENCH_PARALLEL ?? cpus().length);
const D_S = Number(process.env.BENCH_SECONDS ?? (QUICK ? 3 : 8));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (QUICK ? 1 : 9));
const STRATEGY = process.env.BENCH_LOCKREF_STRATEGY ?? 'contention';

/** The raw condition's script and its ready marker: the hand-written one for contention, else rcuwalk's own. */
let rendered: { script: string; ready: string } | null = null;
function rawScript(): { script: string; ready: string } {
  if (STRATEGY === 'contention') return { script: RAW_SCRIPT, ready: '"ready' };
  if (rendered) return rendered;
  const r = spawnSync(BIN, ['probes', '--print', '--lockref-strategy', STRATEGY], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`rcuwalk probes --print exited ${r.status}: ${r.stderr.trim()}`);
  return (rendered = { script: r.stdout, ready: '"rcuwalk-ready' });
}

/** Independent of rcuwalk: the same contention maps, printed and cleared each second, as a user would type it
 * (the stack walked once per wait, as in probes/lockref-contention.bt, so both do the same work in the kernel). */
export const RAW_SCRIPT = `BEGIN { printf("ready\\n"); }
tracepoint:lock:contention_begin /(args->flags & 0x21) == 0x1/ { @ts[tid] = nsecs; }
tracepoint:lock:contention_end /@ts[tid]/ { $ns = nsecs - @ts[tid]; delete(@ts[tid]); $k = kstack(6);
  @n[$k, cpu] = count(); @ns[$k, cpu] = sum($ns); @max[$k, cpu] = max($ns); @h[$k, cpu] = hist($ns); }
interval:ms:1000 { print(@n); clear(@n); print(@ns); clear(@ns); print(@max); clear(@max); print(@h); clear(@h); printf("tick\\n"); }
END { clear(@n); clear(@ns); clear(@max); clear(@h); clear(@ts); }`;

/**
 * One measurement: ps runs/s (depends on the CPU share this bench gets on a shared machine) and CPU ms per run
 * (does not: it is the CPU the workload's processes used, with the ps runs they reaped, per completed run; and the
 * tracer's CPU, bpftrace plus rcuwalk's node process, per run).
 */
export interface Measure { rate: number; workMsPerRun: number; tracerMsPerRun: number }

/** rcuwalk's own workers module over D seconds (after 1 s of warm-up); `tracers` are pids whose CPU counts as tracing. */
async function workersMeasure(seconds: number, tracers: number[] = []): Promise<Measure> {
  const w = startWorkers({ kind: 'ps', parallel: N });
  await sleep(1000);
  w.takeRuns();
  const c0 = groupCpuSec(w.pid); const tr0 = tracers.reduce((a, p) => a + pidCpuSec(p), 0);
  const t0 = performance.now();
  await sleep(seconds * 1000);
  const runs = w.takeRuns().reduce((a, b) => a + b, 0);
  const c1 = groupCpuSec(w.pid); const tr1 = tracers.reduce((a, p) => a + pidCpuSec(p), 0);
  const dt = (performance.now() - t0) / 1000;
  await w.stop();
  return { rate: runs / dt, workMsPerRun: ((c1 - c0) * 1000) / runs, tracerMsPerRun: ((tr1 - tr0) * 1000) / runs };
}
async function workersRate(seconds: number): Promise<number> { return (await workersMeasure(seconds)).rate; }

/** runs/s of N plain shell loops `while :; do TZ=/etc/localtime ps -fe >/dev/null; done`, counted in the loop. */
async function shellLoopRate(seconds: number): Promise<number> {
  const script = `for i in $(seq ${N}); do ( n=0; trap 'echo $n; exit 0' TERM; while :; do TZ=/etc/localtime ps -fe >/dev/null; n=$((n+1)); done ) & done; wait`;
  const child = spawn('bash', ['-c', script], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => { out += d; });
  const t0 = performance.now();
  await sleep(seconds * 1000);
  const dt = (performance.now() - t0) / 1000;
  process.kill(-child.pid!, 'SIGTERM');
  await new Promise((r) => child.on('close', r));
  const runs = out.trim().split(/\s+/).map(Number).reduce((a, b) => a + b, 0);
  return runs / dt;
}

/** the workers module while the raw bpftrace script is attached. */
async function rawBpftraceMeasure(seconds: number): Promise<Measure> {
  const raw = rawScript();
  const bt = spawn('bpftrace', ['-f', 'json', '-e', raw.script], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  bt.stderr!.setEncoding('utf8').on('data', (d: string) => { err += d; });
  const lines = createInterface({ input: bt.stdout! });
  const ready = await new Promise<boolean>((resolve) => {
    lines.on('line', (l) => { if (l.includes(raw.ready)) resolve(true); });
    bt.on('exit', () => resolve(false));
  });
  if (!ready) throw new Error(`raw bpftrace did not start: ${err.trim()}`);
  try {
    return await workersMeasure(seconds, [bt.pid!]);
  } finally {
    try { process.kill(-bt.pid!, 'SIGINT'); } catch { /* gone */ }
    await new Promise((r) => bt.on('close', r));
  }
}

/**
 * rcuwalk capture itself (the same workers module, the same count). CPU is sampled when the first and the last
 * interval lines appear; runs between them are the capture's intervals 2..N.
 */
async function rcuwalkMeasure(seconds: number): Promise<Measure> {
  const tag = `bench-${process.pid}-${Math.random().toString(36).slice(2)}`;
  const c = spawnCli(['capture', '--workload', 'ps', '--parallel', String(N), '--duration', `${seconds + 1}s`, '--interval', '1s', '--lockref-strategy', STRATEGY, '--json'], { env: { ...process.env, RCUWALK_BENCH_TAG: tag } });
  const samples: { line: number; t: number; work: number; tracer: number }[] = [];
  let seen = 0;
  c.child.stderr!.on('data', () => {
    const n = (c.stderr().match(/\] runs\/s/g) ?? []).length;
    if (n === seen) return;
    seen = n;
    const procs = envTagged('RCUWALK_BENCH_TAG', tag);
    const workers = procs.find((p) => p.pid === p.pgrp && p.cmdline.includes('rcuwalk-workers'));
    const tracers = procs.filter((p) => p.comm === 'node' || (p.comm === 'bpftrace' && p.cmdline.includes(' -f json -e ')));
    if (!workers) return;
    samples.push({ line: n, t: performance.now(), work: groupCpuSec(workers.pgrp), tracer: tracers.reduce((a, p) => a + pidCpuSec(p.pid), 0) });
  });
  const code = await c.exited;
  if (code !== 0) throw new Error(`rcuwalk capture exited ${code}: ${c.stderr().trim().split('\n').slice(-3).join(' | ')}`);
  const cap = JSON.parse(c.stdout()) as Capture;
  const a = samples[0]; const z = samples[samples.length - 1];
  if (!a || !z || z.line <= a.line) throw new Error('rcuwalk capture: too few interval lines to measure');
  const runs = cap.intervals.slice(a.line, z.line).reduce((x, iv) => x + (iv.runs ?? 0), 0);
  return { rate: runs / ((z.t - a.t) / 1000), workMsPerRun: ((z.work - a.work) * 1000) / runs, tracerMsPerRun: ((z.tracer - a.tracer) * 1000) / runs };
}

type Cond<T> = { name: string; run: (s: number) => Promise<T> };

async function interleaved<T>(conds: Cond<T>[], log: (l: string) => void): Promise<Map<string, T[]>> {
  const res = new Map<string, T[]>(conds.map((c) => [c.name, []]));
  for (let r = 0; r < ROUNDS; r++) {
    // rotate the order each round so no condition always runs first (or right after a heavy one)
    const order = conds.map((_, i) => conds[(i + r) % conds.length]!);
    for (const c of order) {
      const v = await c.run(D_S);
      res.get(c.name)!.push(v);
      log(`  round ${r + 1}/${ROUNDS} ${c.name}: ${typeof v === 'number' ? `${v.toFixed(1)} runs/s` : JSON.stringify(v)}`);
    }
  }
  return res;
}

const fmt = (xs: number[]) => `${median(xs).toFixed(1)} (${min(xs).toFixed(1)}..${max(xs).toFixed(1)})`;

export async function benchOverhead(log: (l: string) => void): Promise<Row[]> {
  log(`overhead: ${N} x ps, ${D_S} s per condition, ${ROUNDS} interleaved rounds`);
  const m = await interleaved<Measure>([
    { name: 'none', run: (sec) => workersMeasure(sec) },
    { name: 'raw bpftrace', run: rawBpftraceMeasure },
    { name: 'rcuwalk', run: rcuwalkMeasure },
  ], log);
  const get = (k: string, f: (x: Measure) => number) => m.get(k)!.map(f);
  // paired per round (the conditions of a round ran back to back): slow drifts of the machine's load cancel out
  const none = get('none', (x) => x.rate); const raw = get('raw bpftrace', (x) => x.rate); const rw = get('rcuwalk', (x) => x.rate);
  const rawRatio = raw.map((v, i) => v / none[i]!); const rwRatio = rw.map((v, i) => v / none[i]!);
  const ovRaw = 1 - median(rawRatio); const ovRw = 1 - median(rwRatio);
  const gap = median(rw.map((v, i) => (raw[i]! - v) / none[i]!));
  const spread = (xs: number[]) => `${pct(1 - max(xs))}..${pct(1 - min(xs))}`;
  // CPU per run: the workload's own CPU per ps run (in-kernel probe cost lands here) plus the tracer's CPU per run
  const work0 = get('none', (x) => x.workMsPerRun);
  const cost = (k: string) => get(k, (x) => x.workMsPerRun + x.tracerMsPerRun).map((v, i) => v / work0[i]! - 1);
  const cpuRaw = median(cost('raw bpftrace')); const cpuRw = median(cost('rcuwalk'));
  const ms = (k: string, f: (x: Measure) => number) => median(get(k, f)).toFixed(2);
  const a = `overhead (${N} x ps, ${ROUNDS}x${D_S}s interleaved${STRATEGY === 'contention' ? '' : `, lockref ${STRATEGY}, raw = rcuwalk's script run by bpftrace`})`;
  return [
    { area: a, measure: 'ps runs/s, no tracing: median (min..max)', value: fmt(none), goal: '', verdict: '' },
    { area: a, measure: `ps runs/s, raw bpftrace -e (${STRATEGY === 'contention' ? 'same contention maps' : 'the same script'})`, value: fmt(raw), goal: '', verdict: '' },
    { area: a, measure: `ps runs/s, rcuwalk capture (${STRATEGY})`, value: fmt(rw), goal: '', verdict: '' },
    { area: a, measure: 'runs/s overhead of raw bpftrace (the floor): median of per-round 1 - raw/none (range)', value: `${pct(ovRaw)} (${spread(rawRatio)})`, goal: '', verdict: '' },
    { area: a, measure: 'runs/s overhead of rcuwalk: median of per-round 1 - rcuwalk/none (range)', value: `${pct(ovRw)} (${spread(rwRatio)})`, goal: '< 5%', verdict: verdict(ovRw < 0.05) },
    { area: a, measure: 'runs/s: rcuwalk minus raw bpftrace, median of per-round (raw - rcuwalk)/none', value: `${(gap * 100).toFixed(1)} points`, goal: '<= 1 point', verdict: verdict(gap <= 0.01) },
    { area: a, measure: 'CPU ms per ps run, workload processes: none / raw / rcuwalk (medians)', value: `${ms('none', (x) => x.workMsPerRun)} / ${ms('raw bpftrace', (x) => x.workMsPerRun)} / ${ms('rcuwalk', (x) => x.workMsPerRun)}`, goal: '', verdict: '' },
    { area: a, measure: 'CPU ms per ps run, tracer (bpftrace; + rcuwalk node): raw / rcuwalk (medians)', value: `${ms('raw bpftrace', (x) => x.tracerMsPerRun)} / ${ms('rcuwalk', (x) => x.tracerMsPerRun)}`, goal: '', verdict: '' },
    { area: a, measure: 'CPU overhead per run (workload + tracer vs none, paired): raw bpftrace / rcuwalk', value: `${pct(cpuRaw)} / ${pct(cpuRw)}`, goal: 'rcuwalk < 5%, within 1 point of raw', verdict: verdict(cpuRw < 0.05 && cpuRw - cpuRaw <= 0.01) },
  ];
}

export async function benchFidelity(log: (l: string) => void): Promise<Row[]> {
  log(`fidelity: ${N} x ps, ${D_S} s per condition, ${ROUNDS} interleaved rounds`);
  const r = await interleaved([
    { name: 'workers module', run: workersRate },
    { name: 'shell loop', run: shellLoopRate },
  ], log);
  const shell = r.get('shell loop')!;
  const ratios = r.get('workers module')!.map((v, i) => v / shell[i]!);
  const ratio = median(ratios);
  const a = `harness fidelity (${N} x ps, ${ROUNDS}x${D_S}s interleaved)`;
  return [
    { area: a, measure: 'ps runs/s, plain shell loop x N', value: fmt(r.get('shell loop')!), goal: '', verdict: '' },
    { area: a, measure: 'ps runs/s, rcuwalk workers module', value: fmt(r.get('workers module')!), goal: '', verdict: '' },
    { area: a, measure: 'workers / shell loop: median of per-round ratios (range)', value: `${pct(ratio)} (${pct(min(ratios))}..${pct(max(ratios))})`, goal: '>= 97%', verdict: verdict(ratio >= 0.97) },
  ];
}
