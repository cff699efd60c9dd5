// "bpftrace stopped printing intervals": no tick for longer than the script can legitimately hold one back.
// The interval probe skips ticks while bpftrace catches up with its prints (map-names.ts pendingSkipLimit), so a
// slow run is a late run, not a failed one; only a silence longer than that (plus slack) is a stall.
import { pendingSkipLimit } from '../probes/map-names.js';

/** The longest gap between two ticks that is not a stall, in ms. */
export function stallAfterMs(intervalMs: number): number {
  return (pendingSkipLimit(intervalMs) + 5) * intervalMs + 5000;
}

export interface StallWatch {
  /** resolves 'late' once no tick came for stallAfterMs */
  late: Promise<'late'>;
  tick(): void;
  stop(): void;
}

export function watchForStall(intervalMs: number, now: () => number): StallWatch {
  const limit = stallAfterMs(intervalMs);
  let last = now();
  let onLate: (v: 'late') => void = () => {};
  const late = new Promise<'late'>((r) => { onLate = r; });
  const timer = setInterval(() => { if (now() - last > limit) { clearInterval(timer); onLate('late'); } }, Math.min(1000, intervalMs));
  timer.unref();
  return { late, tick: () => { last = now(); }, stop: () => clearInterval(timer) };
}
