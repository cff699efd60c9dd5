// Drives App from a capture engine handle: subscribes (re-rendering when an interval closes or the phase changes),
// keeps a 1 s clock for the progress bar, stops the engine on q / Ctrl-C, shows start errors, reports the exit code.
import { useEffect, useRef, useState } from 'react';
import { useApp, useStdin } from 'ink';
import type { Capture } from '../schema/types.generated.js';
import type { CaptureHandle, CaptureResult } from '../capture/engine-api.js';
import type { CaptureState } from '../state/state.js';
import { describeError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import { App, type QuitHow } from './App.js';

/** Whether a new state changes what the UI shows (pending bpftrace records don't, until their tick). */
export function isVisibleChange(prev: CaptureState, next: CaptureState, prevIntervals: number): boolean {
  return next.intervalCount !== prevIntervals || next.phase !== prev.phase || next.meta !== prev.meta
    || next.end !== prev.end || next.lostEvents !== prev.lostEvents || next.attachMs !== prev.attachMs;
}

/** The exit code for how the capture ended and how the user left. */
export function exitCodeFor(result: CaptureResult, how: QuitHow | 'signal' | null): number {
  const r = result.capture.run.endReason;
  if (r === 'error' || r === 'workload-exited') return EXIT.commandFailed;
  if (how === 'ctrl-c' || how === 'signal') return EXIT.interrupted;
  return EXIT.ok;
}

export interface LiveAppProps {
  handle: CaptureHandle;
  baseline?: Capture | null;
  baselineLabel?: string | null;
  color: boolean;
  /** called once with the exit code, after the engine finished (or failed) */
  onExit: (code: number) => void;
  /** a signal (SIGTERM, SIGHUP, SIGINT outside raw mode) asks to stop: the runner flips this */
  stopRequested?: QuitHow | 'signal' | null;
  width?: number;
  height?: number;
  /** ms per clock tick for the progress bar (tests shorten it) */
  clockEveryMs?: number;
}

export function LiveApp(p: LiveAppProps) {
  const { exit } = useApp();
  // without raw mode (stdin not a terminal) nobody can press q: leave when the capture is done
  const interactive = useStdin().isRawModeSupported === true;
  const [snap, setSnap] = useState<CaptureState>(() => p.handle.getState());
  const [clockMs, setClockMs] = useState<number | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string[] | null>(null);
  const finished = useRef<CaptureResult | null>(null);
  const quitHow = useRef<QuitHow | 'signal' | null>(null);
  const [exitCode, setExitCode] = useState<number | null>(null);
  const attachedAt = useRef<number | null>(null);

  /** Exit once the frame that explains why (error, final state) has been committed. */
  const leave = (code: number) => setExitCode((c) => c ?? code);
  useEffect(() => {
    if (exitCode === null) return;
    p.onExit(exitCode);
    const t = setTimeout(() => exit(), 20);
    return () => clearTimeout(t);
  }, [exitCode]);

  useEffect(() => {
    let shown = p.handle.getState();
    let shownIntervals = shown.intervalCount;
    let lastFrameAt = 0;
    const unsubscribe = p.handle.subscribe((s) => {
      if (!isVisibleChange(shown, s, shownIntervals)) return;
      shown = s;
      shownIntervals = s.intervalCount;
      if (s.attachMs !== null && attachedAt.current === null) attachedAt.current = Date.now();
      lastFrameAt = Date.now();
      setSnap(s);
    });
    const clockEvery = p.clockEveryMs ?? 1000;
    const timer = setInterval(() => {
      // the clock only moves the progress bar: no extra frame when an interval's frame just drew it
      if (Date.now() - lastFrameAt < clockEvery * 0.9) return;
      if (attachedAt.current !== null && finished.current === null) { lastFrameAt = Date.now(); setClockMs(Date.now() - attachedAt.current); }
    }, clockEvery);
    timer.unref?.();
    p.handle.done.then(
      (result) => {
        finished.current = result;
        setSnap(p.handle.getState());
        if (quitHow.current !== null || !interactive) { leave(exitCodeFor(result, quitHow.current)); return; }
        const saved = result.outPath ? `capture saved to ${result.outPath}; ` : '';
        setStatus(`finished: ${saved}q quits`);
      },
      (err: unknown) => {
        const d = describeError(err);
        setError(d.lines);
        leave(d.exitCode);
      },
    );
    return () => { unsubscribe(); clearInterval(timer); };
    // the handle is fixed for the app's life
  }, [p.handle]);

  const quit = (how: QuitHow | 'signal') => {
    if (finished.current) { leave(exitCodeFor(finished.current, quitHow.current ?? how)); return; }
    if (error) { leave(EXIT.ok); return; }
    if (quitHow.current !== null && how === 'ctrl-c') { leave(EXIT.interrupted); return; } // second Ctrl-C: don't wait
    quitHow.current = how;
    setStatus('stopping… keeping what was measured');
    p.handle.stop();
  };

  useEffect(() => {
    if (p.stopRequested) quit(p.stopRequested);
  }, [p.stopRequested]);

  return (
    <App state={snap} baseline={p.baseline ?? null} baselineLabel={p.baselineLabel ?? null} clockMs={clockMs}
      color={p.color} error={error} status={status} onQuit={quit} width={p.width} height={p.height} />
  );
}
