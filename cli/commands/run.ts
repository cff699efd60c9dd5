// rcuwalk run (the default): the live terminal UI over a capture; without a TTY, plain interval lines.
import { basename } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { startCapture } from '../capture/engine.js';
import type { CaptureHandle, CaptureOptions } from '../capture/engine-api.js';
import type { Capture } from '../schema/types.generated.js';
import { loadCapture } from '../schema/validate.js';
import { initialState } from '../state/reducer.js';
import { describeError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import { CAPTURE_FLAGS_HELP, parseCaptureArgs } from './capture-options.js';
import { installStopSignals } from './stop-signals.js';
import { summaryLines } from './capture-summary.js';
import { colorEnabled } from '../tui/theme.js';
import { baselineModel, totalsVsBaselineLine } from '../tui/view-model/baseline.js';
import { plainIntervalLine } from '../format/plain-lines.js';

const HELP = `usage: rcuwalk [run] [options]

The live view: per-CPU ECHILD fallbacks, unlazy failures and lockref spin while the workload runs.
Keys: q quit, p pause, tab next view, s sort, b busy CPUs, a last interval/run, ? help.
Without a terminal (stdout not a TTY) it prints one line per interval instead.

${CAPTURE_FLAGS_HELP}
  --baseline FILE            show every number's change against this capture (same metric, same CPU)

Nothing is written unless --out is given (then the capture so far is kept on quit).
Exit codes: as 'rcuwalk capture'; 130 after Ctrl-C.`;

/** React and ink, loaded after NODE_ENV is settled: React picks its (much slower) development build otherwise. */
async function loadUi() {
  process.env['NODE_ENV'] ??= 'production';
  // ink shows only the last frame when CI or CONTINUOUS_INTEGRATION is set (read once, when ink loads);
  // on a real terminal the live view is the point, whatever the environment says
  if (process.stdout.isTTY) { delete process.env['CI']; delete process.env['CONTINUOUS_INTEGRATION']; }
  const [{ createElement }, { render }, { LiveApp }, { App }] = await Promise.all([
    import('react'), import('ink'), import('../tui/LiveApp.js'), import('../tui/App.js'),
  ]);
  return { createElement, render, LiveApp, App };
}

async function showStatic(lines: string[], color: boolean): Promise<void> {
  const { createElement, render, App } = await loadUi();
  const inst = render(createElement(App, { state: { ...initialState(), phase: 'failed' }, error: lines, color }), { exitOnCtrlC: false, patchConsole: false });
  inst.unmount();
}

/** Raw mode off and the cursor back, whatever happened. Idempotent. */
function restoreTerminal(): void {
  try { if (process.stdin.isTTY && process.stdin.isRaw) process.stdin.setRawMode(false); } catch { /* stdin gone */ }
  try { if (process.stdout.isTTY) process.stdout.write('\u001B[?25h'); } catch { /* the terminal is gone */ }
}

export async function main(argv: string[]): Promise<number> {
  const tty = Boolean(process.stdout.isTTY);
  const color = tty && colorEnabled(process.env);
  let options: CaptureOptions;
  let baseline: Capture | null = null;
  let baselineLabel: string | null = null;
  try {
    const parsed = parseCaptureArgs(argv, { baseline: { type: 'string' } });
    if (parsed.help) { process.stdout.write(HELP + '\n'); return EXIT.ok; }
    options = parsed.options;
    const b = parsed.extra['baseline'];
    if (typeof b === 'string') { baseline = loadCapture(b); baselineLabel = basename(b); }
  } catch (err) {
    if (!tty) throw err; // bin prints the one line and exits with its code
    const d = describeError(err);
    await showStatic(d.lines, color);
    return d.exitCode;
  }
  return tty ? runTui(options, baseline, baselineLabel, color) : runPlain(options, baseline, baselineLabel);
}

async function runTui(options: CaptureOptions, baseline: Capture | null, baselineLabel: string | null, color: boolean): Promise<number> {
  // ink draws each frame into a fresh grid of cells: ~1.5 MB/s of garbage reaches V8's old generation, first
  // collected at ~80 MB. Collecting at 1.5x the live heap keeps the UI's peak RSS ~112 MB instead of ~145 MB,
  // for ~0.4 points of one CPU (bench/RESULTS.md).
  setFlagsFromString('--heap-growing-percent=50');
  const { createElement, render, LiveApp } = await loadUi();
  // the UI shows totals and the latest intervals: the result needs no more (a --out file holds them all)
  const handle: CaptureHandle = startCapture({ ...options, resultIntervals: 'recent' });
  let code: number = EXIT.internal;
  let signals = 0;
  const props = { handle, baseline, baselineLabel, color, onExit: (c: number) => { code = c; }, stopRequested: null as null | 'signal' };
  process.on('exit', restoreTerminal);
  const inst = render(createElement(LiveApp, props), { exitOnCtrlC: false, patchConsole: true });
  const stop = () => inst.rerender(createElement(LiveApp, { ...props, stopRequested: 'signal' }));
  const onSignal = () => {
    signals += 1;
    if (signals === 1) { stop(); return; }
    inst.unmount();
    restoreTerminal();
    process.exit(EXIT.interrupted); // the engine's exit hook ends every process group it started
  };
  // The terminal went away (window closed, ssh dropped): writes fail with EIO. Stop like a signal, keep what was
  // measured, and let the engine end its processes; the UI keeps rendering into nothing until it exits.
  let gone = false;
  const onOutputError = () => {
    if (gone) return;
    gone = true;
    if (signals === 0) { signals = 1; stop(); }
  };
  process.stdout.on('error', onOutputError);
  const sigs: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of sigs) process.on(s, onSignal);
  try {
    await inst.waitUntilExit();
    // the engine has finished (LiveApp exits only after `done` settled); make sure of it before returning
    await handle.done.catch(() => undefined);
  } finally {
    for (const s of sigs) process.off(s, onSignal);
    restoreTerminal();
    process.off('exit', restoreTerminal);
  }
  return code;
}

