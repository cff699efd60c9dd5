// Overhead and harness fidelity: ps runs/s of the workload, side by side, conditions interleaved in one run.
//   overhead: no tracing | raw bpftrace (a hand-written -e script with the same contention maps) | rcuwalk capture
//   fidelity: rcuwalk's workers module (cli/system/workload-process.ts) | a plain shell loop of the same command
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { cpus } from 'node:os';
import { startWorkers } from '../cli/system/workload-process.js';
import type { Capture } from '../cli/schema/types.generated.js';
import { QUICK, max, median, min, pct, sleep, spawnCli, verdict, type Row } from './lib.js';

export const N = Number(process.env.BENCH_PARALLEL ?? cpus().length);
const D_S = Number(process.env.BENCH_SECONDS ?? (QUICK ? 3 : 8));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (QUICK ? 1 : 9));

/** Independent of rcuwalk: the same contention maps, printed and cleared each second, as a user would type it. */
export const RAW_SCRIPT = `BEGIN { printf("ready\\n"); }
tracepoint:lock:contention_begin /(args->flags & 0x21) == 0x1/ { @ts[tid] = nsecs; }
tracepoint:lock:contention_end /@ts[tid]/ { $ns = nsecs - @ts[tid]; delete(@ts[tid]);
  @n[kstack(6), cpu] = count(); @ns[kstack(6), cpu] = sum($ns); @max[kstack(6), cpu] = max($ns); @h[kstack(6), cpu] = hist($ns); }
interval:ms:1000 { print(@n); clear(@n); print(@ns); clear(@ns); print(@max); clear(@max); print(@h); clear(@h); printf("tick\\n"); }
END { clear(@n); clear(@ns); clear(@max); clear(@h); clear(@ts); }`;

/** runs/s of rcuwalk's own workers module (no tracing) over D seconds. */
async function workersRate(seconds: number): Promise<number> {
  const w = startWorkers({ kind: 'ps', parallel: N });
  const t0 = performance.now();
  w.takeRuns();
  await sleep(seconds * 1000);
  const runs = w.takeRuns().reduce((a, b) => a + b, 0);
  const dt = (performance.now() - t0) / 1000;
  await w.stop();
  return runs / dt;
}

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

/** runs/s of the workers module while the raw bpftrace script is attached. */
async function rawBpftraceRate(seconds: number): Promise<number> {
  const bt = spawn('bpftrace', ['-f', 'json', '-e', RAW_SCRIPT], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  bt.stderr!.setEncoding('utf8').on('data', (d: string) => { err += d; });
  const lines = createInterface({ input: bt.stdout! });
  const ready = await new Promise<boolean>((resolve) => {
    lines.on('line', (l) => { if (l.includes('"ready')) resolve(true); });
    bt.on('exit', () => resolve(false));
  });
  if (!ready) throw new Error(`raw bpftrace did not start: ${err.trim()}`);
  try {
    return await workersRate(seconds);
  } finally {
    try { process.kill(-bt.pid!, 'SIGINT'); } catch { /* gone */ }
    await new Promise((r) => bt.on('close', r));
  }
}

/** runs/s as measured by rcuwalk capture itself (totals.runsPerSec: the same workers module, the same count). */
async function rcuwalkRate(seconds: number): Promise<number> {
  const c = spawnCli(['capture', '--workload', 'ps', '--parallel', String(N), '--duration', `${seconds}s`, '--interval', '1s', '--lockref-strategy', 'contention', '--json']);
  const code = await c.exited;
  if (code !== 0) throw new Error(`rcuwalk capture exited ${code}: ${c.stderr().trim().split('\n').slice(-3).join(' | ')}`);
  const cap = JSON.parse(c.stdout()) as Capture;
  return cap.totals.runsPerSec ?? NaN;
}

type Cond = { name: string; run: (s: number) => Promise<number> };

async function interleaved(conds: Cond[], log: (l: string) => void): Promise<Map<string, number[]>> {
  const res = new Map<string, number[]>(conds.map((c) => [c.name, []]));
  for (let r = 0; r < ROUNDS; r++) {
    // rotate the order each round so no condition always runs first (or right after a heavy one)
    const order = conds.map((_, i) => conds[(i + r) % conds.length]!);
    for (const c of order) {
      const v = await c.run(D_S);
      res.get(c.name)!.push(v);
      log(`  round ${r + 1}/${ROUNDS} ${c.name}: ${v.toFixed(1)} runs/s`);
    }
  }
  return res;
}

const fmt = (xs: number[]) => `${median(xs).toFixed(1)} (${min(xs).toFixed(1)}..${max(xs).toFixed(1)})`;

export async function benchOverhead(log: (l: string) => void): Promise<Row[]> {
  log(`overhead: ${N} x ps, ${D_S} s per condition, ${ROUNDS} interleaved rounds`);
  const r = await interleaved([
    { name: 'none', run: workersRate },
    { name: 'raw bpftrace', run: rawBpftraceRate },
    { name: 'rcuwalk', run: rcuwalkRate },
  ], log);
  // paired per round (the conditions of a round ran back to back): slow drifts of the machine's load cancel out
  const none = r.get('none')!; const raw = r.get('raw bpftrace')!; const rw = r.get('rcuwalk')!;
  const rawRatio = raw.map((v, i) => v / none[i]!); const rwRatio = rw.map((v, i) => v / none[i]!);
  const ovRaw = 1 - median(rawRatio); const ovRw = 1 - median(rwRatio);
  const gap = median(rw.map((v, i) => (raw[i]! - v) / none[i]!));
  const spread = (xs: number[]) => `${pct(1 - max(xs))}..${pct(1 - min(xs))}`;
  const a = `overhead (${N} x ps, ${ROUNDS}x${D_S}s interleaved)`;
  return [
    { area: a, measure: 'ps runs/s, no tracing: median (min..max)', value: fmt(r.get('none')!), goal: '', verdict: '' },
    { area: a, measure: 'ps runs/s, raw bpftrace -e (same contention maps)', value: fmt(r.get('raw bpftrace')!), goal: '', verdict: '' },
    { area: a, measure: 'ps runs/s, rcuwalk capture (contention)', value: fmt(r.get('rcuwalk')!), goal: '', verdict: '' },
    { area: a, measure: 'overhead of raw bpftrace (the floor): median of per-round 1 - raw/none (range)', value: `${pct(ovRaw)} (${spread(rawRatio)})`, goal: '', verdict: '' },
    { area: a, measure: 'overhead of rcuwalk: median of per-round 1 - rcuwalk/none (range)', value: `${pct(ovRw)} (${spread(rwRatio)})`, goal: '< 5%', verdict: verdict(ovRw < 0.05) },
    { area: a, measure: 'rcuwalk minus raw bpftrace: median of per-round (raw - rcuwalk)/none', value: `${(gap * 100).toFixed(1)} points`, goal: '<= 1 point', verdict: verdict(gap <= 0.01) },
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
