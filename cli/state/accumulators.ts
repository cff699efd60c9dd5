// The reducer's running sums over the whole run, kept in CaptureState.acc: replaced (copy on write) on every tick,
// never modified once a state holds them, O(cpus) per tick. Totals, histograms, call sites and stacks derive from them.
import type { Bucket } from '../schema/types.generated.js';

export interface StackAcc { stack: string[]; lockref: boolean; waits: number; ns: number }

/** Time-weighted percent sums per CPU: slot(cpu) -> 4 floats (weight, user, sys, idle) in `data`. Copied per tick
 * as one typed array (no per-CPU objects). */
export interface PctAcc { slot: ReadonlyMap<number, number>; data: Float64Array }

export function pctGet(p: PctAcc, cpu: number): { w: number; u: number; s: number; i: number } | undefined {
  const k = p.slot.get(cpu);
  if (k === undefined) return undefined;
  const d = p.data;
  return { w: d[k]!, u: d[k + 1]!, s: d[k + 2]!, i: d[k + 3]! };
}

export interface RunAcc {
  /** intervals closed so far (= state.intervalCount) */
  n: number;
  pct: PctAcc;
  stacks: ReadonlyMap<string, StackAcc>;
  sites: ReadonlyMap<string, number>;
  hist: ReadonlyMap<number, Bucket[]>;
  /** the histogram over all CPUs (bucket arrays are never modified once built, so they are shared) */
  histAll: Bucket[];
  runs: number | null;
  runsPerWorker: number[] | null;
  /** CPUs that get a row in every interval: online ones and any named by the data so far, sorted */
  cpus: readonly number[];
}

export function emptyRunAcc(): RunAcc {
  return { n: 0, pct: { slot: new Map(), data: new Float64Array(0) }, stacks: new Map(), sites: new Map(), hist: new Map(), histAll: [], runs: null, runsPerWorker: null, cpus: [] };
}
