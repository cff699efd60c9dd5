// The plain-text summary `rcuwalk capture` prints at the end: what ran, how each target was measured, totals per CPU.
import { plainTotalsLine } from '../format/plain-lines.js';
import { totalsRows } from '../format/rows.js';
import { formatValue, metric, rtWaits, shortOf } from '../metrics/catalogue.js';
import { troubleOfCapture, troubleWarnings } from '../format/bpftrace-trouble.js';
import type { Capture } from '../schema/types.generated.js';
import { archName } from '../facts/arch-name.js';

/** The per-CPU table's metrics (catalogue ids); lockref counts calls, or spinlock waits under contention. */
const SUMMARY_IDS = (lockrefWaits: boolean) => ['sys_pct', 'pr_calls_per_s', 'echild_per_s', 'echild_share_pct', 'unlazy_calls_per_s', 'unlazy_fails_per_s',
  lockrefWaits ? 'lockref_waits_per_s' : 'lockref_calls_per_s', 'spin_ms_per_s', 'spin_max_ns', 'spinlock_ms_per_s'].map(metric);

/** `intervalCount`: how many the run closed, when `c.intervals` holds only the latest (CaptureResult.intervalCount). */
export function summaryLines(c: Capture, intervalCount = c.intervals.length): string[] {
  const s = c.settings;
  const out: string[] = [];
  out.push(`rcuwalk capture: ${c.host.kernelRelease} (${archName(c.host.arch)}${c.host.preemptRt?.value ? ', PREEMPT_RT' : ''}, ${c.host.cpuCount} CPUs), bpftrace ${c.bpftrace.version}, ${intervalCount} intervals${c.run.complete ? '' : ` (ended: ${c.run.endReason})`}`);
  out.push(`workload: ${s.workload === 'none' ? 'none' : `${s.parallel} x ${s.workload}`}${s.ballast ? `, ${s.ballast} idle processes` : ''}`);
  for (const r of c.resolution) {
    out.push(`  ${r.target.padEnd(15)} ${r.strategy.padEnd(11)} ${r.symbol ?? ''}${r.probe ? ` (${r.probe})` : ''}${r.reason ? `: ${r.reason}` : ''}`);
  }
  const lockref = c.resolution.find((r) => r.target === 'lockref');
  const metrics = SUMMARY_IDS(lockref?.strategy === 'contention');
  const rt = rtWaits(c);
  const header = ['CPU', ...metrics.map((m) => shortOf(m, rt))];
  const rows = [header, ...totalsRows(c.totals, c.run.elapsedMs).map((r) => [String(r.cpu), ...metrics.map((m) => formatValue(m, r.values[m.id]))])];
  const widths = header.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) out.push(r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '));
  out.push(plainTotalsLine(c.totals, c.run.elapsedMs, c.run.lostEvents, rt));
  out.push(...troubleWarnings(troubleOfCapture(c)));
  return out;
}
