// Sparkline strings and the per-interval series they draw (runs/s, ECHILD/s, spin ms/s). Pure.
import type { Interval } from '../../schema/types.generated.js';

const BLOCKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/** The last `width` values as blocks scaled to [0, max]; null -> ' '. */
export function sparkline(values: readonly (number | null)[], width: number): string {
  if (width <= 0) return '';
  const xs = values.slice(-width);
  let max = 0;
  for (const x of xs) if (x !== null && Number.isFinite(x)) max = Math.max(max, x);
  return xs.map((x) => {
    if (x === null || !Number.isFinite(x)) return ' ';
    if (max <= 0) return BLOCKS[0]!;
    return BLOCKS[Math.min(7, Math.max(0, Math.round((x / max) * 7)))]!;
  }).join('');
}

export interface Series { runsPerSec: (number | null)[]; echildPerSec: (number | null)[]; spinMsPerSec: (number | null)[]; sysPct: (number | null)[] }

function sumField(iv: Interval, f: 'prEchild' | 'lockrefNs'): number | null {
  let any = false, s = 0;
  for (const c of iv.cpus) { const v = c[f]; if (v !== null) { any = true; s += v; } }
  return any ? s : null;
}

function meanSys(iv: Interval): number | null {
  const xs = iv.cpus.map((c) => c.sysPct).filter((x): x is number => x !== null);
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
}

export function intervalSeries(intervals: readonly Interval[]): Series {
  const out: Series = { runsPerSec: [], echildPerSec: [], spinMsPerSec: [], sysPct: [] };
  for (const iv of intervals) {
    const s = (iv.endMs - iv.startMs) / 1000;
    const ok = s > 0;
    out.runsPerSec.push(iv.runs === null || !ok ? null : iv.runs / s);
    const e = sumField(iv, 'prEchild');
    out.echildPerSec.push(e === null || !ok ? null : e / s);
    const ns = sumField(iv, 'lockrefNs');
    out.spinMsPerSec.push(ns === null || !ok ? null : ns / 1e6 / s);
    out.sysPct.push(meanSys(iv));
  }
  return out;
}
