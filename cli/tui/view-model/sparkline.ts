// Sparkline strings and the per-interval series they draw (runs/s, ECHILD/s, spin ms/s). Pure.
import type { Interval } from '../../schema/types.generated.js';
import { metric, type MetricDef } from '../../metrics/catalogue.js';
import { intervalSample } from '../../metrics/capture-values.js';

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

/** Each series' catalogue metric. */
export const SERIES_METRIC: Record<keyof Series, MetricDef> = {
  runsPerSec: metric('runs_per_s'), echildPerSec: metric('echild_per_s'), spinMsPerSec: metric('spin_ms_per_s'), sysPct: metric('sys_pct'),
};

export function intervalSeries(intervals: readonly Interval[]): Series {
  const out: Series = { runsPerSec: [], echildPerSec: [], spinMsPerSec: [], sysPct: [] };
  for (const iv of intervals) {
    const s = intervalSample(iv);
    for (const k of Object.keys(out) as (keyof Series)[]) out[k].push(SERIES_METRIC[k].value!(s));
  }
  return out;
}

/** Averages `values` into at most `width` buckets (oldest first), so a sparkline spans the whole run. */
export function downsample(values: readonly (number | null)[], width: number): (number | null)[] {
  if (width <= 0) return [];
  if (values.length <= width) return values.slice();
  const out: (number | null)[] = [];
  for (let b = 0; b < width; b++) {
    const lo = Math.floor((b * values.length) / width), hi = Math.floor(((b + 1) * values.length) / width);
    let s = 0, n = 0;
    for (let i = lo; i < hi; i++) { const v = values[i]; if (v !== null && v !== undefined) { s += v; n++; } }
    out.push(n === 0 ? null : s / n);
  }
  return out;
}

/**
 * Series over the state's interval window (the latest intervals: CaptureState.intervals), kept in step with it as
 * intervals close and the oldest leave: a frame sums only the intervals that are new since the last one (at 128
 * CPUs a window is 32k rows). series.x[i] belongs to intervals[i].
 */
export class SeriesCache {
  private source: readonly Interval[] = [];
  private series: Series = { runsPerSec: [], echildPerSec: [], spinMsPerSec: [], sysPct: [] };

  get(intervals: readonly Interval[]): Series {
    if (intervals === this.source) return this.series;
    const prev = this.source;
    // where the new window starts in the old one; the overlap must be the same interval objects at both ends
    const k = intervals.length > 0 && prev.length > 0 ? intervals[0]!.seq - prev[0]!.seq : -1;
    const overlap = prev.length - k;
    const reuse = k >= 0 && k < prev.length && overlap <= intervals.length
      && prev[k] === intervals[0] && prev[prev.length - 1] === intervals[overlap - 1];
    this.source = intervals;
    if (!reuse) {
      this.series = intervalSeries(intervals);
      return this.series;
    }
    const more = intervalSeries(intervals.slice(overlap));
    const s = this.series;
    this.series = {
      runsPerSec: s.runsPerSec.slice(k).concat(more.runsPerSec),
      echildPerSec: s.echildPerSec.slice(k).concat(more.echildPerSec),
      spinMsPerSec: s.spinMsPerSec.slice(k).concat(more.spinMsPerSec),
      sysPct: s.sysPct.slice(k).concat(more.sysPct),
    };
    return this.series;
  }
}
