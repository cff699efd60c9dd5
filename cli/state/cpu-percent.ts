// CPU time shares between two /proc/stat samples.
import type { CpuTimes } from './events.js';

export interface CpuPercent {
  cpu: number;
  /** user + nice */
  userPct: number;
  /** system */
  sysPct: number;
  /** idle + iowait */
  idlePct: number;
  /** the delta total in ticks */
  ticks: number;
  /** the CPU time the delta covers, seconds (ticks / USER_HZ): the weight of these percentages when rows combine */
  secs: number;
}

/** /proc/stat's unit: USER_HZ, 100 ticks a second on every Linux ABI rcuwalk runs on (x86-64, arm64). */
const USER_HZ = 100;

function totalTicks(t: CpuTimes): number {
  return t.user + t.nice + t.system + t.idle + t.iowait + t.irq + t.softirq + t.steal;
}

function pct(part: number, total: number): number {
  const p = (part / total) * 100;
  return p < 0 ? 0 : p > 100 ? 100 : p;
}

/** Percentages of one CPU's delta; null when the delta total is not positive (no time passed, or a counter reset). */
export function cpuPercent(prev: CpuTimes, cur: CpuTimes): CpuPercent | null {
  const total = totalTicks(cur) - totalTicks(prev);
  if (!(total > 0)) return null;
  return {
    cpu: cur.cpu,
    userPct: pct(cur.user - prev.user + (cur.nice - prev.nice), total),
    sysPct: pct(cur.system - prev.system, total),
    idlePct: pct(cur.idle - prev.idle + (cur.iowait - prev.iowait), total),
    ticks: total,
    secs: total / USER_HZ,
  };
}

/** Per-CPU percentages, keyed by cpu, for CPUs present in both samples. */
export function cpuPercents(prev: readonly CpuTimes[], cur: readonly CpuTimes[]): Map<number, CpuPercent> {
  const before = new Map<number, CpuTimes>();
  for (const p of prev) before.set(p.cpu, p);
  const out = new Map<number, CpuPercent>();
  for (const c of cur) {
    const p = before.get(c.cpu);
    if (!p) continue;
    const r = cpuPercent(p, c);
    if (r) out.set(c.cpu, r);
  }
  return out;
}
