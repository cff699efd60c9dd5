// Pure parser of /proc/stat text: the per-CPU "cpuN" lines -> CpuTimes (USER_HZ ticks). The aggregate "cpu" line is skipped.
import type { CpuTimes } from './events.js';

/**
 * Lines look like `cpu3 910 0 756 35829 11 0 8 2 0 0` (user nice system idle iowait irq softirq steal guest guest_nice).
 * Older kernels print fewer columns; missing ones are 0. Malformed lines are skipped. Sorted by cpu.
 */
export function parseProcStat(text: string): CpuTimes[] {
  const out: CpuTimes[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('cpu') || line.startsWith('cpu ')) continue;
    const parts = line.trim().split(/\s+/);
    const m = /^cpu(\d+)$/.exec(parts[0] ?? '');
    if (!m) continue;
    const n = parts.slice(1, 9).map((p) => Number(p));
    if (n.length < 4 || n.some((x) => !Number.isFinite(x) || x < 0)) continue;
    const g = (i: number): number => n[i] ?? 0;
    out.push({ cpu: Number(m[1]), user: g(0), nice: g(1), system: g(2), idle: g(3), iowait: g(4), irq: g(5), softirq: g(6), steal: g(7) });
  }
  return out.sort((a, b) => a.cpu - b.cpu);
}
