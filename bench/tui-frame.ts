// Frame time of the live UI: the ink App re-rendered with a new interval per frame, as `rcuwalk run` does (ink's
// render on a TTY-like stdout at 120x50), on constructed states: 2 and 128 CPUs, with and
// without a baseline, an hour-long run, and 128 CPUs built by the reducer from real recorded per-CPU records
// widened (test/unit/tui/fixture-state.ts). With `--reference DIR` (a built checkout of the line renderer,
// aa5c4b8) each case is measured there too, right after, in the same process: the ratio is the comparison.
// CPU time (user+sys of this process) is the number to compare; wall time moves with whatever else runs.
// Usage: node dist/bench/tui-frame.js [frames=200] [--reference /path/to/checkout] [--no-trim]
import { Writable } from 'node:stream';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CaptureState } from '../cli/state/state.js';
import type { Capture } from '../cli/schema/types.generated.js';
import type { AppProps } from '../cli/tui/app.js';
import type { UiState } from '../cli/tui/view-model/ui-state.js';
import { loadInk } from '../cli/tui/load-ink.js';
import { toCapture } from '../cli/capture/to-capture.js';
import { runningState } from '../test/unit/tui/states.js';
import { widenedFixtureState } from '../test/unit/tui/fixture-state.js';

// React's production build, as `rcuwalk run` loads it (load-ink.ts), before any component module
const { render } = await loadInk(true);
const { createElement } = await import('react');
const { App } = await import('../cli/tui/app.js');
// LiveSession runs this after every frame (a full GC when the heap has grown past 32 MB): its CPU counts here too
// (--no-trim leaves it out, to see its share)
const { trimHeap: trim } = await import('../cli/tui/heap-trim.js');
const trimHeap = process.argv.includes('--no-trim') ? () => undefined : trim;

const args = process.argv.slice(2);
const refAt = args.indexOf('--reference');
const refDir = refAt >= 0 ? resolve(args[refAt + 1]!) : null;
const N = Number(args.find((a, i) => /^\d+$/.test(a) && (refAt < 0 || i !== refAt + 1)) ?? 200);
const W = 120, H = 50;

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

/** A terminal-like stdout that counts the bytes written. */
function fakeTty(): Writable & { bytes: number } {
  const w = new Writable({ write(chunk: Buffer | string, _e, cb) { out.bytes += chunk.length; cb(); } }) as Writable & { bytes: number };
  const out = Object.assign(w, { bytes: 0, isTTY: true, columns: W, rows: H });
  return out;
}

const pause = () => new Promise((r) => setTimeout(r, 2));

interface Case { label: string; make: () => (i: number) => CaptureState; baseline?: Capture; initial?: Partial<UiState> }
interface Result { cpu: number; wall: number; kb: number }

/** The ink UI: one rerender per frame, a pause between frames so ink's frame throttle never merges two. */
async function inkFrames(c: Case): Promise<Result> {
  const make = c.make();
  const stdout = fakeTty();
  const props = (i: number): AppProps => ({ state: make(i), color: true, baseline: c.baseline ?? null, initial: c.initial });
  const inst = render(createElement(App, props(0)), { stdout: stdout as unknown as NodeJS.WriteStream, exitOnCtrlC: false, patchConsole: false, maxFps: 1000 });
  for (let i = 1; i <= 20; i++) { inst.rerender(createElement(App, props(i))); await pause(); }
  stdout.bytes = 0;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (let i = 0; i < N; i++) { inst.rerender(createElement(App, props(21 + i))); trimHeap(); await pause(); }
  const u = process.cpuUsage(c0);
  const wall = (performance.now() - t0) / N - 2;
  inst.unmount();
  inst.cleanup();
  return { cpu: (u.user + u.system) / 1000 / N, wall, kb: stdout.bytes / N / 1024 };
}

