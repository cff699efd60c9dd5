// What plans (trials, ab, sweep) drive: a capture function with the engine's shape, injectable for tests.
import type { CaptureOptions, CaptureResult } from '../capture/engine-api.js';
import { exitCodeForEnd, exitCodeForStop } from '../capture/end-exit.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { installStopSignals } from '../commands/stop-signals.js';

/** startCapture's shape, narrowed to what plans use. */
export type CaptureFn = (opts: CaptureOptions) => { done: Promise<CaptureResult>; stop(): void };

/** The real engine (cli/capture/engine.ts), loaded on first use so plan logic is testable without it. */
async function engineCaptureFn(): Promise<CaptureFn> {
  const { startCapture } = await import('../capture/engine.js');
  return (opts) => startCapture(opts);
}

/** Runs captures one after another; stop() ends the current one (keeping it) and starts no more. */
export class PlanRunner {
  private current: { stop(): void } | null = null;
  stopped = false;
  constructor(private readonly capture: CaptureFn) {}

  stop(): void {
    this.stopped = true;
    this.current?.stop();
  }

  /** One capture. Returns null when the plan was stopped before it started. */
  async run(opts: CaptureOptions): Promise<CaptureResult | null> {
    if (this.stopped) return null;
    const h = this.capture(opts);
    this.current = h;
    try { return await h.done; } finally { this.current = null; }
  }
}

/** Why a plan stopped early: the exit code it ends with, and what to say. */
export interface PlanStop { exitCode: ExitCode; reason: string }

/** A plan stopped by a signal before its next capture. */
export const INTERRUPTED: PlanStop = { exitCode: exitCodeForStop('interrupt'), reason: 'interrupted' };

/** Why a plan must not go on after this capture (null: it may). */
export function stopReason(r: CaptureResult): PlanStop | null {
  const run = r.capture.run;
  const exitCode = exitCodeForEnd(run.endReason);
  if (exitCode === EXIT.ok) return null;
  return exitCode === INTERRUPTED.exitCode ? INTERRUPTED : { exitCode, reason: run.error ?? run.endReason };
}

/** Runs `plan` on a PlanRunner over the real engine, with SIGINT/SIGTERM/SIGHUP stopping the current capture. */
export async function withEngineRunner<T>(plan: (runner: PlanRunner) => Promise<T>): Promise<T> {
  const runner = new PlanRunner(await engineCaptureFn());
  const restore = installStopSignals(() => runner.stop());
  try { return await plan(runner); } finally { restore(); }
}
