// compare: candidate captures against base captures, metric by metric (pure: captures in, Comparison out).
//
// Samples: with one capture per side, the metric's per-interval values (mode "intervals"; intervals are not
// independent, so p-values are optimistic under drift: prefer --trials / several captures per side for
// decisions); with several captures on a side, one whole-run value per capture (mode "trials").
// Change: candidate median vs base median in percent; CI: seeded percentile bootstrap of that ratio
// (cli/stats/bootstrap.ts); p: two-sided Mann-Whitney U (cli/stats/mann-whitney.ts); significant: p < alpha.
import type { Capture, Comparison, MetricComparison, SideInfo } from '../schema/types.generated.js';
import { changeCi, DEFAULT_RESAMPLES, DEFAULT_SEED } from '../stats/bootstrap.js';
import { mannWhitneyU, EXACT_MAX_N } from '../stats/mann-whitney.js';
import { summarize } from '../stats/summary.js';
import { lag1Autocorrelation } from '../stats/autocorr.js';
import type { LoadedCapture } from './load.js';
import { METRICS, labelOf, metric, rtWaits, type MetricDef } from '../metrics/catalogue.js';
import { captureCpus, intervalSamples, metricStrategies, runValue } from '../metrics/capture-values.js';
import { unavailableReason } from '../metrics/availability.js';
import { verdict } from '../metrics/verdict.js';
import { percentChange } from './change.js';
import { troubleLine, troubleOfCapture } from '../format/bpftrace-trouble.js';

/** Lag-1 autocorrelation of interval samples above which compare warns. */
export const AUTOCORR_WARN = 0.5;

export interface CompareOptions {
  alpha?: number; perCpu?: boolean; resamples?: number; seed?: number;
  /** the metrics to compare (default: the catalogue) */
  metrics?: readonly MetricDef[];
}

export const METHOD_TEST = `two-sided Mann-Whitney U: exact permutation distribution (conditional on ties) for n1+n2 <= ${EXACT_MAX_N}, else normal approximation with tie and continuity correction`;
export const METHOD_CI = 'percentile bootstrap of the ratio of medians (candidate/base), seeded';

function sideInfo(side: LoadedCapture[]): SideInfo {
  const uniq = <T>(xs: T[]) => [...new Set(xs)];
  return {
    files: side.map((s) => s.file),
    kernelRelease: uniq(side.map((s) => s.capture.host.kernelRelease)),
    hostname: uniq(side.map((s) => s.capture.host.hostname)),
    parallel: uniq(side.map((s) => s.capture.settings.parallel)),
    intervals: side.reduce((a, s) => a + s.capture.intervals.length, 0),
  };
}

/** Smallest two-sided exact p reachable with sizes m, n (no ties): 2 / C(m+n, m). */
function minExactP(m: number, n: number): number {
  let c = 1;
  for (let i = 1; i <= m; i++) c = (c * (n + i)) / i;
  return Math.min(1, 2 / c);
}

function sideUnavailable(side: Capture[], m: MetricDef): string | null {
  for (const c of side) { const why = unavailableReason(c, m); if (why) return why; }
  return null;
}

function samplesOf(side: LoadedCapture[], m: MetricDef, mode: Comparison['mode'], cpu?: number): number[] {
  if (mode === 'intervals' && !m.histogram) return intervalSamples(side[0]!.capture, m, cpu);
  const out: number[] = [];
  for (const s of side) { const v = runValue(s.capture, m, cpu); if (v !== null) out.push(v); }
  return out;
}

