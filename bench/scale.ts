// Scale: reducer and writers on synthesized captures of growing CPUs x intervals (each size in its own process).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../cli/paths.js';
import { QUICK, type Row } from './lib.js';

export interface ScaleResult {
  cpus: number; intervals: number; reduceMs: number; journalMs: number; writeMs: number; loadMs: number;
  compareMs: number; csvMs: number; bytes: number; csvBytes: number; rssReduceMb: number; rssWriteMb: number; rssCompareMb: number; rssCsvMb: number;
}

export function scaleOnce(cpus: number, intervals: number): ScaleResult {
  const r = spawnSync(process.execPath, ['--max-old-space-size=8192', join(PACKAGE_ROOT, 'dist', 'bench', 'scale-worker.js'), String(cpus), String(intervals)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`scale-worker ${cpus} ${intervals} exited ${r.status}: ${r.stderr.trim().split('\n').slice(-5).join(' | ')}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as ScaleResult;
}

export function benchScale(log: (l: string) => void): Row[] {
  const sizes: [number, number][] = QUICK ? [[16, 300], [32, 600]] : [[32, 900], [64, 1800], [128, 3600]];
  const rows: Row[] = [];
  let prev: ScaleResult | null = null;
  for (const [c, i] of sizes) {
    log(`scale: ${c} CPUs x ${i} intervals`);
    const r = scaleOnce(c, i);
    const a = `scale: ${c} CPUs x ${i} x 1 s (${(c * i / 1000).toFixed(0)}k CPU-intervals)`;
    const s = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
    rows.push(
      { area: a, measure: 'reduce (all records through cli/state/reducer.ts) / journal appends (write + fdatasync per interval)', value: `${s(r.reduceMs)} (${(r.reduceMs / i).toFixed(1)} ms per interval) / ${s(r.journalMs)}`, goal: '', verdict: '' },
      { area: a, measure: 'capture file size / streamed from the journal, each interval validated / load (parse + schema)', value: `${(r.bytes / 2 ** 20).toFixed(1)} MB / ${s(r.writeMs)} / ${s(r.loadMs)}`, goal: '', verdict: '' },
      { area: a, measure: 'compare (cli/compare, same-size base) / export CSV intervals table', value: `${s(r.compareMs)} / ${s(r.csvMs)} (${(r.csvBytes / 2 ** 20).toFixed(1)} MB)`, goal: '', verdict: '' },
      { area: a, measure: 'peak RSS after reduce + journal / streamed write / load + compare / CSV', value: `${r.rssReduceMb.toFixed(0)} / ${r.rssWriteMb.toFixed(0)} / ${r.rssCompareMb.toFixed(0)} / ${r.rssCsvMb.toFixed(0)} MB`, goal: '', verdict: '' },
    );
    if (prev) {
      const k = (c * i) / (prev.cpus * prev.intervals);
      rows.push({ area: a, measure: `growth vs ${prev.cpus}x${prev.intervals} (size x${k.toFixed(0)})`, value: `reduce x${(r.reduceMs / prev.reduceMs).toFixed(1)}, file x${(r.bytes / prev.bytes).toFixed(1)}, compare x${(r.compareMs / prev.compareMs).toFixed(1)}, CSV x${(r.csvMs / prev.csvMs).toFixed(1)}, RSS x${(r.rssCsvMb / prev.rssCsvMb).toFixed(1)}`, goal: 'linear (x' + k.toFixed(0) + ')', verdict: '' });
    }
    prev = r;
  }
  return rows;
}
