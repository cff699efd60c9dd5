// Shared bench helpers: run the CLI, read a process's CPU time and memory from /proc, statistics, a markdown table.
// Benches print side-by-side ratios measured in one run (conditions interleaved), never pass/fail timings.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../cli/paths.js';

export const BIN = join(PACKAGE_ROOT, 'dist', 'cli', 'bin.js');
export const QUICK = process.env.BENCH_QUICK === '1';
export const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return NaN;
  return n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}
export function min(xs: number[]): number { return Math.min(...xs); }
export function max(xs: number[]): number { return Math.max(...xs); }

/** Least-squares slope of y over x. */
export function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0; let den = 0;
  for (let i = 0; i < n; i++) { num += (xs[i]! - mx) * (ys[i]! - my); den += (xs[i]! - mx) ** 2; }
  return den === 0 ? 0 : num / den;
}

export interface ProcSample { tMs: number; cpuSec: number; rssKb: number; hwmKb: number }

/** utime+stime of the process itself (children excluded), VmRSS and VmHWM; null once it is gone. */
export function procSample(pid: number, t0: number): ProcSample | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields after the comm: index 0 = state (field 3), utime = field 14, stime = field 15
    const cpuSec = (Number(f[11]) + Number(f[12])) / CLK_TCK;
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
    return { tMs: performance.now() - t0, cpuSec, rssKb: kb('VmRSS'), hwmKb: kb('VmHWM') };
  } catch {
    return null;
  }
}

/** Samples a child every stepMs until it exits; resolves with the samples and its exit code. */
export function sampleUntilExit(child: ChildProcess, stepMs: number, onSample?: (s: ProcSample) => void): Promise<{ samples: ProcSample[]; code: number | null }> {
  const t0 = performance.now();
  const samples: ProcSample[] = [];
  const timer = setInterval(() => {
    const s = procSample(child.pid!, t0);
    if (s) { samples.push(s); onSample?.(s); }
  }, stepMs);
  return new Promise((resolve) => {
    child.on('exit', (code) => { clearInterval(timer); resolve({ samples, code }); });
  });
}

export interface CliChild { child: ChildProcess; stderr: () => string; stdout: () => string; exited: Promise<number | null> }

export function spawnCli(args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; bin?: string } = {}): CliChild {
  // run as a user does (the bin's shebang sets node's flags), not as `node bin.js`
  const child = spawn(opts.bin ?? BIN, args, { stdio: ['ignore', 'pipe', 'pipe'], env: opts.env ?? process.env, cwd: opts.cwd });
  let err = ''; let out = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => { err += d; });
  child.stdout!.setEncoding('utf8').on('data', (d: string) => { out += d; });
  const exited = new Promise<number | null>((r) => child.on('close', (c) => r(c)));
  return { child, stderr: () => err, stdout: () => out, exited };
}

export function machine(): string {
  const c = cpus();
  let kernel = '';
  try { kernel = readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim(); } catch { /* */ }
  const bt = spawnSync('bpftrace', ['--version'], { encoding: 'utf8' }).stdout?.trim() ?? 'bpftrace ?';
  return `Linux ${kernel}, ${c.length} x ${c[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} GB, node ${process.version}, ${bt}`;
}

export interface Row { area: string; measure: string; value: string; goal: string; verdict: string }

export function table(rows: Row[]): string {
  const head = '| area | measure | value | goal | |\n|---|---|---|---|---|';
  return [head, ...rows.map((r) => `| ${r.area} | ${r.measure} | ${r.value} | ${r.goal} | ${r.verdict} |`)].join('\n');
}

export const pct = (x: number, d = 1) => `${(x * 100).toFixed(d)}%`;
export const verdict = (ok: boolean | null) => (ok === null ? '' : ok ? 'met' : 'NOT met');

/** Who else is using the CPUs right now: other engineers' captures and tests skew every runs/s figure. */
export function loadAverage(): string {
  try { return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '); } catch { return '?'; }
}

/** CPU seconds (utime+stime+cutime+cstime: with the children it reaped) summed over the live members of a process group. */
export function groupCpuSec(pgid: number): number {
  let sum = 0;
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(f[2]) !== pgid) continue;
      sum += (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / CLK_TCK;
    } catch { /* gone */ }
  }
  return sum;
}

/** utime+stime of one process (children excluded); 0 when gone. */
export function pidCpuSec(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / CLK_TCK;
  } catch { return 0; }
}

/** Processes whose environment holds NAME=value, with their pgrp and command line. */
export function envTagged(name: string, value: string): { pid: number; pgrp: number; comm: string; cmdline: string }[] {
  const out: { pid: number; pgrp: number; comm: string; cmdline: string }[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (!(readFileSync(`/proc/${d}/environ`, 'latin1') + '\0').includes(`${name}=${value}\0`)) continue;
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.push({ pid: Number(d), pgrp: Number(f[2]), comm: readFileSync(`/proc/${d}/comm`, 'utf8').trim(), cmdline: readFileSync(`/proc/${d}/cmdline`, 'utf8').replace(/\0/g, ' ') });
    } catch { /* gone */ }
  }
  return out;
}
