// npm run bench: every bench in one run, a markdown table on stdout (progress on stderr).
//   BENCH_QUICK=1  short smoke run (seconds per condition, 1 round, small scale sizes)
//   BENCH_LONG=1   also the 10-minute long run (bench/long-run.ts)
//   BENCH_ONLY=overhead,fidelity,own,scale,long,tui   a subset (tui: bench/tui-frame.ts, the live UI's frame time)
// Needs root and bpftrace for overhead/fidelity/own/long; scale runs anywhere.
import { benchOverhead, benchFidelity } from './workload.js';
import { benchOwnCost } from './own-cost.js';
import { benchScale } from './scale.js';
import { benchLongRun } from './long-run.js';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../cli/paths.js';
import { QUICK, loadAverage, machine, table, type Row } from './lib.js';

const log = (l: string) => process.stderr.write(`bench: ${l}\n`);

async function main(): Promise<void> {
  const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
  const want = (n: string) => (only ? only.includes(n) : n !== 'long' || process.env.BENCH_LONG === '1');
  const root = process.getuid?.() === 0;
  const rows: Row[] = [];
  const started = new Date();
  const load0 = loadAverage();
  const skip = (what: string, why: string) => { log(`${what}: skipped (${why})`); rows.push({ area: what, measure: 'skipped', value: why, goal: '', verdict: '' }); };
  const guard = async (name: string, f: () => Promise<Row[]> | Row[]) => {
    if (!want(name)) return;
    if (name !== 'scale' && !root) return skip(name, 'needs root and bpftrace');
    try { rows.push(...(await f())); } catch (err) { log(`${name} failed: ${(err as Error).message}`); rows.push({ area: name, measure: 'FAILED', value: (err as Error).message.replace(/\|/g, '/'), goal: '', verdict: '' }); }
  };
  await guard('overhead', () => benchOverhead(log));
  await guard('fidelity', () => benchFidelity(log));
  await guard('own', () => benchOwnCost(log));
  await guard('scale', () => benchScale(log));
  await guard('long', () => benchLongRun(log));
  // the TUI owner's frame-time bench (bench/tui-frame.ts), in its own process: its output is its own table
  let tuiFrames = '';
  if (want('tui')) {
    log('tui frames: node dist/bench/tui-frame.js');
    const r = spawnSync(process.execPath, [join(PACKAGE_ROOT, 'dist', 'bench', 'tui-frame.js'), QUICK ? '20' : '200'], { encoding: 'utf8', timeout: 600_000 });
    tuiFrames = r.status === 0 ? r.stdout.trim() : `tui-frame failed (exit ${r.status}): ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`;
  }
  const cmd = `${QUICK ? 'BENCH_QUICK=1 ' : ''}${process.env.BENCH_LONG === '1' ? 'BENCH_LONG=1 ' : ''}${process.env.BENCH_ONLY ? `BENCH_ONLY=${process.env.BENCH_ONLY} ` : ''}npm run bench`;
  process.stdout.write([
    `## rcuwalk bench ${started.toISOString()}`,
    '',
    `Machine: ${machine()}. Load average at start ${load0}, at end ${loadAverage()} (other work on the machine skews runs/s).`,
    `Command: \`${cmd}\``,
    '',
    table(rows),
    '',
    ...(tuiFrames ? ['### Live UI frame time (bench/tui-frame.ts)', '', '```', tuiFrames, '```', ''] : []),
  ].join('\n'));
}

main().catch((err: unknown) => { process.stderr.write(`bench: ${(err as Error).stack ?? String(err)}\n`); process.exitCode = 1; });
