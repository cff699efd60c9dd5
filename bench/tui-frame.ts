// Frame time of the live UI: AppView's lines plus Screen's bytes for them (what `rcuwalk run` does per frame),
// N times on constructed states
// (2 and 128 CPUs, with and without a baseline, short and hour-long runs, and 128 CPUs built by the reducer from
// the real recorded per-CPU records widened: test/unit/tui/fixture-state.ts). Prints ms/frame and ratios
// against the 2-CPU frame. CPU time (user+sys of this process) is the number to compare: wall time is shown too
// but moves with whatever else the machine runs. Usage: node dist/bench/tui-frame.js [frames=200]
import { performance } from 'node:perf_hooks';
import type { CaptureState } from '../cli/state/state.js';

import { AppView, type AppProps } from '../cli/tui/app-view.js';
import { Screen } from '../cli/tui/term/screen.js';
import { toCapture } from '../cli/capture/to-capture.js';
import { runningState } from '../test/unit/tui/states.js';
import { widenedFixtureState } from '../test/unit/tui/fixture-state.js';

const N = Number(process.argv[2] ?? 200);

/**
 * Like the engine: one state object per event, the intervals array shared and appended to (the reducer's contract),
 * so every frame here is a new interval on top of `base`.
 */
function growing(base: CaptureState): (i: number) => CaptureState {
  const intervals = base.intervals.slice();
  const n0 = intervals.length;
  return (i) => {
    const src = intervals[i % n0]!;
    const last = intervals[intervals.length - 1]!;
    intervals.push({ ...src, seq: last.seq + 1, startMs: last.endMs, endMs: last.endMs + 1000 });
    return { ...base, intervals };
  };
}

function frameMs(label: string, make: (i: number) => CaptureState, extra: Partial<AppProps> & { initial?: Partial<AppView['ui']> } = {}): number {
  const { initial, ...props } = extra;
  const view = new AppView(initial);
  const screen = new Screen();
  let bytes = 0;
  const frame = (i: number) => { bytes += screen.draw(view.frame({ state: make(i), color: true, ...props }, 120, 50)).length; };
  // warm up (JIT, the first full frame)
  for (let i = 0; i <= 20; i++) frame(i);
  bytes = 0;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (let i = 0; i < N; i++) frame(21 + i);
  const c = process.cpuUsage(c0);
  const wall = (performance.now() - t0) / N;
  const cpu = (c.user + c.system) / 1000 / N;
  process.stdout.write(`${label.padEnd(40)} ${cpu.toFixed(3).padStart(7)} cpu-ms/frame ${wall.toFixed(3).padStart(7)} wall-ms  ${(bytes / N / 1024).toFixed(1)} KB written/frame\n`);
  return cpu;
}

const base = toCapture(runningState({ cpus: 128, intervals: 30, load: 0.5 }));
process.stdout.write(`TUI frame time, ${N} frames each, 120x50 terminal, node ${process.version}\n`);
const ref: number = frameMs('2 CPUs, 30 intervals', growing(runningState({ cpus: 2, intervals: 30 })));
const b = frameMs('128 CPUs, 30 intervals', growing(runningState({ cpus: 128, intervals: 30 })));
const bb = frameMs('128 CPUs, 30 intervals, with baseline', growing(runningState({ cpus: 128, intervals: 30 })), { baseline: base });
const bs = frameMs('128 CPUs, 30 intervals, sorted by spin', growing(runningState({ cpus: 128, intervals: 30 })), { initial: { sort: 'spinMs' } });
const r = frameMs('128 CPUs, 2 nodes, recorded (reducer)', growing(widenedFixtureState('percpu-standin-6.18', 128, 60, 2)));
const h = frameMs('128 CPUs, 3600 intervals (1 h at 1 s)', growing(runningState({ cpus: 128, intervals: 3600 })));
process.stdout.write(`ratios vs 2 CPUs: 128 CPUs x${(b / ref).toFixed(2)}, recorded x${(r / ref).toFixed(2)}, +baseline x${(bb / ref).toFixed(2)}, sorted x${(bs / ref).toFixed(2)}, 1 h x${(h / ref).toFixed(2)}\n`);
process.stdout.write(`budget: one frame per interval (1 s): 128 CPUs uses ${((b / 1000) * 100).toFixed(2)}% of it\n`);
