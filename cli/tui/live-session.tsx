// Drives the live screen from a capture engine handle: redraws when an interval closes or the phase changes, keeps
// a 1 s clock for the progress bar, stops the engine on q / Ctrl-C / a signal, shows start errors, reports the
// exit code once the frame that explains it is on screen. Mounts LiveApp once on a UiHost (ink) and publishes each
// frame's view into the store it reads; reads nothing else.
import type { Capture } from '../schema/types.generated.js';
import type { CaptureHandle, CaptureResult } from '../capture/engine-api.js';
import type { CaptureState } from '../state/state.js';
import { describeError } from '../errors.js';
import { exitCodeForEnd, exitCodeForStop } from '../capture/end-exit.js';
import type { QuitHow } from './app.js';
import { userStopOf } from './view-model/keys.js';
import { LiveApp, type LiveView } from './live-app.js';
import { ViewStore } from './view-store.js';
import type { UiHost } from './ui-host.js';

/** Whether a new state changes what the UI shows (pending bpftrace records don't, until their tick). */
export function isVisibleChange(prev: CaptureState, next: CaptureState, prevIntervals: number): boolean {
  return next.intervalCount !== prevIntervals || next.phase !== prev.phase || next.meta !== prev.meta
    || next.end !== prev.end || next.lostEvents !== prev.lostEvents || next.bpfErrors !== prev.bpfErrors || next.attachMs !== prev.attachMs;
}

/** The exit code for how the capture ended and how the user left. */
export function exitCodeFor(result: CaptureResult, how: QuitHow | 'signal' | null): number {
  return exitCodeForEnd(result.capture.run.endReason, userStopOf(how ?? 'q')); // no way out asked: the run ended itself, as q
}

export interface LiveSessionOptions {
  handle: CaptureHandle;
  host: UiHost;
  baseline?: Capture | null;
  baselineLabel?: string | null;
  color: boolean;
  /** ms per clock tick for the progress bar (tests shorten it) */
  clockEveryMs?: number;
}

export class LiveSession {
  private snap: CaptureState;
  private clockMs: number | null = null;
  private status: string | null = null;
  private error: string[] | null = null;
  private finished: CaptureResult | null = null;
  private quitHow: QuitHow | 'signal' | null = null;
  private attachedAt: number | null = null;
  private lastFrameAt = 0;
  private drawPending = false;
  private exitCode: number | null = null;
  private readonly cleanups: (() => void)[] = [];
  /** what the UI shows: published once per frame, read by LiveApp */
  private readonly view: ViewStore<LiveView>;
  private resolveClosed!: (code: number) => void;
  /** the exit code, once the last frame is drawn and the terminal released */
  readonly closed: Promise<number>;

  constructor(private readonly o: LiveSessionOptions) {
    this.snap = o.handle.getState();
    this.view = new ViewStore(this.currentView());
    this.closed = new Promise((r) => { this.resolveClosed = r; });
  }

  start(): this {
    const { handle, host } = this.o;
    let shown = this.snap;
    let shownIntervals = shown.intervalCount;
    this.cleanups.push(handle.subscribe((s) => {
      if (!isVisibleChange(shown, s, shownIntervals)) return;
      shown = s;
      shownIntervals = s.intervalCount;
      if (s.attachMs !== null && this.attachedAt === null) this.attachedAt = Date.now();
      this.snap = s;
      this.invalidate();
    }));
    const clockEvery = this.o.clockEveryMs ?? 1000;
    const timer = setInterval(() => {
      // the clock only moves the progress bar: no extra frame when an interval's frame just drew it
      if (Date.now() - this.lastFrameAt < clockEvery * 0.9) return;
      if (this.attachedAt !== null && this.finished === null) { this.clockMs = Date.now() - this.attachedAt; this.invalidate(); }
    }, clockEvery);
    timer.unref?.();
    this.cleanups.push(() => clearInterval(timer));
    handle.done.then(
      (result) => {
        this.finished = result;
        this.snap = handle.getState();
        if (this.quitHow !== null || !host.interactive) { this.leave(exitCodeFor(result, this.quitHow)); return; }
        const saved = result.outPath ? `capture saved to ${result.outPath}; ` : '';
        this.status = `finished: ${saved}q quits`;
        this.invalidate();
      },
      (err: unknown) => {
        const d = describeError(err);
        this.error = d.lines;
        this.leave(d.exitCode);
      },
    );
    this.lastFrameAt = Date.now();
    host.mount(
      <LiveApp view={this.view} baseline={this.o.baseline ?? null} baselineLabel={this.o.baselineLabel ?? null} color={this.o.color} onQuit={(how: QuitHow) => this.quit(how)} />,
    );
    return this;
  }

  /** A signal (SIGTERM, SIGHUP, SIGINT outside raw mode) asks to stop. */
  requestStop(how: QuitHow | 'signal' = 'signal'): void { this.quit(how); }

  private currentView(): LiveView {
    return { state: this.snap, clockMs: this.clockMs, error: this.error, status: this.status };
  }

  private quit(how: QuitHow | 'signal'): void {
    if (this.finished) { this.leave(exitCodeFor(this.finished, this.quitHow ?? how)); return; }
    if (this.error) { this.leave(exitCodeForStop('quit')); return; }
    if (this.quitHow !== null && how === 'ctrl-c') { this.leave(exitCodeForStop('interrupt')); return; } // second Ctrl-C: don't wait
    this.quitHow = how;
    this.status = 'stopping… keeping what was measured';
    this.invalidate();
    this.o.handle.stop();
  }

  /** Redraw soon: several changes in one turn of the event loop make one frame. */
  private invalidate(): void {
    if (this.drawPending || this.exitCode !== null) return;
    this.drawPending = true;
    setImmediate(() => { this.drawPending = false; if (this.exitCode === null) this.draw(); });
  }

  private draw(): void {
    this.lastFrameAt = Date.now();
    this.view.set(this.currentView());
  }

  /** The last frame (the error, the final state), then the terminal released and the code reported. */
  private leave(code: number): void {
    if (this.exitCode !== null) return;
    this.draw();
    this.exitCode = code;
    for (const c of this.cleanups.splice(0)) c();
    // once React has drawn that frame: updates made in a key handler are rendered when the handler returns
    setImmediate(() => { this.o.host.finish(); this.resolveClosed(code); });
  }
}
