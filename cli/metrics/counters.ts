// The counters the reducer produces per CPU and interval (CpuMetrics): each defined once, with the probe target
// that measures it, its unit, how rows combine, and its Prometheus name. Every derived metric (catalogue.ts),
// every table column and the exporter read these entries.
import type { CpuMetrics, Target } from '../schema/types.generated.js';

export type Field = keyof CpuMetrics;

/** Where a counter comes from: a probe target, or /proc/stat (no probe). */
export type Source = Target | 'procstat';

export interface PromCounter {
  /** Prometheus name in base units (`_total` for counters, `_seconds`) */
  name: string;
  type: 'counter' | 'gauge';
  /** fixed labels that tell two counters under one name apart */
  labels?: Readonly<Record<string, string>>;
  /** factor from the counter's unit to the Prometheus base unit (ns -> s: 1e-9) */
  scale: number;
}

export interface CounterDef {
  field: Field;
  /** snake_case column name (CSV, NDJSON) */
  column: string;
  source: Source;
  unit: 'count' | 'ns' | 'percent';
  /** how rows of several CPUs or intervals combine */
  combine: 'sum' | 'max' | 'mean';
  help: string;
  /** null: not exported (node_exporter already gives /proc/stat CPU seconds as node_cpu_seconds_total) */
  prom: PromCounter | null;
}

const counter = (name: string, scale = 1, labels?: Record<string, string>): PromCounter => ({ name, type: 'counter', scale, ...(labels ? { labels } : {}) });

export const COUNTERS: readonly CounterDef[] = [
  { field: 'prCalls', column: 'pr_calls', source: 'pid_revalidate', unit: 'count', combine: 'sum', help: 'pid_revalidate calls', prom: counter('rcuwalk_pid_revalidate_calls_total') },
  { field: 'prRcuCalls', column: 'pr_rcu_calls', source: 'pid_revalidate', unit: 'count', combine: 'sum', help: 'pid_revalidate calls with LOOKUP_RCU set', prom: counter('rcuwalk_pid_revalidate_rcu_calls_total') },
  { field: 'prEchild', column: 'pr_echild', source: 'pid_revalidate', unit: 'count', combine: 'sum', help: 'pid_revalidate returns of -ECHILD (the lookup leaves RCU-walk)', prom: counter('rcuwalk_pid_revalidate_echild_total') },
  { field: 'unlazyNextCalls', column: 'unlazy_next_calls', source: 'unlazy_next', unit: 'count', combine: 'sum', help: 'try_to_unlazy_next (unlazy_child) calls', prom: counter('rcuwalk_unlazy_calls_total', 1, { function: 'try_to_unlazy_next' }) },
  { field: 'unlazyNextFails', column: 'unlazy_next_fails', source: 'unlazy_next', unit: 'count', combine: 'sum', help: 'try_to_unlazy_next (unlazy_child) failures', prom: counter('rcuwalk_unlazy_failures_total', 1, { function: 'try_to_unlazy_next' }) },
  { field: 'unlazyCalls', column: 'unlazy_calls', source: 'unlazy', unit: 'count', combine: 'sum', help: 'try_to_unlazy (unlazy_walk) calls', prom: counter('rcuwalk_unlazy_calls_total', 1, { function: 'try_to_unlazy' }) },
  { field: 'unlazyFails', column: 'unlazy_fails', source: 'unlazy', unit: 'count', combine: 'sum', help: 'try_to_unlazy (unlazy_walk) failures', prom: counter('rcuwalk_unlazy_failures_total', 1, { function: 'try_to_unlazy' }) },
  { field: 'lockrefCalls', column: 'lockref_calls', source: 'lockref', unit: 'count', combine: 'sum', help: 'lockref_get_not_dead calls (direct or call-site probes)', prom: counter('rcuwalk_lockref_calls_total') },
  { field: 'lockrefWaits', column: 'lockref_waits', source: 'lockref', unit: 'count', combine: 'sum', help: 'spinlock slow-path waits under lockref_get_not_dead (contention tracepoints)', prom: counter('rcuwalk_lockref_waits_total') },
  { field: 'lockrefNs', column: 'lockref_ns', source: 'lockref', unit: 'ns', combine: 'sum', help: 'time in lockref_get_not_dead (direct, call sites) or waiting in its spinlock slow path (contention)', prom: counter('rcuwalk_lockref_seconds_total', 1e-9) },
  { field: 'lockrefMaxNs', column: 'lockref_max_ns', source: 'lockref', unit: 'ns', combine: 'max', help: 'the longest single lockref_get_not_dead call or wait in the last interval', prom: { name: 'rcuwalk_lockref_max_seconds', type: 'gauge', scale: 1e-9 } },
  { field: 'spinWaits', column: 'spin_waits', source: 'spin', unit: 'count', combine: 'sum', help: 'all spinlock contention waits (context for the lockref share)', prom: counter('rcuwalk_spinlock_waits_total') },
  { field: 'spinNs', column: 'spin_ns', source: 'spin', unit: 'ns', combine: 'sum', help: 'time waiting on any contended spinlock', prom: counter('rcuwalk_spinlock_wait_seconds_total', 1e-9) },
  { field: 'userPct', column: 'user_pct', source: 'procstat', unit: 'percent', combine: 'mean', help: '% of CPU time in user mode (/proc/stat user + nice)', prom: null },
  { field: 'sysPct', column: 'sys_pct', source: 'procstat', unit: 'percent', combine: 'mean', help: '% of CPU time in the kernel (/proc/stat system)', prom: null },
  { field: 'idlePct', column: 'idle_pct', source: 'procstat', unit: 'percent', combine: 'mean', help: '% of CPU time idle (/proc/stat idle + iowait)', prom: null },
];

const BY_FIELD = new Map(COUNTERS.map((c) => [c.field, c]));

export function counterDef(f: Field): CounterDef {
  return BY_FIELD.get(f)!;
}
