// One case of bench/tui-frame.ts, alone in this process (started with the bin's node flags): the live UI as
// `rcuwalk run` draws it (a LiveSession on ink's host, fed one new interval per frame by a stand-in engine handle,
// on a TTY-like stdout), or ink's floor. Prints one JSON line: CPU and wall ms per frame, bytes written, memory.
// heapMb is the live heap after the frames (a full GC first, with --expose-gc).
// Usage: node dist/bench/tui-frame-case.js CASE_ID FRAMES
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import type { CaptureHandle, CaptureResult } from '../cli/capture/engine-api.js';
import type { CaptureState } from '../cli/state/state.js';
import { loadInk } from '../cli/tui/load-ink.js';
import { FLOORS, H, UI_CASES, W } from './tui-cases.js';

// React's production build, as `rcuwalk run` loads it (load-ink.ts), before any component module
const ink = await loadInk(true);
const { createElement } = await import('react');
const { LiveSession } = await import('../cli/tui/live-session.js');
const { inkHost } = await import('../cli/tui/ui-host.js');

const [id, framesArg] = process.argv.slice(2);
const N = Number(framesArg ?? 200);
const WARM = 20;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A terminal-like stdout that counts writes and bytes. */
function fakeTty(): Writable & { bytes: number; writes: number } {
  const w = new Writable({ write(chunk: Buffer | string, _e, cb) { out.bytes += chunk.length; out.writes++; cb(); } });
  const out = Object.assign(w, { bytes: 0, writes: 0, isTTY: true, columns: W, rows: H });
  return out;
}

/** A terminal-like stdin that the bench types into (as ink-testing-library's). */
class FakeStdin extends EventEmitter {
  isTTY = true;
  private data: string | null = null;
  type(s: string) { this.data = s; this.emit('readable'); }
  read = () => { const d = this.data; this.data = null; return d; };
  setEncoding() { /* utf8 anyway */ }
  setRawMode() { /* no terminal */ }
  resume() { /* nothing to resume */ }
  pause() { /* nothing to pause */ }
  ref() { /* keeps nothing alive */ }
  unref() { /* keeps nothing alive */ }
}

/** Waits until ink has written a frame since `writes` (ink draws on its own schedule). */
async function frameAfter(out: { writes: number }, writes: number): Promise<void> {
  for (let t = 0; out.writes === writes && t < 200; t++) await sleep(1);
}

interface Driver { out: { writes: number; bytes: number }; frame(i: number): void; stop(): void }

function floorDriver(chars: number): Driver {
  const { Box, Text } = ink;
  const out = fakeTty();
  // one line changes each frame (its first character), so every frame is drawn
  const row = (i: number, k: number) => (i === k % (H - 1) ? String(k % 10) : '-') + `${String(i).padEnd(8)}${String((i * 7919) % 100000).padStart(8)}`.padEnd(chars - 1, ' x').slice(0, chars - 1);
  const el = (k: number) => createElement(Box, { flexDirection: 'column' }, ...Array.from({ length: H - 1 }, (_, i) => createElement(Text, { key: i }, row(i, k))));
  const inst = ink.render(el(0), { stdout: out as unknown as NodeJS.WriteStream, exitOnCtrlC: false, patchConsole: false, maxFps: 1000 });
  return { out, frame: (i) => inst.rerender(el(i + 1)), stop: () => { inst.unmount(); inst.cleanup(); } };
}

async function uiDriver(c: (typeof UI_CASES)[number]): Promise<Driver> {
  const next = c.make();
  let state: CaptureState = next(0);
  const listeners = new Set<(s: CaptureState) => void>();
  const handle: CaptureHandle = {
    getState: () => state,
    subscribe: (l) => { listeners.add(l); return () => { listeners.delete(l); }; },
    stop: () => undefined,
    done: new Promise<CaptureResult>(() => undefined),
  };
  const out = fakeTty();
  const stdin = new FakeStdin();
  // ink's own frame throttle (30 fps) off: one frame per update, however fast the bench feeds them
  const render: typeof ink.render = (el, o) => ink.render(el, { ...(o as object), maxFps: 1000 });
  const host = inkHost(render, stdin as unknown as NodeJS.ReadStream, out as unknown as NodeJS.WriteStream);
  const session = new LiveSession({ handle, host, baseline: c.baseline?.() ?? null, color: true }).start();
  for (let k = 0; k < (c.sortPresses ?? 0); k++) { const w = out.writes; stdin.type('s'); await frameAfter(out, w); }
  return {
    out,
    frame: (i) => { state = next(i + 1); for (const l of listeners) l(state); },
    stop: () => session.requestStop('signal'),
  };
}

const floor = FLOORS.find((f) => f.id === id);
const uiCase = UI_CASES.find((c) => c.id === id);
if (!floor && !uiCase) throw new Error(`no case ${id}: one of ${[...FLOORS, ...UI_CASES].map((c) => c.id).join(' ')}`);
const d = floor ? floorDriver(floor.chars) : await uiDriver(uiCase!);
let i = 0;
const step = async () => { const w = d.out.writes; d.frame(i++); await frameAfter(d.out, w); };
for (let k = 0; k < WARM; k++) await step();
const bytes0 = d.out.bytes, writes0 = d.out.writes;
let waitMs = 0;
const t0 = performance.now();
const c0 = process.cpuUsage();
for (let k = 0; k < N; k++) {
  await step();
  // a pause between frames, so no two merge and the frame's own work is done (timers, GC finalisation)
  const p = performance.now(); await sleep(2); waitMs += performance.now() - p;
}
const cpu = process.cpuUsage(c0);
const wall = performance.now() - t0 - waitMs;
// what the frames left alive (the parent starts this process with --expose-gc for it): after the CPU was read
(globalThis as { gc?: () => void }).gc?.();
const status = readFileSync('/proc/self/status', 'utf8');
const mb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN) / 1024;
process.stdout.write(`${JSON.stringify({
  id, frames: N, written: d.out.writes - writes0,
  cpuMs: (cpu.user + cpu.system) / 1000 / N, wallMs: wall / N, kb: (d.out.bytes - bytes0) / N / 1024,
  hwmMb: mb('VmHWM'), rssMb: mb('VmRSS'), heapMb: process.memoryUsage().heapUsed / 2 ** 20,
})}\n`);
d.stop();
process.exit(0);
