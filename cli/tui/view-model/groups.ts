// Summary lines per NUMA node (meta.host.numaNodes) or, on a single node, per group of CPUs. A capture's per-CPU
// totals don't say how long each CPU was measured, so a group's CPUs weigh alike in its percentages. Pure.
import type { Host } from '../../schema/types.generated.js';
import type { CpuEntry } from './cpu-rows.js';
import { combineCpus } from '../../metrics/combine.js';
import { metricValues, rowMetrics, type ColumnMetrics, type MetricValues } from './column-metrics.js';

export interface GroupSummary { label: string; cpus: number; values: MetricValues }

/** CPUs per group when there is a single NUMA node. */
export const CPU_GROUP_SIZE = 16;

export function cpuGroups(host: Host | null, cpus: readonly number[]): { label: string; cpus: number[] }[] {
  const nodes = host?.numaNodes ?? [];
  if (nodes.length > 1) return nodes.map((n) => ({ label: `node${n.node}`, cpus: n.cpus }));
  const sorted = [...cpus].sort((a, b) => a - b);
  const out: { label: string; cpus: number[] }[] = [];
  for (let i = 0; i < sorted.length; i += CPU_GROUP_SIZE) {
    const g = sorted.slice(i, i + CPU_GROUP_SIZE);
    out.push({ label: `${g[0]}-${g[g.length - 1]}`, cpus: g });
  }
  return out;
}

export function groupSummaries(host: Host | null, entries: readonly CpuEntry[], seconds: number, cols: ColumnMetrics): GroupSummary[] {
  const byCpu = new Map(entries.map((e) => [e.cpu, e]));
  return cpuGroups(host, entries.map((e) => e.cpu)).flatMap((g) => {
    const members = g.cpus.map((c) => byCpu.get(c)).filter((e): e is CpuEntry => e !== undefined);
    if (members.length === 0) return [];
    const m = combineCpus(members.map((e) => e.metrics));
    return [{ label: g.label, cpus: members.length, values: metricValues(rowMetrics(cols), m, seconds, members.length) }];
  });
}
