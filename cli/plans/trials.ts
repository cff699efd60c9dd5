// --trials K: the same capture K times, written as NAME-1.json ... NAME-K.json, each marked trial i of K.
import type { CaptureOptions, CaptureResult } from '../capture/engine-api.js';
import { INTERRUPTED, PlanRunner, stopReason, withEngineRunner, type PlanStop } from './runner.js';

/** run.json, 3 -> run-3.json; run -> run-3; dir/a.b.json -> dir/a.b-3.json */
export function trialPath(out: string, index: number): string {
  const m = /^(.*?)(\.json)?$/i.exec(out)!;
  return `${m[1]}-${index}${m[2] ?? ''}`;
}

export interface TrialsResult { results: CaptureResult[]; stoppedBy: PlanStop | null }

/** Runs K trials of `options` (out: the base name). Stops early (keeping what was written) on interrupt or error. */
export async function runTrials(runner: PlanRunner, options: CaptureOptions, trials: number, label?: string): Promise<TrialsResult> {
  const results: CaptureResult[] = [];
  for (let i = 1; i <= trials; i++) {
    const r = await runner.run({
      ...options,
      out: options.out === null ? null : trialPath(options.out, i),
      trial: { index: i, count: trials, ...(label ? { label } : {}) },
      log: options.log ? (line) => options.log!(`[trial ${i}/${trials}] ${line}`) : undefined,
    });
    if (!r) return { results, stoppedBy: INTERRUPTED };
    results.push(r);
    const why = stopReason(r);
    if (why) return { results, stoppedBy: why };
  }
  return { results, stoppedBy: null };
}

/** The files K trials will write (check them all with checkOutputPath before the first capture starts). */
export function trialPaths(out: string, trials: number): string[] {
  return Array.from({ length: trials }, (_, i) => trialPath(out, i + 1));
}

/**
 * For `rcuwalk capture --trials K`: K captures with the real engine; SIGINT/SIGTERM/SIGHUP stop the current one
 * (kept) and start no more. Check trialPaths() first. results[i].capture.run.endReason tells how each ended.
 */
export async function captureTrials(options: CaptureOptions, trials: number, label?: string): Promise<TrialsResult> {
  return withEngineRunner((runner) => runTrials(runner, options, trials, label));
}
