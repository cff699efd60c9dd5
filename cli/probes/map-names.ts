// The contract between the generated bpftrace scripts and the reducer: map names, their keys, and marker lines.
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

/** contention strategy: spinlock waits keyed by [$stack = kstack(CONTENTION_STACK_DEPTH), cpu]. */
export const CONTENTION_MAPS = {
  waits: '@cw_n',
  ns: '@cw_ns',
  maxNs: '@cw_max',
  hist: '@cw_hist',
} as const;
export const CONTENTION_STACK_DEPTH = 6;
/** the frame a contention stack must hold to count as lockref spin */
export const LOCKREF_SYMBOL = 'lockref_get_not_dead';

/** printf lines: the interval tick (`rcuwalk-tick <nsecs>`) and the BEGIN marker. */
export const TICK_PREFIX = 'rcuwalk-tick ';
export const READY_LINE = 'rcuwalk-ready';