export function compareMetric(base: LoadedCapture[], cand: LoadedCapture[], m: MetricDef, mode: Comparison['mode'], opts: Required<Pick<CompareOptions, 'alpha' | 'resamples' | 'seed'>>, cpu?: number): MetricComparison {
  const sb = [...new Set(base.map((s) => metricStrategies(s.capture, m).join(',')))];
  const sc = [...new Set(cand.map((s) => metricStrategies(s.capture, m).join(',')))];
  const strategies = { base: sb.flatMap((s) => (s ? s.split(',') : [])), candidate: sc.flatMap((s) => (s ? s.split(',') : [])) };
  const empty: MetricComparison = {
    metric: m.id, label: labelOf(m, [...base, ...cand].some((s) => rtWaits(s.capture))), unit: m.unit, direction: m.direction, status: 'compared', base: null, candidate: null, strategies,
    changePct: null, ci: null, pValue: null, test: null, significant: false, verdict: '~', note: null,
  };
  const ub = sideUnavailable(base.map((s) => s.capture), m), uc = sideUnavailable(cand.map((s) => s.capture), m);
  const xb = samplesOf(base, m, mode, cpu), xc = samplesOf(cand, m, mode, cpu);
  const summ = (xs: number[]) => { if (xs.length === 0) return null; const s = summarize(xs); return { n: s.n, median: s.median, min: s.min, max: s.max }; };
  if (ub || uc || xb.length === 0 || xc.length === 0) {
    const none = m.histogram ? 'empty lockref histogram' : 'no values (null, or no workload runs)';
    const why = ub ? `base: ${ub}` : uc ? `candidate: ${uc}` : xb.length === 0 ? `base: ${none}` : `candidate: ${none}`;
    return { ...empty, status: 'unavailable', base: summ(xb), candidate: summ(xc), note: why };
  }
  if (sb.length !== 1 || sc.length !== 1 || sb[0] !== sc[0]) {
    return { ...empty, status: 'strategy-differs', base: summ(xb), candidate: summ(xc),
      note: `measured differently: base ${sb.join(' | ') || '-'}; candidate ${sc.join(' | ') || '-'}` };
  }
  const b = summ(xb)!, c = summ(xc)!;
  const changePct = percentChange(b.median, c.median);
  const notes: string[] = [];
  let pValue: number | null = null, test: MetricComparison['test'] = null, ci: MetricComparison['ci'] = null;
  if (xb.length >= 2 && xc.length >= 2) {
    const r = mannWhitneyU(xb, xc);
    pValue = r.p; test = r.method;
    const bc = changeCi(xb, xc, { alpha: opts.alpha, resamples: opts.resamples, seed: opts.seed });
    if (bc) ci = { lowPct: bc.lowPct, highPct: bc.highPct, level: bc.level };
    if (r.method === 'exact' && minExactP(xb.length, xc.length) >= opts.alpha) {
      notes.push(`n=${xb.length}+${xc.length} cannot reach p < ${opts.alpha}: take more samples`);
    }
  } else {
    notes.push(m.histogram ? 'one whole-run histogram per capture: no test (give several captures per side)' : `n=${xb.length}+${xc.length}: no test`);
  }
  if (changePct === null) notes.push('base median is 0: change undefined');
  const significant = pValue !== null && pValue < opts.alpha;
  return { ...empty, base: b, candidate: c, changePct, ci, pValue, test, significant, verdict: verdict(m.direction, changePct, significant), note: notes.length ? notes.join('; ') : null };
}

export function compareCaptures(base: LoadedCapture[], cand: LoadedCapture[], options: CompareOptions = {}): Comparison {
  if (base.length === 0 || cand.length === 0) throw new RangeError('compareCaptures: each side needs a capture');
  const opts = { alpha: options.alpha ?? 0.05, resamples: options.resamples ?? DEFAULT_RESAMPLES, seed: options.seed ?? DEFAULT_SEED };
  const metrics = options.metrics ?? METRICS;
  const mode: Comparison['mode'] = base.length > 1 || cand.length > 1 ? 'trials' : 'intervals';
  const warnings: string[] = [];
  for (const [name, side] of [['base', base], ['candidate', cand]] as const) {
    const info = sideInfo(side);
    if (info.kernelRelease.length > 1) warnings.push(`${name} mixes kernels: ${info.kernelRelease.join(', ')}`);
    for (const s of side) {
      if (!s.capture.run.complete) warnings.push(`${s.file}: incomplete run (${s.capture.run.endReason})`);
      const trouble = troubleLine(troubleOfCapture(s.capture));
      if (trouble) warnings.push(`${s.file}: ${trouble}`);
    }
  }
  if (mode === 'intervals') {
    warnings.push('one capture per side: samples are the intervals of one run, which are not independent; for decisions run several trials per side (rcuwalk ab)');
    for (const [name, side] of [['base', base], ['candidate', cand]] as const) {
      for (const id of ['runs_per_s', 'echild_per_s', 'spin_ms_per_s']) {
        const r1 = lag1Autocorrelation(intervalSamples(side[0]!.capture, metric(id)));
        if (r1 !== null && r1 > AUTOCORR_WARN) warnings.push(`${name} ${id}: consecutive intervals are correlated (lag-1 r=${r1.toFixed(2)}, drift?): its p-value is optimistic`);
      }
    }
  }
  const cmp: Comparison = {
    schemaVersion: 2, kind: 'comparison', mode, alpha: opts.alpha,
    method: { test: METHOD_TEST, ci: METHOD_CI, resamples: opts.resamples, seed: opts.seed },
    base: sideInfo(base), candidate: sideInfo(cand),
    metrics: metrics.map((m) => compareMetric(base, cand, m, mode, opts)),
    gates: [], warnings,
  };
  if (options.perCpu) {
    const bc = new Set(base.flatMap((s) => captureCpus(s.capture)));
    const cpus = [...new Set(cand.flatMap((s) => captureCpus(s.capture)))].filter((c) => bc.has(c)).sort((a, b) => a - b);
    cmp.perCpu = cpus.map((cpu) => ({ cpu, metrics: metrics.filter((m) => m.perCpu).map((m) => compareMetric(base, cand, m, mode, opts, cpu)) }));
  }
  return cmp;
}
