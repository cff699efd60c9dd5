// The header's facts: host, bpftrace, strategy per target, workload, progress, runs/s and %sys. Pure.
import type { MetricSource, Strategy, Target, TargetResolution } from '../../schema/types.generated.js';
import type { CaptureState } from '../../state/state.js';
import { ratio, type BaselineModel } from './baseline.js';
import { fmtDuration, fmtPct } from './format.js';
import { formatRate } from '../../format/numbers.js';
import { troubleLine, troubleOfState } from '../../format/bpftrace-trouble.js';
import { runsPerSecond } from '../../metrics/catalogue.js';
import { coveredSecs, intervalSecs } from '../../metrics/coverage.js';
import { archName } from '../../facts/arch-name.js';

export const TARGETS: readonly Target[] = ['pid_revalidate', 'unlazy_next', 'unlazy', 'lockref', 'spin'];

export interface TargetSummary { target: Target; strategy: Strategy | null; reason: string | null }

export interface HeaderModel {
  title: string;
  phase: string;
  kernel: string;
  bpftrace: string;
  targets: TargetSummary[];
  workload: string;
  elapsedMs: number;
  totalMs: number | null;
  /** 0..1 */
  progress: number;
  runsNow: string;
  runsAll: string;
  sysAll: string;
  runsRatio: string | null;
  sysRatio: string | null;
  /** bpftrace's errors and lost events so far ('bpftrace: 3 errors, 12 events lost'), null when none */
  trouble: string | null;
  endNote: string | null;
}

export function lockrefStrategy(state: CaptureState): Strategy | null {
  return targetSummaries(state.meta?.resolution, state.meta?.metricSources).find((t) => t.target === 'lockref')!.strategy;
}

/** Strategy per target from the resolution, else from the metric sources (captures that only carry those). */
export function targetSummaries(resolution: readonly TargetResolution[] | undefined, sources?: Record<string, MetricSource>): TargetSummary[] {
  return TARGETS.map((t) => {
    const r = resolution?.find((x) => x.target === t);
    if (r) return { target: t, strategy: r.strategy, reason: r.reason };
    const ms = Object.values(sources ?? {}).filter((s) => s.target === t);
    const used = ms.find((s) => s.strategy !== 'unavailable') ?? ms[0];
    return { target: t, strategy: used?.strategy ?? null, reason: used?.reason ?? null };
  });
}

/** Elapsed since attach: the caller's clock when given (smooth), else the last closed interval's end. */
export function elapsedOf(state: CaptureState, clockMs: number | null): number {
  const last = state.intervals[state.intervals.length - 1]?.endMs ?? 0;
  // once ended, the measured time (what the capture's elapsedMs says), not the teardown after it
  if (state.end) return state.intervalCount > 0 || state.attachMs === null ? last : Math.max(0, state.end.atMs - state.attachMs);
  return Math.max(last, clockMs ?? 0);
}

export function runsPerSecNow(state: CaptureState): number | null {
  const l = state.intervals[state.intervals.length - 1];
  return l ? runsPerSecond(l.runs, intervalSecs(l)) : null;
}

export function runsPerSecAll(state: CaptureState): number | null {
  if (state.totals.runsPerSec !== null) return state.totals.runsPerSec;
  return runsPerSecond(state.totals.runs, coveredSecs(state.coverage));
}

export function workloadText(state: CaptureState): string {
  const s = state.meta?.settings;
  if (!s) return '-';
  const ballast = `, ballast ${s.ballast}`;
  if (s.workload === 'none') return `none${ballast}`;
  const what = s.workload === 'ps' ? 'ps -fe' : (s.command ?? 'cmd');
  return `${what} x ${s.parallel} workers${ballast}`;
}

export function headerModel(state: CaptureState, clockMs: number | null, baseline: BaselineModel | null): HeaderModel {
  const meta = state.meta;
  const totalMs = meta?.settings.durationMs ?? null;
  const elapsedMs = elapsedOf(state, clockMs);
  const rNow = runsPerSecNow(state);
  const rAll = runsPerSecAll(state);
  const sys = state.totals.all.sysPct;
  let endNote: string | null = null;
  if (state.end) {
    endNote = state.end.error ? `ended: ${state.end.error}` : `ended (${state.end.reason})`;
  }
  return {
    title: `rcuwalk${meta ? ' ' + meta.tool.version : ''}${meta ? ' @ ' + meta.host.hostname : ''}`,
    phase: state.phase,
    kernel: meta ? `${meta.host.kernelRelease} ${archName(meta.host.arch)}${meta.host.preemptRt?.value ? ' PREEMPT_RT' : ''}, ${meta.host.cpuCount} CPUs` : '…',
    bpftrace: meta ? `${meta.bpftrace.version} (${meta.bpftrace.syntax})` : '…',
    targets: targetSummaries(meta?.resolution, meta?.metricSources),
    workload: workloadText(state),
    elapsedMs,
    totalMs,
    progress: totalMs ? Math.min(1, elapsedMs / totalMs) : 0,
    runsNow: meta?.settings.workload === 'none' ? '-' : formatRate(rNow),
    runsAll: meta?.settings.workload === 'none' ? '-' : formatRate(rAll),
    sysAll: fmtPct(sys),
    runsRatio: baseline ? ratio(rAll, baseline.runsPerSec) : null,
    sysRatio: baseline ? ratio(sys, baseline.sysPct) : null,
    trouble: troubleLine(troubleOfState(state)),
    endNote,
  };
}

/** [#####.....] 12s/30s */
export function progressBar(progress: number, width: number, ascii = false): string {
  const w = Math.max(0, width);
  const full = Math.round(Math.min(1, Math.max(0, progress)) * w);
  return ascii ? '#'.repeat(full) + '.'.repeat(w - full) : '█'.repeat(full) + '░'.repeat(w - full);
}

export function elapsedText(h: HeaderModel): string {
  return `${fmtDuration(h.elapsedMs)}/${h.totalMs === null ? '?' : fmtDuration(h.totalMs)}`;
}
