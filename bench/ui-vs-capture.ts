// The live UI's cost over a headless capture of the same run: `rcuwalk run` in a tmux pane (120x40) and
// `rcuwalk capture`, same workload and intervals, rounds interleaved (capture, UI, capture, UI, ...). Prints the
// rcuwalk node process's CPU (from attach, and after warm-up) and peak RSS per round, and the UI minus the capture
// in points of one CPU by the median of the rounds. With `--reference DIR` (another checkout, built) its capture
// and UI run in every round too, the order swapped each round: before and after in one run. Needs root, bpftrace,
// tmux.
// Usage: node dist/bench/ui-vs-capture.js [rounds=3] [seconds=60] [intervalMs=1000] [--reference DIR]
import { join, resolve } from 'node:path';
import { measureCapture, measureTui } from './own-cost.js';
import { BIN, median } from './lib.js';

const args = process.argv.slice(2);
const refAt = args.indexOf('--reference');
const refBin = refAt >= 0 ? join(resolve(args[refAt + 1]!), 'dist', 'cli', 'bin.js') : null;
const [rounds = 3, secs = 60, iv = 1000] = args.filter((_, i) => refAt < 0 || (i !== refAt && i !== refAt + 1)).map(Number);
const pct = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(2)}%`);
interface Run { run: number; warm: number | null; hwm: number }
const sides = refBin ? [['this', BIN], ['reference', refBin]] as const : [['this', BIN]] as const;
const runs: Record<string, { capture: Run[]; ui: Run[] }> = { this: { capture: [], ui: [] }, reference: { capture: [], ui: [] } };
process.stdout.write(`live UI vs headless capture: ${rounds} rounds x ${secs} s at ${iv} ms intervals, interleaved${refBin ? `; reference ${refBin}` : ''}\n`);
for (let r = 0; r < rounds; r++) {
  const order = r % 2 === 1 ? [...sides].reverse() : [...sides];
  for (const what of ['capture', 'ui'] as const) {
    for (const [side, bin] of order) {
      const m = what === 'capture' ? await measureCapture(iv, secs, [], bin) : await measureTui(iv, secs, bin);
      if (!m) throw new Error(`the live UI (${bin}) did not start (tmux missing?)`);
      runs[side]![what].push({ run: m.steadyCpuFrac, warm: m.warmCpuFrac, hwm: m.hwmMb });
      process.stdout.write(`round ${r + 1} ${side} ${what === 'ui' ? 'live UI' : 'capture'}: ${pct(m.steadyCpuFrac)} of one CPU from ${what === 'ui' ? '5 s after start' : 'attach'}, ${pct(m.warmCpuFrac)} after warm-up, VmHWM ${m.hwmMb.toFixed(1)} MB\n`);
    }
  }
}
const med = (xs: (number | null)[]) => median(xs.filter((x): x is number => x !== null));
for (const [side] of sides) {
  const { capture: cap, ui } = runs[side]!;
  const d = med(ui.map((u) => u.run)) - med(cap.map((c) => c.run));
  const dw = med(ui.map((u) => u.warm)) - med(cap.map((c) => c.warm));
  process.stdout.write(`median ${side}: capture ${pct(med(cap.map((c) => c.run)))} / UI ${pct(med(ui.map((u) => u.run)))}: UI - capture ${(d * 100).toFixed(2)} points; after warm-up ${(dw * 100).toFixed(2)} points (goal <= 1.5)\n`);
  process.stdout.write(`peak RSS ${side}: capture max ${Math.max(...cap.map((c) => c.hwm)).toFixed(1)} MB, UI max ${Math.max(...ui.map((u) => u.hwm)).toFixed(1)} MB (goal < 120)\n`);
}