async function runPlain(options: CaptureOptions, baseline: Capture | null, baselineLabel: string | null): Promise<number> {
  // interval lines go to stdout below; the engine's progress copy of them would only repeat them on stderr
  const log = (line: string) => { if (!/^\[\s*\d+\/\d+s\]/.test(line)) process.stderr.write(`rcuwalk: ${line}\n`); };
  const handle = startCapture({ ...options, log, resultIntervals: 'recent' });
  const restore = installStopSignals(() => handle.stop());
  let printed = 0;
  const unsubscribe = handle.subscribe((s) => {
    // s.intervals is the latest window: interval seq k sits at k - (intervalCount - intervals.length)
    const firstSeq = s.intervalCount - s.intervals.length;
    if (printed < firstSeq) printed = firstSeq; // not possible when called after every tick; never index outside
    while (printed < s.intervalCount) process.stdout.write(plainIntervalLine(s.intervals[printed++ - firstSeq]!, { durationMs: options.settings.durationMs, lostEvents: s.lostEvents }) + '\n');
  });
  try {
    const { capture, intervalCount } = await handle.done;
    process.stdout.write(summaryLines(capture, intervalCount).join('\n') + '\n');
    if (baseline) process.stdout.write(totalsVsBaselineLine(capture, baselineModel(baseline, capture.host.cpuCount, baselineLabel ?? 'baseline')) + '\n');
    if (capture.run.endReason === 'error' || capture.run.endReason === 'workload-exited') {
      process.stderr.write(`rcuwalk: ${capture.run.error ?? 'the capture failed'}\n`);
      return EXIT.commandFailed;
    }
    return capture.run.endReason === 'interrupted' ? EXIT.interrupted : EXIT.ok;
  } finally {
    unsubscribe();
    restore();
  }
}
