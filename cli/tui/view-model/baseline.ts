// Deltas against a baseline capture: same metric, same CPU; totals when the CPU counts differ. Pure.
import type { Capture } from '../../schema/types.generated.js';
import { COLUMN_METRIC, metricValues, type MetricKey, type MetricValues } from './rates.js';
import { metric, runsPerSecond, type Direction } from '../../metrics/catalogue.js';
import { tone as toneOf } from '../../metrics/verdict.js';

/** Which way is better for a column: the catalogue metric's direction. */
function direction(key: MetricKey | 'runs'): Direction {
  return key === 'runs' ? metric('runs_per_s').direction : COLUMN_METRIC[key].direction;
}

export type Tone = 'worse' | 'better' | 'neutral' | 'none';
export interface Delta { text: string; tone: Tone }

export interface BaselineModel {
  label: string;
  /** per-CPU run-average values, or null when the CPU counts differ */
  perCpu: Map<number, MetricValues> | null;
  /** why per-CPU deltas don't apply, or null */
  perCpuNote: string | null;
  all: MetricValues;
  runsPerSec: number | null;
  sysPct: number | null;
}

export function baselineModel(b: Capture, currentCpuCount: number | null, label = 'baseline'): BaselineModel {
  const secs = b.run.elapsedMs / 1000;
  const same = currentCpuCount === null || currentCpuCount === b.host.cpuCount;
  return {
    label,
    perCpu: same ? new Map(b.totals.cpus.map((r) => [r.cpu, metricValues(r, secs)])) : null,
    perCpuNote: same ? null : `baseline has ${b.host.cpuCount} CPUs, this host ${currentCpuCount}: per-CPU deltas don't apply, totals compared`,
    all: metricValues(b.totals.all, secs, b.host.cpuCount),
    runsPerSec: b.totals.runsPerSec ?? runsPerSecond(b.totals.runs, secs),
    sysPct: b.totals.all.sysPct,
  };
}

/** current vs base as a short relative change: +12%, -97%, 3.4x, new, =. Empty when either is unknown. */
export function delta(key: MetricKey | 'runs', cur: number | null, base: number | null | undefined): Delta {
  if (cur === null || base === null || base === undefined) return { text: '', tone: 'none' };
  let text: string;
  let change: number; // sign of the change
  if (base === 0) {
    if (cur === 0) return { text: '=', tone: 'neutral' };
    text = 'new'; change = 1;
  } else {
    const r = cur / base;
    change = r - 1;
    if (Math.abs(change) < 0.005) return { text: '=', tone: 'neutral' };
    text = r >= 2 ? `${r < 9.95 ? r.toFixed(1) : Math.round(r)}x` : `${change > 0 ? '+' : ''}${Math.round(change * 100)}%`;
    if (text === '+0%' || text === '-0%' || text === '0%') return { text: '=', tone: 'neutral' };
  }
  return { text, tone: toneOf(direction(key), change) };
}

/** a ratio like ×1.23 for the header (runs/s, %sys). */
export function ratio(cur: number | null, base: number | null): string {
  if (cur === null || base === null || !(base > 0)) return '-';
  return `x${(cur / base).toFixed(2)}`;
}

/** One line comparing a finished capture's totals with the baseline (the plain, non-TTY output). */
export function totalsVsBaselineLine(c: Capture, b: BaselineModel): string {
  const secs = c.run.elapsedMs / 1000;
  const cur = metricValues(c.totals.all, secs, c.host.cpuCount);
  const runs = c.totals.runsPerSec ?? null;
  const parts = [`vs ${b.label}:`, `runs/s ${ratio(runs, b.runsPerSec)}`, `%sys ${ratio(c.totals.all.sysPct, b.sysPct)}`];
  for (const [k, label] of [['echild', 'echild/s'], ['unlazyFail', 'unlazy fails/s'], ['spinMs', 'lockref ms/s'], ['ctxSpinMs', 'spin ms/s']] as const) {
    const d = delta(k, cur[k], b.all[k]);
    if (d.text) parts.push(`${label} ${d.text}`);
  }
  if (b.perCpuNote) parts.push(`(${b.perCpuNote})`);
  return parts.join('  ');
}
