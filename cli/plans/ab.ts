// rcuwalk ab: two capture configs run interleaved A B A B ... (so slow drift of the machine hits both sides
// alike), each trial its own capture file, then compared trial against trial (mode trials).
import { join } from 'node:path';
import type { CaptureOptions, CaptureResult } from '../capture/engine-api.js';
import type { Comparison } from '../schema/types.generated.js';
import { compareCaptures, type CompareOptions } from '../compare/compare.js';
import type { LoadedCapture } from '../compare/load.js';
import { INTERRUPTED, PlanRunner, stopReason, type PlanStop } from './runner.js';

export interface AbOptions {
  a: CaptureOptions;
  b: CaptureOptions;
  trials: number;
  outDir: string;
  compare?: CompareOptions;
  log?: (line: string) => void;
}

export interface AbResult {
  a: LoadedCapture[];
  b: LoadedCapture[];
  /** null when stopped before both sides had a capture */
  comparison: Comparison | null;
  stoppedBy: PlanStop | null;
}

/** The order captures run in: A1 B1 A2 B2 ... */
export function abSchedule(trials: number): { side: 'a' | 'b'; index: number }[] {
  const out: { side: 'a' | 'b'; index: number }[] = [];
  for (let i = 1; i <= trials; i++) out.push({ side: 'a', index: i }, { side: 'b', index: i });
  return out;
}

export function abCapturePath(outDir: string, side: 'a' | 'b', index: number): string {
  return join(outDir, `${side}-${index}.json`);
}

export async function runAb(runner: PlanRunner, o: AbOptions): Promise<AbResult> {
  const done: Record<'a' | 'b', LoadedCapture[]> = { a: [], b: [] };
  let stoppedBy: PlanStop | null = null;
  const schedule = abSchedule(o.trials);
  for (const [k, step] of schedule.entries()) {
    const base = step.side === 'a' ? o.a : o.b;
    const out = abCapturePath(o.outDir, step.side, step.index);
    const tag = `[${step.side.toUpperCase()} ${step.index}/${o.trials}, capture ${k + 1}/${schedule.length}]`;
    o.log?.(`${tag} starting -> ${out}`);
    const r: CaptureResult | null = await runner.run({
      ...base, out, trial: { index: step.index, count: o.trials, label: step.side.toUpperCase() },
      log: o.log ? (line) => o.log!(`${tag} ${line}`) : undefined,
    });
    if (!r) { stoppedBy = INTERRUPTED; break; }
    done[step.side].push({ file: r.outPath ?? out, capture: r.capture });
    const why = stopReason(r);
    if (why) { stoppedBy = why; break; }
  }
  const comparison = done.a.length > 0 && done.b.length > 0 ? compareCaptures(done.a, done.b, o.compare) : null;
  return { a: done.a, b: done.b, comparison, stoppedBy };
}
