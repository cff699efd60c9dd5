// The plain progress output used without a TTY: one line per closed interval, e.g.
//   [ 3/30s] runs/s 41.0 sys 63.2% echild/s 1.2k lockref spin 12.3ms/s
// Unmeasured metrics print '-'. Pure.
import type { Interval, Totals } from '../schema/types.generated.js';
import { formatNsPerSec, formatPct, formatRate, pad, si } from './numbers.js';
import { intervalRows, runsPerSec, totalsRows } from './rows.js';

export interface PlainLineOptions {
  /** the planned duration, for the [elapsed/total] prefix */
  durationMs: number;
  /** events lost so far (shown when > 0) */
  lostEvents?: number;
}

/** "lockref spin" when the lockref time is spin time (contention), else "lockref time". */
function lockrefLabel(iv: Interval): string {
  const r = iv.cpus[0];
  return r && r.lockrefWaits !== null ? 'lockref spin' : 'lockref time';
}

export function plainIntervalLine(iv: Interval, opts: PlainLineOptions): string {
  const total = Math.round(opts.durationMs / 1000);
  const done = Math.round(iv.endMs / 1000);
  const all = intervalRows(iv).at(-1)!;
  const parts = [
    `[${pad(String(done), String(total).length)}/${total}s]`,
    `runs/s ${formatRate(runsPerSec(iv))}`,
    `sys ${formatPct(all.sysPct)}`,
    `echild/s ${all.echildPerSec === null ? '-' : si(Math.round(all.echildPerSec))}`,
    `${lockrefLabel(iv)} ${formatNsPerSec(all.lockrefNsPerSec)}`,
  ];
  if (opts.lostEvents) parts.push(`lost ${si(opts.lostEvents)}`);
  return parts.join(' ');
}

/** The closing summary line over the run totals. */
export function plainTotalsLine(t: Totals, elapsedMs: number, lostEvents = 0): string {
  const all = totalsRows(t, elapsedMs).at(-1)!;
  const parts = [
    `total ${(elapsedMs / 1000).toFixed(1)}s:`,
    `runs ${t.runs === null ? '-' : si(t.runs)} (${formatRate(t.runsPerSec)}/s)`,
    `sys ${formatPct(all.sysPct)}`,
    `echild/s ${all.echildPerSec === null ? '-' : si(Math.round(all.echildPerSec))}`,
    `lockref ${formatNsPerSec(all.lockrefNsPerSec)}`,
    `spin ${formatNsPerSec(all.spinNsPerSec)}`,
  ];
  if (lostEvents) parts.push(`lost ${si(lostEvents)}`);
  return parts.join(' ');
}
