// The live UI's cost over a headless capture of the same run: `rcuwalk run` in a tmux pane (120x40) and
// `rcuwalk capture`, same workload and intervals, rounds interleaved (capture, UI, capture, UI, ...). Prints the
// rcuwalk node process's CPU (from attach, and after warm-up) and peak RSS per round, and the UI minus the capture
// in points of one CPU by the median of the rounds. Needs root, bpftrace and tmux.
// Usage: node dist/bench/ui-vs-capture.js [rounds=3] [seconds=60] [intervalMs=1000]
import { measureCapture, measureTui } from './own-cost.js';
import { median } from './lib.js';

const [rounds = 3, secs = 60, iv = 1000] = process.argv.slice(2).map(Number);
const pct = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(2)}%`);
const cap: { run: number; warm: number | null; hwm: number }[] = [];
const ui: { run: number; warm: number | null; hwm: number }[] = [];
process.stdout.write(`live UI vs headless capture: ${rounds} rounds x ${secs} s at ${iv} ms intervals, interleaved\n`);
for (let r = 0; r < rounds; r++) {
  const c = await measureCapture(iv, secs);
  cap.push({ run: c.steadyCpuFrac, warm: c.warmCpuFrac, hwm: c.hwmMb });
  process.stdout.write(`round ${r + 1} capture: ${pct(c.steadyCpuFrac)} of one CPU from attach, ${pct(c.warmCpuFrac)} after warm-up, VmHWM ${c.hwmMb.toFixed(1)} MB\n`);
  const u = await measureTui(iv, secs);
  if (!u) throw new Error('the live UI did not start (tmux missing?)');
  ui.push({ run: u.steadyCpuFrac, warm: u.warmCpuFrac, hwm: u.hwmMb });
  process.stdout.write(`round ${r + 1} live UI: ${pct(u.steadyCpuFrac)} of one CPU from 5 s after start, ${pct(u.warmCpuFrac)} after warm-up, VmHWM ${u.hwmMb.toFixed(1)} MB\n`);
}
const med = (xs: (number | null)[]) => median(xs.filter((x): x is number => x !== null));
const d = med(ui.map((u) => u.run)) - med(cap.map((c) => c.run));
const dw = med(ui.map((u) => u.warm)) - med(cap.map((c) => c.warm));
process.stdout.write(`median: capture ${pct(med(cap.map((c) => c.run)))} / UI ${pct(med(ui.map((u) => u.run)))}: UI - capture ${(d * 100).toFixed(2)} points; after warm-up ${(dw * 100).toFixed(2)} points (goal <= 1.5)\n`);
process.stdout.write(`peak RSS: capture max ${Math.max(...cap.map((c) => c.hwm)).toFixed(1)} MB, UI max ${Math.max(...ui.map((u) => u.hwm)).toFixed(1)} MB (goal < 120)\n`);
