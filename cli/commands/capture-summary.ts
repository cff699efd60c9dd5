// The plain-text summary `rcuwalk capture` prints at the end: what ran, how each target was measured, and totals per CPU.
import type { Capture, CpuMetrics } from '../schema/types.generated.js';

const dash = '-';
function rate(v: number | null, secs: number, digits = 1): string {
  return v === null ? dash : (v / secs).toFixed(digits);
}
function pct(v: number | null): string {
  return v === null ? dash : v.toFixed(1);
}
function ms(ns: number | null, secs: number): string {
  return ns === null ? dash : (ns / 1e6 / secs).toFixed(2);
}
function us(ns: number | null): string {
  return ns === null ? dash : (ns / 1e3).toFixed(1);
}

function row(label: string, m: CpuMetrics, secs: number): string[] {
  const echildShare = m.prEchild !== null && m.prCalls ? ((100 * m.prEchild) / m.prCalls).toFixed(1) : dash;
  const unlazy = m.unlazyNextCalls === null && m.unlazyCalls === null ? null : (m.unlazyNextCalls ?? 0) + (m.unlazyCalls ?? 0);
  const fails = m.unlazyNextFails === null && m.unlazyFails === null ? null : (m.unlazyNextFails ?? 0) + (m.unlazyFails ?? 0);
  const lockrefCount = m.lockrefCalls ?? m.lockrefWaits;
  return [label, pct(m.sysPct), rate(m.prCalls, secs), rate(m.prEchild, secs), echildShare, rate(unlazy, secs), rate(fails, secs), rate(lockrefCount, secs), ms(m.lockrefNs, secs), us(m.lockrefMaxNs)];
}

export function summaryLines(c: Capture): string[] {
  const secs = Math.max(c.run.elapsedMs / 1000, 1e-3);
  const s = c.settings;
  const lockref = c.resolution.find((r) => r.target === 'lockref');
  const out: string[] = [];
  out.push(`rcuwalk capture: ${c.host.kernelRelease} (${c.host.cpuCount} CPUs), bpftrace ${c.bpftrace.version}, ${secs.toFixed(1)}s in ${c.intervals.length} intervals${c.run.complete ? '' : ` (ended: ${c.run.endReason})`}`);
  out.push(`workload: ${s.workload === 'none' ? 'none' : `${s.parallel} x ${s.workload}`}${s.ballast ? `, ${s.ballast} idle processes` : ''}; runs ${c.totals.runs ?? dash}${c.totals.runsPerSec !== null ? ` (${c.totals.runsPerSec.toFixed(1)}/s)` : ''}; sys ${pct(c.totals.all.sysPct)}% user ${pct(c.totals.all.userPct)}% idle ${pct(c.totals.all.idlePct)}%`);
  for (const r of c.resolution) {
    out.push(`  ${r.target.padEnd(15)} ${r.strategy.padEnd(11)} ${r.symbol ?? ''}${r.probe ? ` (${r.probe})` : ''}${r.reason ? `: ${r.reason}` : ''}`);
  }
  const header = ['CPU', 'sys%', 'pr/s', 'echild/s', 'echild%', 'unlazy/s', 'fail/s', lockref?.strategy === 'contention' ? 'lrwait/s' : 'lockref/s', 'spin ms/s', 'max us'];
  const rows = [header, ...c.totals.cpus.map((m) => row(String(m.cpu), m, secs)), row('all', c.totals.all, secs)];
  const widths = header.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) out.push(r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '));
  if (c.run.lostEvents > 0) out.push(`warning: bpftrace lost ${c.run.lostEvents} events`);
  return out;
}
