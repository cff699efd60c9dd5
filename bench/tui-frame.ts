// Frame time and memory of the live UI: each case (bench/tui-cases.ts) in its own node process started with the
// bin's node flags (its shebang), the UI drawn as `rcuwalk run` draws it (bench/tui-frame-case.ts), beside ink's
// floor for a plain screen of the same size. With `--reference DIR` (another checkout, built, with this bench) each
// case runs there too, the two alternated case by case (order swapped every case): before and after in one run.
// CPU time (user+sys of the process, per frame) is the number to compare; wall time moves with whatever else runs.
// VmHWM is the process's peak RSS over the run (start-up, warm-up and the frames); heap, the live heap after them.
// Usage: node dist/bench/tui-frame.js [frames=200] [--reference DIR] [--rounds R=1] [--only ID,ID]
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PACKAGE_ROOT } from '../cli/paths.js';
import { FLOORS, H, UI_CASES, W } from './tui-cases.js';

const args = process.argv.slice(2);
const opt = (name: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const refDir = opt('--reference') ? resolve(opt('--reference')!) : null;
const rounds = Number(opt('--rounds') ?? 1);
const only = opt('--only')?.split(',') ?? null;
const N = Number(args.find((a, i) => /^\d+$/.test(a) && !['--reference', '--rounds', '--only'].includes(args[i - 1] ?? '')) ?? 200);

interface Result { cpuMs: number; wallMs: number; kb: number; hwmMb: number; rssMb: number; heapMb: number; written: number }

/** The environment and node flags of a checkout's bin (`#!/usr/bin/env -S VAR=x node --flag`). */
function shebangOf(root: string): { env: Record<string, string>; flags: string[] } {
  const line = readFileSync(join(root, 'dist', 'cli', 'bin.js'), 'utf8').split('\n', 1)[0]!;
  const words = line.replace(/^#!\S*env\s+(-S\s+)?/, '').split(/\s+/).filter(Boolean);
  const at = words.findIndex((w) => !/^[A-Z_]+=/.test(w));
  return { env: Object.fromEntries(words.slice(0, at).map((w) => w.split('=', 2) as [string, string])), flags: words.slice(at + 1) };
}

function runCase(root: string, id: string): Result {
  const { env, flags } = shebangOf(root);
  // --expose-gc only for the live heap measured after the frames
  const r = spawnSync(process.execPath, [...flags, '--expose-gc', join(root, 'dist', 'bench', 'tui-frame-case.js'), id, String(N)], { env: { ...process.env, ...env }, encoding: 'utf8' });
  const line = r.stdout.split('\n').reverse().find((l) => l.startsWith('{'));
  if (r.status !== 0 || !line) throw new Error(`${root}: case ${id} failed (exit ${r.status}): ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  return JSON.parse(line) as Result;
}

const fmt = (r: Result) => `${r.cpuMs.toFixed(2).padStart(6)} cpu-ms ${r.wallMs.toFixed(2).padStart(6)} wall-ms ${r.kb.toFixed(1).padStart(4)} KB  VmHWM ${r.hwmMb.toFixed(0).padStart(3)} MB  live heap ${r.heapMb.toFixed(1).padStart(5)} MB${r.written < N ? `  (${r.written}/${N} frames written)` : ''}`;
const { flags } = shebangOf(PACKAGE_ROOT);
process.stdout.write(`TUI frame, ${N} frames per case, ${W}x${H}, node ${process.version} ${flags.join(' ')}; ${refDir ? `this checkout vs ${refDir}` : 'this checkout'}\n`);
const cases = [...FLOORS, ...UI_CASES].filter((c) => !only || only.includes(c.id));
const floorMs: Record<string, number[]> = { this: [], ref: [] };
for (let round = 0; round < rounds; round++) {
  for (const [k, c] of cases.entries()) {
    const order = refDir && (k + round) % 2 === 1 ? ['ref', 'this'] : ['this', 'ref'];
    const res: Record<string, Result> = {};
    for (const side of order) if (side === 'this' || refDir) res[side] = runCase(side === 'this' ? PACKAGE_ROOT : refDir!, c.id);
    for (const side of ['this', 'ref']) if (c.id === 'floor-110' && res[side]) floorMs[side]!.push(res[side].cpuMs);
    const vsFloor = (side: string) => { const f = floorMs[side]!.at(-1); return f && !c.id.startsWith('floor') ? `  x${(res[side]!.cpuMs / f).toFixed(2)} floor` : ''; };
    process.stdout.write(`${c.label.padEnd(40)} ${fmt(res.this!)}${vsFloor('this')}\n`);
    if (res.ref) process.stdout.write(`${'  reference'.padEnd(40)} ${fmt(res.ref)}${vsFloor('ref')}  this/ref x${(res.this!.cpuMs / res.ref.cpuMs).toFixed(2)}\n`);
  }
}
