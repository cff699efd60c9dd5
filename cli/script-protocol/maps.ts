// The maps every generated bpftrace script prints and clears each interval, and the reducer reads back: their
// names and keys. Each is double-buffered in the script (generations.ts).
import type { CpuMetrics } from '../schema/types.generated.js';

/** Per-CPU scalar maps, each keyed by [cpu], printed and cleared every interval. */
export const CPU_MAPS = {
  prCalls: '@pr_calls',
  prRcuCalls: '@pr_rcu',
  prEchild: '@pr_echild',
  unlazyNextCalls: '@ul_next_calls',
  unlazyNextFails: '@ul_next_fails',
  unlazyCalls: '@ul_calls',
  unlazyFails: '@ul_fails',
  lockrefCalls: '@lr_calls',
  lockrefNs: '@lr_ns',
  lockrefMaxNs: '@lr_max',
} as const satisfies Partial<Record<keyof CpuMetrics, string>>;

/** lockref durations (direct, callsite): hist(ns) keyed by [cpu]. */
export const LOCKREF_HIST = '@lr_hist';
/** callsite strategy: count keyed by ["caller+offset"]. */
export const LOCKREF_SITES = '@lr_site';

/** contention strategy: spinlock waits keyed by [$stack = kstack(CONTENTION_STACK_DEPTH), cpu]; a wait counts as
 * lockref spin when its stack holds LOCKREF_SYMBOL (cli/facts/target-functions.ts). */
export const CONTENTION_MAPS = {
  waits: '@cw_n',
  ns: '@cw_ns',
  maxNs: '@cw_max',
  hist: '@cw_hist',
} as const;
export const CONTENTION_STACK_DEPTH = 6;

/** Every map printed and cleared each interval (base names). */
export const PRINTED_MAPS: readonly string[] = [...Object.values(CPU_MAPS), LOCKREF_HIST, LOCKREF_SITES, ...Object.values(CONTENTION_MAPS)];
