// Without a TTY, `rcuwalk run` prints one plain line per closed interval (display-only; no colours, no cursor).
import type { Interval } from '../schema/types.generated.js';
import { sumMetrics, metricValues } from './view-model/rates.js';
import { fmtCompact, fmtPct } from './view-model/format.js';

/** e.g. `t=3.0s runs/s=121 %sys=48.6 prv/s=- echild/s=- ech%=- ufail/s=- lockref/s=12 spin_ms/s=0.31 maxspin_us=4.2` */
export function plainIntervalLine(iv: Interval): string {
  const secs = (iv.endMs - iv.startMs) / 1000;
  const all = sumMetrics(iv.cpus);
  const v = metricValues(all, secs, Math.max(1, iv.cpus.length));
  const runs = iv.runs === null || !(secs > 0) ? '-' : fmtCompact(iv.runs / secs);
  return [
    `t=${(iv.endMs / 1000).toFixed(1)}s`,
    `runs/s=${runs}`,
    `%sys=${fmtPct(v.sys)}`,
    `prv/s=${fmtCompact(v.pr)}`,
    `echild/s=${fmtCompact(v.echild)}`,
    `ech%=${fmtPct(v.echildShare)}`,
    `ufail/s=${fmtCompact(v.unlazyFail)}`,
    `lockref/s=${fmtCompact(v.lockref)}`,
    `spin_ms/s=${v.spinMs === null ? '-' : v.spinMs.toFixed(2)}`,
    `maxspin_us=${v.maxSpin === null ? '-' : (v.maxSpin / 1e3).toFixed(1)}`,
  ].join(' ');
}
