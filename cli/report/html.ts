// The self-contained HTML report: inline CSS, inline SVG (cli/report/svg.ts), a few lines of inline script,
// and a Content-Security-Policy that forbids every network fetch, so it views the same offline.
import type { Capture, Comparison, Sweep } from '../schema/types.generated.js';
import { compareCaptures } from '../compare/compare.js';
import { changeCell, fmtNum, verdictCell } from '../compare/format.js';
import type { LoadedCapture } from '../compare/load.js';
import { METRICS, formatValue, labelOf, metric, rtWaits, type MetricDef } from '../metrics/catalogue.js';
import { intervalSample, runValue } from '../metrics/capture-values.js';
import { unavailableReason } from '../metrics/availability.js';
import { barChart, esc, fmtTick, lineChart, type LineSeries } from './svg.js';
import { troubleOfCapture, troubleWarnings } from '../format/bpftrace-trouble.js';
import { archName } from '../facts/arch-name.js';

export interface ReportInput {
  run: LoadedCapture | null;
  base: LoadedCapture | null;
  sweep: { file: string; sweep: Sweep } | null;
  /** the metrics to show and compare (default: the catalogue) */
  metrics?: readonly MetricDef[];
  /** e.g. 'rcuwalk 0.1.0' */
  generator?: string;
}

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:1100px;color:#222;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
.meta{color:#555}table{border-collapse:collapse;margin:8px 0}td,th{padding:3px 10px;border-bottom:1px solid #eee;text-align:left}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}.regressed{color:#b00}.improved{color:#070}.muted{color:#888}
svg.chart{display:block;margin:10px 0;max-width:100%;height:auto;background:#fff}
svg .title{font-weight:600;font-size:13px}svg .tick{font-size:11px;fill:#555}svg .label{font-size:12px;fill:#333}
svg .grid{stroke:#eee}svg .axis,svg .tickmark{stroke:#888}svg .nodata{fill:#999;font-size:14px}
.warn{color:#8a5300}code{background:#f4f4f4;padding:0 3px}`;


function timeline(c: Capture, metricId: string): LineSeries['points'] {
  const m = metric(metricId);
  return c.intervals.map((iv) => [iv.startMs / 1000, m.value!(intervalSample(iv))] as const);
}

function sideLabel(l: LoadedCapture): string { return `${l.capture.host.kernelRelease} (${l.file.split('/').pop()})`; }

function headerSection(l: LoadedCapture, role: string): string {
  const c = l.capture;
  const s = c.settings;
  return `<p class="meta"><b>${esc(role)}</b>: <code>${esc(l.file)}</code> on ${esc(c.host.hostname)}, Linux ${esc(c.host.kernelRelease)} (${esc(archName(c.host.arch))}${c.host.preemptRt?.value ? ', PREEMPT_RT' : ''}, ${c.host.cpuCount} CPUs),
bpftrace ${esc(c.bpftrace.version)}; workload ${esc(s.workload)}${s.command ? ` <code>${esc(s.command)}</code>` : ''} x ${s.parallel}, ballast ${s.ballast};
${(c.run.elapsedMs / 1000).toFixed(1)} s in ${c.intervals.length} intervals of ${s.intervalMs} ms; started ${esc(c.run.startedAt)}; end: ${esc(c.run.endReason)}${c.run.error ? ` (${esc(c.run.error)})` : ''}</p>${troubleSection(c)}`;
}

/** bpftrace's errors and lost events, with the messages seen most: nothing when none. */
function troubleSection(c: Capture): string {
  const t = troubleOfCapture(c);
  const warnings = troubleWarnings({ ...t, samples: [] });
  if (warnings.length === 0) return '';
  const samples = [...t.samples].sort((a, b) => b.count - a.count).map((x) => `<li>${x.count}x <code>${esc(x.message)}</code></li>`).join('');
  return `<div class="warn bpftrace-trouble">${warnings.map((w) => `<p>${esc(w)}</p>`).join('')}${samples ? `<ul>${samples}</ul>` : ''}</div>`;
}

function resolutionTable(c: Capture): string {
  const rows = c.resolution.map((r) => `<tr><td>${esc(r.target)}</td><td>${esc(r.strategy)}</td><td>${esc(r.probe ?? '-')}</td><td><code>${esc(r.symbol ?? '-')}</code></td><td>${esc(r.reason ?? '')}${r.rejected.length ? `<div class="muted">${r.rejected.map((x) => `not ${esc(x.strategy)}: ${esc(x.reason)}`).join('<br>')}</div>` : ''}</td></tr>`);
  return `<table class="resolution"><tr><th>target</th><th>strategy</th><th>probe</th><th>symbol</th><th>notes</th></tr>${rows.join('')}</table>`;
}

function summaryTable(c: Capture, metrics: readonly MetricDef[]): string {
  const rows = metrics.map((m) => {
    const v = runValue(c, m);
    const why = unavailableReason(c, m);
    const cell = v === null ? `<span class="muted" title="${esc(why ?? 'no value')}">unavailable</span>` : esc(formatValue(m, v));
    return `<tr><td>${esc(labelOf(m, rtWaits(c)))}</td><td class="num">${cell}</td><td class="muted"><code>${esc(m.id)}</code></td></tr>`;
  });
  return `<table class="summary"><tr><th>metric (whole run)</th><th class="num">value</th><th>name</th></tr>${rows.join('')}</table>`;
}

function comparisonTable(cmp: Comparison, metrics: readonly MetricDef[]): string {
  const rows = cmp.metrics.map((m) => {
    const def = metrics.find((x) => x.id === m.metric);
    const value = (v: number | undefined) => (def ? formatValue(def, v) : fmtNum(v));
    const cls = m.verdict === 'improved' || m.verdict === 'regressed' ? m.verdict : '';
    const ci = m.ci ? `[${m.ci.lowPct.toFixed(1)}%, ${m.ci.highPct.toFixed(1)}%]` : '';
    return `<tr><td>${esc(m.label)}</td><td class="num">${esc(value(m.base?.median))}</td><td class="num">${esc(value(m.candidate?.median))}</td><td class="num ${cls}">${esc(changeCell(m))}</td><td class="${cls}">${esc(verdictCell(m))}</td><td class="num">${esc(ci)}</td><td class="num">${m.pValue === null ? '' : esc(m.pValue.toPrecision(2))}</td><td class="muted">${esc(m.note ?? '')}</td></tr>`;
  });
  return `<table class="comparison"><tr><th>metric</th><th class="num">base</th><th class="num">this run</th><th class="num">change</th><th>verdict</th><th class="num">${Math.round((1 - cmp.alpha) * 100)}% CI</th><th class="num">p</th><th></th></tr>${rows.join('')}</table>
<p class="muted">Medians over ${cmp.mode}; ~ = not significant at alpha ${cmp.alpha} (Mann-Whitney U); verdict: improved (green) or regressed (red) by which way is better for the metric; CI: ${esc(cmp.method.ci)}.</p>${cmp.warnings.map((w) => `<p class="warn">${esc(w)}</p>`).join('')}`;
}

function runSections(run: LoadedCapture, base: LoadedCapture | null, metrics: readonly MetricDef[]): string {
  const c = run.capture;
  const out: string[] = [];
  out.push(headerSection(run, 'run'));
  if (base) out.push(headerSection(base, 'baseline'));
  out.push('<h2>Summary</h2>', summaryTable(c, metrics));
  if (base) out.push('<h2>Against the baseline</h2>', comparisonTable(compareCaptures([base], [run], { metrics }), metrics));

  out.push('<h2>Timeline</h2>');
  // PREEMPT_RT: the lockref and context times are waits on sleeping rt locks; the catalogue words them so
  const rt = rtWaits(c) || rtWaits(base?.capture);
  const charts: [string, string, string][] = [['runs_per_s', 'ps runs/s', 'runs/s'], ['echild_per_s', 'pid_revalidate -ECHILD per second', 'ECHILD/s'],
    ['spin_ms_per_s', rt ? labelOf(metric('spin_ms_per_s'), rt) : 'lockref_get_not_dead spin, ms per second (all CPUs)', 'ms/s'],
    ['spinlock_ms_per_s', rt ? labelOf(metric('spinlock_ms_per_s'), rt) : 'all spinlock contention, ms per second (context)', 'ms/s']];
  for (const [id, title, unit] of charts) {
    const series: LineSeries[] = [{ name: sideLabel(run), points: timeline(c, id) }];
    if (base) series.push({ name: `baseline ${sideLabel(base)}`, points: timeline(base.capture, id), dashed: true });
    out.push(lineChart({ id: `timeline-${id}`, title, xLabel: 'time (s)', yLabel: unit }, series));
  }

  out.push('<h2>Per CPU</h2>');
  const cpus = c.totals.cpus.map((r) => r.cpu);
  const perCpu = (cap: Capture, id: string) => cpus.map((cpu) => (cap.totals.cpus.some((x) => x.cpu === cpu) ? runValue(cap, metric(id), cpu) : null));
  const bars = (id: string) => [{ name: sideLabel(run), values: perCpu(c, id) }, ...(base ? [{ name: `baseline ${sideLabel(base)}`, values: perCpu(base.capture, id) }] : [])];
  out.push(barChart({ id: 'cpu-echild', title: 'ECHILD per second, by CPU', xLabel: 'CPU', yLabel: 'ECHILD/s' }, cpus.map(String), bars('echild_per_s')));
  out.push(barChart({ id: 'cpu-spin', title: `${rt ? labelOf(metric('spin_ms_per_s'), rt) : 'lockref spin ms per second'}, by CPU`, xLabel: 'CPU', yLabel: 'ms/s' }, cpus.map(String), bars('spin_ms_per_s')));
  out.push(barChart({ id: 'cpu-sys', title: '%sys by CPU', xLabel: 'CPU', yLabel: '%' }, cpus.map(String), [{ name: sideLabel(run), values: perCpu(c, 'sys_pct') }]));

  out.push(`<h2>lockref ${rt ? 'wait (PREEMPT_RT)' : 'spin'} histogram</h2>`);
  const h = c.histograms.lockrefNs;
  const bucketsOf = (cap: Capture) => new Map(cap.histograms.lockrefNs.all.map((b) => [b.min, b.count]));
  const mins = [...new Set([...h.all.map((b) => b.min), ...(base ? base.capture.histograms.lockrefNs.all.map((b) => b.min) : [])])].sort((a, b) => a - b);
  const label = (min: number) => fmtTick(min);
  const share = (cap: Capture) => { const m = bucketsOf(cap); const tot = [...m.values()].reduce((a, b) => a + b, 0); return mins.map((x) => (tot ? (100 * (m.get(x) ?? 0)) / tot : null)); };
  out.push(barChart({ id: 'spin-histogram', title: `time in lockref_get_not_dead (${h.strategy}), share of calls per log2 bucket`, xLabel: 'ns (bucket lower edge)', yLabel: '% of calls' }, mins.map(label),
    [{ name: sideLabel(run), values: share(c) }, ...(base ? [{ name: `baseline ${sideLabel(base)}`, values: share(base.capture) }] : [])]));

  out.push('<h2>How each target was measured</h2>', resolutionTable(c));
  return out.join('\n');
}

function sweepSection(s: { file: string; sweep: Sweep }): string {
  const sw = s.sweep;
  const pts = (id: string) => sw.points.map((p) => [p.parallel, p.metrics[id]?.median ?? null] as const);
  const out: string[] = [
    '<h2>Scaling sweep</h2>',
    `<p class="meta">sweep <code>${esc(s.file)}</code>: ${esc(sw.host.hostname)}, Linux ${esc(sw.host.kernelRelease)}, ${sw.host.cpuCount} CPUs; ${sw.settings.trials} trial(s) of ${(sw.settings.durationMs / 1000).toFixed(0)} s per point; medians over trials.</p>`,
  ];
  const ranges = (id: string) => sw.points.flatMap((p) => { const m = p.metrics[id]; return m && m.n > 1 ? [[p.parallel, m.min, m.max] as const] : []; });
  const charts: [string, string, string][] = [['runs_per_s', 'ps runs/s vs parallel workers', 'runs/s'], ['echild_per_s', 'ECHILD/s vs parallel workers', 'ECHILD/s'],
    ['spin_ms_per_s', 'lockref spin ms/s vs parallel workers', 'ms/s'], ['spinlock_ms_per_s', 'all spinlock contention ms/s (context) vs parallel workers', 'ms/s']];
  for (const [id, title, unit] of charts) {
    out.push(lineChart({ id: `sweep-${id}`, title: `${title}${sw.settings.trials > 1 ? ' (median, min..max over trials)' : ''}`, xLabel: 'parallel', yLabel: unit, xLog2: true }, [{ name: id, points: pts(id), markers: true, ranges: ranges(id) }]));
  }
  const rows = sw.points.map((p) => `<tr><td class="num">${p.parallel}</td>${['runs_per_s', 'echild_per_s', 'echild_per_run', 'spin_ms_per_s', 'sys_pct'].map((id) => `<td class="num">${esc(formatValue(metric(id), p.metrics[id]?.median ?? null))}</td>`).join('')}<td>${p.captures.length}</td></tr>`);
  out.push(`<table class="sweep"><tr><th class="num">parallel</th><th class="num">runs/s</th><th class="num">ECHILD/s</th><th class="num">ECHILD/run</th><th class="num">spin ms/s</th><th class="num">%sys</th><th>trials</th></tr>${rows.join('')}</table>`);
  return out.join('\n');
}

export function buildReport(input: ReportInput): string {
  const title = input.run ? `rcuwalk report: ${input.run.capture.host.kernelRelease} on ${input.run.capture.host.hostname}` : `rcuwalk sweep report: ${input.sweep?.sweep.host.kernelRelease ?? ''}`;
  const body: string[] = [`<h1>${esc(title)}</h1>`, `<p class="muted">Path lookups falling out of RCU-walk: pid_revalidate -ECHILD, unlazy failures, lockref_get_not_dead spin. Generated by ${esc(input.generator ?? 'rcuwalk')}.</p>`];
  if (input.run) body.push(runSections(input.run, input.base, input.metrics ?? METRICS));
  if (input.sweep) body.push(sweepSection(input.sweep));
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title><style>${CSS}</style></head>
<body>
${body.join('\n')}
</body></html>
`;
}
