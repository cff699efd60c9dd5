// The plain progress output used without a TTY: one line per closed interval, e.g.
//   [ 3/30s] runs/s 41.0 sys 63.2% echild/s 1.2k lockref spin 12.3ms/s
// Unmeasured metrics print '-'. Pure.
import type { Interval, RunTotals } from '../schema/types.generated.js';
import { formatPct, formatRate, pad, si } from './numbers.js';
import { formatValue, metric } from '../metrics/catalogue.js';
import { intervalRows, runsPerSec, totalsRows } from './rows.js';

export interface PlainLineOptions {
  /** the planned duration, for the [elapsed/total] prefix */
  durationMs: number;
  /** events lost so far (shown when > 0) */
  lostEvents?: number;
  /** PREEMPT_RT capture (rtWaits): the lockref time is worded wait, not spin */
  rt?: boolean;
}

const echild = (v: number | null | undefined): string => (v === null || v === undefined ? '-' : si(Math.round(v)));
const spin = (v: number | null | undefined): string => formatValue(metric('spin_ms_per_s'), v);

/** "lockref spin" when the lockref time is spin time (contention), "lockref wait" on PREEMPT_RT, else "lockref time". */
function lockrefLabel(iv: Interval, rt: boolean): string {
  const r = iv.cpus[0];
  return r && r.lockrefWaits !== null ? (rt ? 'lockref wait' : 'lockref spin') : 'lockref time';
}

export function plainIntervalLine(iv: Interval, opts: PlainLineOptions): string {
  const total = Math.round(opts.durationMs / 1000);
  const done = Math.round(iv.endMs / 1000);
  const all = intervalRows(iv).at(-1)!.values;
  const parts = [
    `[${pad(String(done), String(total).length)}/${total}s]`,
    `runs/s ${formatRate(runsPerSec(iv))}`,
    `sys ${formatPct(all.sys_pct)}`,
    `echild/s ${echild(all.echild_per_s)}`,
    `${lockrefLabel(iv, opts.rt === true)} ${spin(all.spin_ms_per_s)}`,
  ];
  if (opts.lostEvents) parts.push(`lost ${si(opts.lostEvents)}`);
  return parts.join(' ');
}

/** The closing summary line over the run totals. */
export function plainTotalsLine(t: RunTotals, elapsedMs: number, lostEvents = 0, rt = false): string {
  const all = totalsRows(t, elapsedMs).at(-1)!.values;
  const parts = [
    `total ${(elapsedMs / 1000).toFixed(1)}s:`,
    `runs ${t.runs === null ? '-' : si(t.runs)} (${formatRate(t.runsPerSec)}/s)`,
    `sys ${formatPct(all.sys_pct)}`,
    `echild/s ${echild(all.echild_per_s)}`,
    `lockref ${spin(all.spin_ms_per_s)}`,
    `${rt ? 'lock waits' : 'spin'} ${formatValue(metric('spinlock_ms_per_s'), all.spinlock_ms_per_s)}`,
  ];
  if (lostEvents) parts.push(`lost ${si(lostEvents)}`);
  return parts.join(' ');
}
