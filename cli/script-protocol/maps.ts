// The contract between the generated bpftrace scripts and the reducer: map names, their keys, and marker lines.
//
// Every map below is printed and cleared each interval, and is double-buffered in the script: it exists as two
// generations, `<name>_0` and `<name>_1` (generationName). The scalar GENERATION_MAP says which one the probes write.
// The interval probe flips it first, in the kernel, so new events go to the other generation at once, and only then
// prints and clears the generation it just retired: bpftrace runs print() and clear() later, in user space, and
// nothing lands on a map between the two any more. Flipping back is safe only once bpftrace has done so: the interval
// probe sets PENDING_MAP with the flip and has bpftrace clear it after the retired generation's prints and clears; an
// interval that finds it still set skips (no flip, no tick: the next interval is longer), for at most
// pendingSkipLimit(intervalMs) intervals in a row. The parser reads both generations back as the base name
// (baseMapName), and still reads the base names themselves (recordings made before the generations).
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

/** The scalar map that says which generation of the printed maps the probes write (0 or 1). */
export const GENERATION_MAP = '@rw_gen';
/** Set by the interval probe when it flips, cleared by bpftrace (user space) once it has printed and cleared the
 * retired generation: while it is set, flipping back would send events into a generation not yet cleared. */
export const PENDING_MAP = '@rw_pending';
/** Intervals skipped in a row while PENDING_MAP is still set (kernel only). */
export const SKIPS_MAP = '@rw_skips';
/** How many intervals in a row may be skipped waiting for bpftrace before the flip goes ahead anyway (about 2 s: a
 * lost clear event must not stop the ticks for good). */
export function pendingSkipLimit(intervalMs: number): number {
  return Math.max(1, Math.ceil(2000 / intervalMs));
}
export const GENERATIONS = [0, 1] as const;
export type Generation = (typeof GENERATIONS)[number];

/** Every map printed and cleared each interval (base names). */
export const PRINTED_MAPS: readonly string[] = [...Object.values(CPU_MAPS), LOCKREF_HIST, LOCKREF_SITES, ...Object.values(CONTENTION_MAPS)];
const PRINTED: ReadonlySet<string> = new Set(PRINTED_MAPS);

/** `@cw_n` -> `@cw_n_0` / `@cw_n_1`: the name of one generation of a printed map in the script. */
export function generationName(base: string, gen: Generation): string {
  return `${base}_${gen}`;
}

const GEN_SUFFIX = /_[01]$/;
/** A map name as bpftrace prints it -> the contract's base name: either generation of a printed map reads as the map
 * (`@cw_n_1` -> `@cw_n`); anything else (a base name, a map not in the contract) stays as it is. */
export function baseMapName(name: string): string {
  if (!GEN_SUFFIX.test(name)) return name;
  const base = name.slice(0, -2);
  return PRINTED.has(base) ? base : name;
}