/** The line renderer of the reference checkout: AppView's lines plus Screen's bytes, as its bench did. */
async function lineFrames(c: Case): Promise<Result | null> {
  if (!refDir) return null;
  const load = async <T,>(p: string) => (await import(pathToFileURL(join(refDir, 'dist', p)).href)) as T;
  const { AppView } = await load<{ AppView: new (i?: Partial<UiState>) => { frame(p: object, w: number, h: number): string[] } }>('cli/tui/app-view.js');
  const { Screen } = await load<{ Screen: new () => { draw(l: string[]): string } }>('cli/tui/term/screen.js');
  const make = c.make();
  const view = new AppView(c.initial), screen = new Screen();
  let bytes = 0;
  const frame = (i: number) => { bytes += screen.draw(view.frame({ state: make(i), color: true, baseline: c.baseline ?? null }, W, H)).length; };
  for (let i = 0; i <= 20; i++) frame(i);
  bytes = 0;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (let i = 0; i < N; i++) frame(21 + i);
  const u = process.cpuUsage(c0);
  return { cpu: (u.user + u.system) / 1000 / N, wall: (performance.now() - t0) / N, kb: bytes / N / 1024 };
}

const base = toCapture(runningState({ cpus: 128, intervals: 30, load: 0.5 }));
const base2 = toCapture(runningState({ cpus: 2, intervals: 30, load: 0.5 }));
const cases: Case[] = [
  { label: '2 CPUs, 30 intervals', make: () => growing(runningState({ cpus: 2, intervals: 30 })) },
  { label: '2 CPUs, with baseline', make: () => growing(runningState({ cpus: 2, intervals: 30 })), baseline: base2 },
  { label: '128 CPUs, 30 intervals', make: () => growing(runningState({ cpus: 128, intervals: 30 })) },
  { label: '128 CPUs, with baseline', make: () => growing(runningState({ cpus: 128, intervals: 30 })), baseline: base },
  { label: '128 CPUs, sorted by spin', make: () => growing(runningState({ cpus: 128, intervals: 30 })), initial: { sort: 'spinMs' } },
  { label: '128 CPUs, 2 nodes, recorded (reducer)', make: () => growing(widenedFixtureState('percpu-standin-6.18', 128, 60, 2)) },
  { label: '128 CPUs, 3600 intervals (1 h at 1 s)', make: () => growing(runningState({ cpus: 128, intervals: 3600 })) },
];

/** ink's floor at this size: 49 lines of 110 plain characters (one changed per frame) and the footer, no styles. */
async function inkFloor(lineChars: number): Promise<Result> {
  const { Box, Text } = await import('ink');
  const stdout = fakeTty();
  const row = (i: number, k: number) => `${String(i).padEnd(8)}${String((i * 7919 + (i === k % 49 ? k : 0)) % 100000).padStart(8)}`.padEnd(lineChars, ' x').slice(0, lineChars);
  const el = (k: number) => createElement(Box, { flexDirection: 'column' }, ...Array.from({ length: H - 1 }, (_, i) => createElement(Text, { key: i }, row(i, k))));
  const inst = render(el(0), { stdout: stdout as unknown as NodeJS.WriteStream, exitOnCtrlC: false, patchConsole: false, maxFps: 1000 });
  for (let i = 1; i <= 20; i++) { inst.rerender(el(i)); await pause(); }
  stdout.bytes = 0;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (let i = 0; i < N; i++) { inst.rerender(el(21 + i)); await pause(); }
  const u = process.cpuUsage(c0);
  const wall = (performance.now() - t0) / N - 2;
  inst.unmount();
  inst.cleanup();
  return { cpu: (u.user + u.system) / 1000 / N, wall, kb: stdout.bytes / N / 1024 };
}

const fmt = (r: Result | null) => (r ? `${r.cpu.toFixed(3).padStart(7)} cpu-ms ${r.wall.toFixed(3).padStart(7)} wall-ms ${r.kb.toFixed(1).padStart(5)} KB` : '');
process.stdout.write(`TUI frame time, ${N} frames each, ${W}x${H}, node ${process.version}; ink ${refDir ? `vs the line renderer of ${refDir}` : ''}\n`);
for (const chars of [1, 110]) {
  process.stdout.write(`${`ink floor: ${H - 1} lines of ${chars} plain chars`.padEnd(40)} ink ${fmt(await inkFloor(chars))}\n`);
}
for (const c of cases) {
  const ink = await inkFrames(c);
  const line = await lineFrames(c);
  process.stdout.write(`${c.label.padEnd(40)} ink ${fmt(ink)}${line ? `  | lines ${fmt(line)}  ink/lines x${(ink.cpu / line.cpu).toFixed(1)}` : ''}\n`);
}
