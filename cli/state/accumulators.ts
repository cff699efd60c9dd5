// The reducer's running sums over the whole run, kept in CaptureState.acc: replaced (copy on write) on every tick,
// never modified once a state holds them, O(cpus) per tick. Totals, histograms, call sites and stacks derive from them.
import type { Bucket } from '../schema/types.generated.js';
import type { CpuTotals } from './totals.js';

export interface StackAcc { stack: string[]; lockref: boolean; waits: number; ns: number }

export interface RunAcc {
  /** intervals closed so far (= state.intervalCount) */
  n: number;
  /** each CPU's rows combined over the run (its totals row, and the seconds behind its percentages) */
  cpuTotals: CpuTotals;
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
  return { n: 0, cpuTotals: new Map(), stacks: new Map(), sites: new Map(), hist: new Map(), histAll: [], runs: null, runsPerWorker: null, cpus: [] };
}
