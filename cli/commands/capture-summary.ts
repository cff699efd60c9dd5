// The plain-text summary `rcuwalk capture` prints at the end: what ran, how each target was measured, totals per CPU.
import { formatNs, formatNsPerSec, formatPct, formatRate } from '../format/numbers.js';
import { plainTotalsLine } from '../format/plain-lines.js';
import { troubleOfCapture, troubleWarnings } from '../format/bpftrace-trouble.js';
import { totalsRows, type DisplayRow } from '../format/rows.js';
import type { Capture } from '../schema/types.generated.js';

const COLUMNS: [string, (r: DisplayRow) => string][] = [
  ['CPU', (r) => String(r.cpu)],
  ['sys%', (r) => formatPct(r.sysPct)],
  ['pr/s', (r) => formatRate(r.prCallsPerSec)],
  ['echild/s', (r) => formatRate(r.echildPerSec)],
  ['echild%', (r) => formatPct(r.echildSharePct)],
  ['unlazy/s', (r) => formatRate(r.unlazyCallsPerSec)],
  ['fail/s', (r) => formatRate(r.unlazyFailsPerSec)],
  ['lockref/s', (r) => formatRate(r.lockrefCallsPerSec ?? r.lockrefWaitsPerSec)],
  ['lockref', (r) => formatNsPerSec(r.lockrefNsPerSec)],
  ['max', (r) => formatNs(r.maxSpinNs)],
  ['spin', (r) => formatNsPerSec(r.spinNsPerSec)],
];

/** `intervalCount`: how many the run closed, when `c.intervals` holds only the latest (CaptureResult.intervalCount). */
export function summaryLines(c: Capture, intervalCount = c.intervals.length): string[] {
  const s = c.settings;
  const out: string[] = [];
  out.push(`rcuwalk capture: ${c.host.kernelRelease} (${c.host.cpuCount} CPUs), bpftrace ${c.bpftrace.version}, ${intervalCount} intervals${c.run.complete ? '' : ` (ended: ${c.run.endReason})`}`);
  out.push(`workload: ${s.workload === 'none' ? 'none' : `${s.parallel} x ${s.workload}`}${s.ballast ? `, ${s.ballast} idle processes` : ''}`);
  for (const r of c.resolution) {
    out.push(`  ${r.target.padEnd(15)} ${r.strategy.padEnd(11)} ${r.symbol ?? ''}${r.probe ? ` (${r.probe})` : ''}${r.reason ? `: ${r.reason}` : ''}`);
  }
  const lockref = c.resolution.find((r) => r.target === 'lockref');
  const header = COLUMNS.map(([h]) => (h === 'lockref/s' && lockref?.strategy === 'contention' ? 'lrwait/s' : h));
  const rows = [header, ...totalsRows(c.totals, c.run.elapsedMs).map((r) => COLUMNS.map(([, f]) => f(r)))];
  const widths = header.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) out.push(r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '));
  out.push(plainTotalsLine(c.totals, c.run.elapsedMs, c.run.lostEvents));
  out.push(...troubleWarnings(troubleOfCapture(c)));
  return out;
}
