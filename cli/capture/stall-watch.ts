// "bpftrace stopped printing intervals": no tick for longer than the script can legitimately hold one back.
// The interval probe skips ticks while bpftrace catches up with its prints (script-protocol/generations.ts pendingSkipLimit), so a
// slow run is a late run, not a failed one; only a silence longer than that (plus slack) is a stall.
import { pendingSkipLimit } from '../script-protocol/generations.js';

/** The longest gap between two ticks that is not a stall, in ms. */
export function stallAfterMs(intervalMs: number): number {
  return (pendingSkipLimit(intervalMs) + 5) * intervalMs + 5000;
}

export interface StallWatch {
  /** resolves 'late' once no tick came for limitMs */
  late: Promise<'late'>;
  tick(): void;
  stop(): void;
}

/** One timer, restarted by each tick (Timeout.refresh): no wake-up of its own while ticks come. */
export function watchForStall(limitMs: number): StallWatch {
  let onLate: (v: 'late') => void = () => {};
  const late = new Promise<'late'>((r) => { onLate = r; });
  const timer = setTimeout(() => onLate('late'), limitMs);
  timer.unref();
  let stopped = false;
  return {
    late,
    tick: () => { if (!stopped) timer.refresh(); },
    stop: () => { stopped = true; clearTimeout(timer); },
  };
}
