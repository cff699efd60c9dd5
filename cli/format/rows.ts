// Display rows (per CPU and all CPUs) from an Interval or the run Totals: counters turned into per-second rates
// and shares. Pure; null (not measured) stays null, so the views print '-'.
import type { CpuMetrics, CpuRow, Interval, Totals } from '../schema/types.generated.js';
import { COUNTER_KEYS, MAX_KEYS, emptyMetrics } from '../state/metrics.js';

export interface DisplayRow {
  /** a cpu number, or 'all' */
  cpu: number | 'all';
  /** pid_revalidate calls/s */
  prCallsPerSec: number | null;
  /** -ECHILD returns of pid_revalidate /s */
  echildPerSec: number | null;
  /** share of pid_revalidate calls that returned -ECHILD, % */
  echildSharePct: number | null;
  /** unlazy calls/s (try_to_unlazy_next + try_to_unlazy) */
  unlazyCallsPerSec: number | null;
  /** unlazy failures/s */
  unlazyFailsPerSec: number | null;
  /** lockref_get_not_dead calls/s (direct, callsite) */
  lockrefCallsPerSec: number | null;
  /** lockref spinlock waits/s (contention) */
  lockrefWaitsPerSec: number | null;
  /** ns per second spent in lockref (direct/callsite: in the function; contention: spinning for it) */
  lockrefNsPerSec: number | null;
  /** lockref time as % of this row's CPU time */
  lockrefPctOfCpu: number | null;
  /** all spinlock waits/s */
  spinWaitsPerSec: number | null;
  /** ns per second spinning on any spinlock */
  spinNsPerSec: number | null;
  /** spin time as % of this row's CPU time */
  spinPctOfCpu: number | null;
  /** the longest single lockref wait/call, ns */
  maxSpinNs: number | null;
  userPct: number | null;
  sysPct: number | null;
  idlePct: number | null;
}

function rate(v: number | null, sec: number): number | null {
  return v === null || !(sec > 0) ? null : v / sec;
}

function sum(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : a + b;
}

/** One row from metrics over `seconds` of wall time on `cpus` CPUs (1 for a per-CPU row). */
export function displayRow(cpu: number | 'all', m: CpuMetrics, seconds: number, cpus = 1): DisplayRow {
  const cpuNs = seconds * 1e9 * cpus;
  const share = (ns: number | null): number | null => (ns === null || !(cpuNs > 0) ? null : Math.min(100, (ns / cpuNs) * 100));
  return {
    cpu,
    prCallsPerSec: rate(m.prCalls, seconds),
    echildPerSec: rate(m.prEchild, seconds),
    echildSharePct: m.prEchild === null || m.prCalls === null || m.prCalls === 0 ? null : (m.prEchild / m.prCalls) * 100,
    unlazyCallsPerSec: rate(sum(m.unlazyNextCalls, m.unlazyCalls), seconds),
    unlazyFailsPerSec: rate(sum(m.unlazyNextFails, m.unlazyFails), seconds),
    lockrefCallsPerSec: rate(m.lockrefCalls, seconds),
    lockrefWaitsPerSec: rate(m.lockrefWaits, seconds),
    lockrefNsPerSec: rate(m.lockrefNs, seconds),
    lockrefPctOfCpu: share(m.lockrefNs),
    spinWaitsPerSec: rate(m.spinWaits, seconds),
    spinNsPerSec: rate(m.spinNs, seconds),
    spinPctOfCpu: share(m.spinNs),
    maxSpinNs: m.lockrefMaxNs,
    userPct: m.userPct,
    sysPct: m.sysPct,
    idlePct: m.idlePct,
  };
}

/** Metrics summed over rows (max for lockrefMaxNs; percents: plain mean of the rows that have them). */
export function sumRows(rows: readonly CpuRow[]): CpuMetrics {
  const out = emptyMetrics();
  for (const r of rows) {
    for (const k of COUNTER_KEYS) {
      const v = r[k];
      if (v === null) continue;
      const a = out[k];
      out[k] = a === null ? v : MAX_KEYS.has(k) ? Math.max(a, v) : a + v;
    }
  }
  for (const k of ['userPct', 'sysPct', 'idlePct'] as const) {
    const vs = rows.map((r) => r[k]).filter((v): v is number => v !== null);
    out[k] = vs.length ? vs.reduce((a, b) => a + b, 0) / vs.length : null;
  }
  return out;
}

export function intervalSeconds(iv: Interval): number {
  return Math.max(0, iv.endMs - iv.startMs) / 1000;
}

/** Per-CPU rows of one interval, then the 'all' row. */
export function intervalRows(iv: Interval): DisplayRow[] {
  const sec = intervalSeconds(iv);
  const rows = iv.cpus.map((r) => displayRow(r.cpu, r, sec));
  rows.push(displayRow('all', sumRows(iv.cpus), sec, Math.max(1, iv.cpus.length)));
  return rows;
}

/** Per-CPU rows of the run totals over `elapsedMs`, then the 'all' row (from totals.all). */
export function totalsRows(t: Totals, elapsedMs: number): DisplayRow[] {
  const sec = Math.max(0, elapsedMs) / 1000;
  const rows = t.cpus.map((r) => displayRow(r.cpu, r, sec));
  rows.push(displayRow('all', t.all, sec, Math.max(1, t.cpus.length)));
  return rows;
}

/** Workload runs per second in an interval (null: no workload). */
export function runsPerSec(iv: Interval): number | null {
  const sec = intervalSeconds(iv);
  return iv.runs === null || !(sec > 0) ? null : iv.runs / sec;
}
