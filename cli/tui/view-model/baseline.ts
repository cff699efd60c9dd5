// Deltas against a baseline capture: same metric, same CPU; totals when the CPU counts differ. The change is
// compare's (cli/compare/change.ts), read through the metric's direction. Pure.
import type { Capture } from '../../schema/types.generated.js';
import { metricValues, type MetricValues } from './column-metrics.js';
import { METRICS, metric, type MetricDef } from '../../metrics/catalogue.js';
import { tone as toneOf } from '../../metrics/verdict.js';
import { runSecs } from '../../metrics/capture-values.js';
import { percentChange } from '../../compare/change.js';

export type Tone = 'worse' | 'better' | 'neutral' | 'none';
export interface Delta { text: string; tone: Tone }

export interface BaselineModel {
  label: string;
  /** per-CPU run-average values by metric name, or null when the CPU counts differ */
  perCpu: Map<number, MetricValues> | null;
  /** why per-CPU deltas don't apply, or null */
  perCpuNote: string | null;
  all: MetricValues;
  runsPerSec: number | null;
  sysPct: number | null;
}

const PER_CPU = METRICS.filter((m) => m.perCpu && m.value);
const ALL = METRICS.filter((m) => m.value && !m.usesRuns);

export function baselineModel(b: Capture, currentCpuCount: number | null, label = 'baseline'): BaselineModel {
  const secs = runSecs(b);
  const same = currentCpuCount === null || currentCpuCount === b.host.cpuCount;
  return {
    label,
    perCpu: same ? new Map(b.totals.cpus.map((r) => [r.cpu, metricValues(PER_CPU, r, secs)])) : null,
    perCpuNote: same ? null : `baseline has ${b.host.cpuCount} CPUs, this host ${currentCpuCount}: per-CPU deltas don't apply, totals compared`,
    all: metricValues(ALL, b.totals.all, secs, b.host.cpuCount),
    runsPerSec: b.totals.runsPerSec ?? metric('runs_per_s').value!({ agg: b.totals.all, secs, runs: b.totals.runs, cpus: b.host.cpuCount }),
    sysPct: b.totals.all.sysPct,
  };
}

/** current vs base as a short relative change: +12%, -97%, 3.4x, new, =; coloured by `m`'s direction. Empty when either is unknown. */
export function delta(m: MetricDef, cur: number | null, base: number | null | undefined): Delta {
  if (cur === null || base === null || base === undefined) return { text: '', tone: 'none' };
  const change = percentChange(base, cur);
  if (change === null) return { text: 'new', tone: toneOf(m.direction, cur) };
  const text = change >= 100 ? `${change < 895 ? (1 + change / 100).toFixed(1) : Math.round(1 + change / 100)}x` : `${change > 0 ? '+' : ''}${Math.round(change)}%`;
  if (Math.abs(change) < 0.5 || text === '+0%' || text === '-0%' || text === '0%') return { text: '=', tone: 'neutral' };
  return { text, tone: toneOf(m.direction, change) };
}

/** a ratio like x1.23 for the header (runs/s, %sys). */
export function ratio(cur: number | null, base: number | null): string {
  if (cur === null || base === null || !(base > 0)) return '-';
  return `x${(1 + percentChange(base, cur)! / 100).toFixed(2)}`;
}

/** One line comparing a finished capture's totals with the baseline (the plain, non-TTY output). */
export function totalsVsBaselineLine(c: Capture, b: BaselineModel): string {
  const cur = metricValues(ALL, c.totals.all, runSecs(c), c.host.cpuCount);
  const runs = c.totals.runsPerSec ?? null;
  const parts = [`vs ${b.label}:`, `runs/s ${ratio(runs, b.runsPerSec)}`, `%sys ${ratio(c.totals.all.sysPct, b.sysPct)}`];
  for (const [id, label] of [['echild_per_s', 'echild/s'], ['unlazy_fails_per_s', 'unlazy fails/s'], ['spin_ms_per_s', 'lockref ms/s'], ['spinlock_ms_per_s', 'spin ms/s']] as const) {
    const d = delta(metric(id), cur[id] ?? null, b.all[id]);
    if (d.text) parts.push(`${label} ${d.text}`);
  }
  if (b.perCpuNote) parts.push(`(${b.perCpuNote})`);
  return parts.join('  ');
}
