// Frame (render) time of the live UI: App rendered with ink-testing-library N times on constructed states
// (2 and 128 CPUs, with and without a baseline, short and hour-long runs, and 128 CPUs built by the reducer from
// the real recorded per-CPU records widened: test/unit/tui/fixture-state.ts). Prints ms/frame and ratios
// against the 2-CPU frame. CPU time (user+sys of this process) is the number to compare: wall time is shown too
// but moves with whatever else the machine runs. React runs its production build, as `rcuwalk run` does
// (NODE_ENV=development to measure the dev build). Usage: node dist/bench/tui-frame.js [frames=200]
import { performance } from 'node:perf_hooks';
import type { CaptureState } from '../cli/state/state.js';

process.env['NODE_ENV'] ??= 'production';
// imported after NODE_ENV is set: react picks its build when first loaded
const { createElement } = await import('react');
const { render } = await import('ink-testing-library');
const { App } = await import('../cli/tui/App.js');
const { toCapture } = await import('../cli/capture/to-capture.js');
const { runningState } = await import('../test/unit/tui/states.js');
const { widenedFixtureState } = await import('../test/unit/tui/fixture-state.js');

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

function frameMs(label: string, make: (i: number) => CaptureState, extra: Record<string, unknown> = {}): number {
  const props = { width: 120, height: 50, color: true, ...extra };
  const r = render(createElement(App, { state: make(0), ...props }));
  // warm up (JIT, first layout)
  for (let i = 1; i <= 20; i++) r.rerender(createElement(App, { state: make(i), ...props }));
  const before = r.frames.length;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (let i = 0; i < N; i++) r.rerender(createElement(App, { state: make(21 + i), ...props }));
  const c = process.cpuUsage(c0);
  const wall = (performance.now() - t0) / N;
  const cpu = (c.user + c.system) / 1000 / N;
  const rendered = r.frames.length - before;
  r.unmount();
  process.stdout.write(`${label.padEnd(40)} ${cpu.toFixed(2).padStart(7)} cpu-ms/frame ${wall.toFixed(2).padStart(7)} wall-ms  (${rendered}/${N} frames written)\n`);
  return cpu;
}

const base = toCapture(runningState({ cpus: 128, intervals: 30, load: 0.5 }));
process.stdout.write(`TUI frame time, ${N} frames each, 120x50 terminal, node ${process.version}, NODE_ENV=${process.env['NODE_ENV']}\n`);
const ref: number = frameMs('2 CPUs, 30 intervals', growing(runningState({ cpus: 2, intervals: 30 })));
const b = frameMs('128 CPUs, 30 intervals', growing(runningState({ cpus: 128, intervals: 30 })));
const bb = frameMs('128 CPUs, 30 intervals, with baseline', growing(runningState({ cpus: 128, intervals: 30 })), { baseline: base });
const bs = frameMs('128 CPUs, 30 intervals, sorted by spin', growing(runningState({ cpus: 128, intervals: 30 })), { initial: { sort: 'spinMs' } });
const r = frameMs('128 CPUs, 2 nodes, recorded (reducer)', growing(widenedFixtureState('percpu-standin-6.18', 128, 60, 2)));
const h = frameMs('128 CPUs, 3600 intervals (1 h at 1 s)', growing(runningState({ cpus: 128, intervals: 3600 })));
process.stdout.write(`ratios vs 2 CPUs: 128 CPUs x${(b / ref).toFixed(2)}, recorded x${(r / ref).toFixed(2)}, +baseline x${(bb / ref).toFixed(2)}, sorted x${(bs / ref).toFixed(2)}, 1 h x${(h / ref).toFixed(2)}\n`);
process.stdout.write(`budget: one frame per interval (1 s): 128 CPUs uses ${((b / 1000) * 100).toFixed(2)}% of it\n`);
