// The screens bench/tui-frame.ts draws: ink's floor (a plain screen of the size the UI fills) and the live UI on
// constructed states (2 and 128 CPUs, with and without a baseline, sorted, an hour-long run) and on 128 CPUs built
// by the reducer from real recorded per-CPU records widened (test/unit/tui/fixture-state.ts).
import type { CaptureState } from '../cli/state/state.js';
import type { Capture } from '../cli/schema/types.generated.js';
import { toCapture } from '../cli/capture/to-capture.js';
import { SORT_CYCLE } from '../cli/tui/view-model/cpu-rows.js';
import { runningState } from '../test/unit/tui/states.js';
import { widenedFixtureState } from '../test/unit/tui/fixture-state.js';

export const W = 120, H = 50;

export interface UiCase {
  id: string;
  label: string;
  /** the state after i more intervals */
  make: () => (i: number) => CaptureState;
  baseline?: () => Capture;
  /** `s` presses before the first measured frame */
  sortPresses?: number;
}

/** ink alone: H-1 lines of `chars` plain characters (one line changed per frame) and nothing else. */
export const FLOORS = [1, 110].map((chars) => ({ id: `floor-${chars}`, label: `ink floor: ${H - 1} lines of ${chars} plain chars`, chars }));

/**
 * Like the engine: one state object per event, the intervals array shared and appended to (the reducer's contract),
 * so every frame is a new interval on top of `base`.
 */
function growing(base: CaptureState): (i: number) => CaptureState {
  const intervals = base.intervals.slice();
  const n0 = intervals.length;
  return (i) => {
    const src = intervals[i % n0]!;
    const last = intervals[intervals.length - 1]!;
    intervals.push({ ...src, seq: last.seq + 1, startMs: last.endMs, endMs: last.endMs + 1000 });
    return { ...base, intervals, intervalCount: base.intervalCount + i + 1 };
  };
}

const running = (cpus: number, intervals = 30) => () => growing(runningState({ cpus, intervals }));
const baselineOf = (cpus: number) => () => toCapture(runningState({ cpus, intervals: 30, load: 0.5 }));

export const UI_CASES: UiCase[] = [
  { id: '2', label: '2 CPUs, 30 intervals', make: running(2) },
  { id: '2b', label: '2 CPUs, with baseline', make: running(2), baseline: baselineOf(2) },
  { id: '128', label: '128 CPUs, 30 intervals', make: running(128) },
  { id: '128b', label: '128 CPUs, with baseline', make: running(128), baseline: baselineOf(128) },
  { id: '128s', label: '128 CPUs, sorted by spin', make: running(128), sortPresses: SORT_CYCLE.indexOf('spinMs') },
  { id: '128r', label: '128 CPUs, 2 nodes, recorded (reducer)', make: () => growing(widenedFixtureState('percpu-standin-6.18', 128, 60, 2)) },
  { id: '128h', label: '128 CPUs, 3600 intervals (1 h at 1 s)', make: running(128, 3600) },
];
