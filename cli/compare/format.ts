// Rendering a Comparison: a benchstat-style table, CSV (one row per metric, RFC 4180), JSON (the schema).
import { stringify } from 'csv-stringify/sync';
import type { Comparison, MetricComparison } from '../schema/types.generated.js';

export function fmtNum(v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '-';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5) return v.toExponential(3).replace('e+', 'e');
  if (a >= 1000) return Math.round(v).toString();
  if (a < 1e-3) return v.toExponential(2);
  return String(Number(v.toPrecision(4)));
}

const pct = (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(v !== 0 && Math.abs(v) < 1 ? 2 : 1)}%`;

/** The "vs base" cell: "+12.3%" when significant, "~" when not (benchstat), or why nothing is compared. */
export function changeCell(m: MetricComparison): string {
  if (m.status === 'unavailable') return 'unavailable';
  if (m.status === 'strategy-differs') return 'strategy differs';
  if (m.changePct === null) return m.candidate && m.candidate.median > 0 ? '+inf' : '-';
  if (m.pValue === null) return `${pct(m.changePct)} (no test)`;
  return m.significant ? pct(m.changePct) : '~';
}

/** The verdict cell: improved / regressed / changed (a metric with no better direction), blank for ~. */
export function verdictCell(m: MetricComparison): string {
  return m.verdict === '~' ? '' : m.verdict;
}

function rowCells(m: MetricComparison): string[] {
  const ci = m.ci ? `[${pct(m.ci.lowPct)}, ${pct(m.ci.highPct)}]` : '';
  const p = m.pValue === null ? '' : `p=${m.pValue < 0.001 ? m.pValue.toExponential(1) : m.pValue.toFixed(3)}`;
  const n = m.base || m.candidate ? `n=${m.base?.n ?? 0}+${m.candidate?.n ?? 0}` : '';
  return [`${m.metric}`, m.unit, fmtNum(m.base?.median), fmtNum(m.candidate?.median), changeCell(m), verdictCell(m), ci, p, n];
}

function table(rows: string[][]): string {
  const w = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i >= 2 && i <= 3 ? c.padStart(w[i]!) : c.padEnd(w[i]!))).join('  ').trimEnd()).join('\n');
}

export function formatTable(cmp: Comparison): string {
  const side = (s: Comparison['base']) => `${s.kernelRelease.join('/')} (${s.files.length === 1 ? s.files[0] : `${s.files.length} captures`}, ${s.intervals} intervals, parallel ${s.parallel.join('/')})`;
  const level = Math.round((1 - cmp.alpha) * 100);
  const head = ['metric', 'unit', 'base', 'candidate', 'vs base', 'verdict', `${level}% CI`, 'p', 'n'];
  const out: string[] = [
    `base:      ${side(cmp.base)}`,
    `candidate: ${side(cmp.candidate)}`,
    `medians over ${cmp.mode === 'intervals' ? 'intervals' : 'trials (one whole-run value per capture)'}; ~: not significant at alpha=${cmp.alpha}; verdict: the change read by which way is better for the metric`,
    '',
    table([head, ...cmp.metrics.map(rowCells)]),
  ];
  // metrics sharing a note (e.g. one unavailable probe) are listed together
  const byNote = new Map<string, string[]>();
  for (const m of cmp.metrics) if (m.note) byNote.set(m.note, [...(byNote.get(m.note) ?? []), m.metric]);
  const notes = [...byNote].map(([note, ids]) => `  ${ids.join(', ')}: ${note}`);
  if (notes.length) out.push('', 'notes:', ...notes);
  if (cmp.perCpu?.length) {
    out.push('', 'per CPU:');
    const rows = [['cpu', ...head]];
    for (const c of cmp.perCpu) for (const m of c.metrics) rows.push([String(c.cpu), ...rowCells(m)]);
    const w = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    out.push(rows.map((r) => r.map((c, i) => (i >= 3 && i <= 4 ? c.padStart(w[i]!) : c.padEnd(w[i]!))).join('  ').trimEnd()).join('\n'));
  }
  if (cmp.warnings.length) out.push('', ...cmp.warnings.map((w) => `warning: ${w}`));
  if (cmp.gates.length) out.push('', ...cmp.gates.map((g) => `gate ${g.tripped ? 'TRIPPED' : 'ok     '} ${g.expr}: ${g.detail}`));
  return out.join('\n') + '\n';
}

export const COMPARISON_CSV_COLUMNS = [
  'cpu', 'metric', 'unit', 'direction', 'status', 'base_n', 'base_median', 'base_min', 'base_max', 'candidate_n', 'candidate_median',
  'candidate_min', 'candidate_max', 'change_pct', 'ci_low_pct', 'ci_high_pct', 'ci_level', 'p_value', 'test', 'significant', 'verdict', 'note',
] as const;

function csvRow(cpu: number | null, m: MetricComparison): (string | number | boolean | null)[] {
  return [
    cpu, m.metric, m.unit, m.direction, m.status, m.base?.n ?? null, m.base?.median ?? null, m.base?.min ?? null, m.base?.max ?? null,
    m.candidate?.n ?? null, m.candidate?.median ?? null, m.candidate?.min ?? null, m.candidate?.max ?? null,
    m.changePct, m.ci?.lowPct ?? null, m.ci?.highPct ?? null, m.ci?.level ?? null, m.pValue, m.test, m.significant, m.verdict, m.note,
  ];
}

/** One row per metric (cpu empty: whole system), then per-CPU rows; empty cell for null. */
export function formatCsv(cmp: Comparison): string {
  const rows = cmp.metrics.map((m) => csvRow(null, m));
  for (const c of cmp.perCpu ?? []) for (const m of c.metrics) rows.push(csvRow(c.cpu, m));
  return stringify(rows, { header: true, columns: [...COMPARISON_CSV_COLUMNS], record_delimiter: '\r\n', cast: { boolean: (b) => (b ? 'true' : 'false') } });
}

export function formatJson(cmp: Comparison): string {
  return JSON.stringify(cmp, null, 2) + '\n';
}
