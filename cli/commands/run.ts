// rcuwalk run (the default): the live terminal UI over a capture; without a TTY, plain interval lines.
import { basename } from 'node:path';
import { startCapture } from '../capture/engine.js';
import type { CaptureHandle, CaptureOptions } from '../capture/engine-api.js';
import { exitCodeForEnd } from '../capture/end-exit.js';
import type { Capture } from '../schema/types.generated.js';
import { loadCapture } from '../schema/validate.js';
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
Without a terminal (stdout not a TTY), or with --plain, it prints one line per interval instead.
NO_COLOR=1 draws without colours.

${CAPTURE_FLAGS_HELP}
  --baseline FILE            show every number's change against this capture (same metric, same CPU)
  --plain                    plain interval lines, as without a terminal

Nothing is written unless --out is given (then the capture so far is kept on quit).
Exit codes: as 'rcuwalk capture'; 130 after Ctrl-C.`;

/** An error found before the run (bad flags, a baseline that won't load), boxed like the live view shows it. */
async function showStatic(lines: string[], color: boolean): Promise<void> {
  const { renderToString } = await (await import('../tui/load-ink.js')).loadInk(true);
  const [{ createElement }, { ErrorView }] = await Promise.all([import('react'), import('../tui/components/error-view.js')]);
  const width = process.stdout.columns || 80;
  process.stdout.write(renderToString(createElement(ErrorView, { lines, color, width }), { columns: width }) + '\n');
}

/** Raw mode off and the cursor back, whatever happened. Idempotent. */
function restoreTerminal(): void {
  try { if (process.stdin.isTTY && process.stdin.isRaw) process.stdin.setRawMode(false); } catch { /* stdin gone */ }
  try { if (process.stdout.isTTY) process.stdout.write('\u001B[?25h'); } catch { /* the terminal is gone */ }
}

export async function main(argv: string[]): Promise<number> {
  let tty = Boolean(process.stdout.isTTY);
  const color = tty && colorEnabled(process.env);
  let options: CaptureOptions;
  let baseline: Capture | null = null;
  let baselineLabel: string | null = null;
  try {
    const parsed = parseCaptureArgs(argv, { baseline: { type: 'string' }, plain: { type: 'boolean' } });
    if (parsed.help) { process.stdout.write(HELP + '\n'); return EXIT.ok; }
    if (parsed.extra['plain'] === true) tty = false;
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
  const { render } = await (await import('../tui/load-ink.js')).loadInk(true);
  const [{ LiveSession }, { inkHost }] = await Promise.all([import('../tui/live-session.js'), import('../tui/ui-host.js')]);
  // the UI shows totals and the latest intervals: the result needs no more (a --out file holds them all)
  const handle: CaptureHandle = startCapture({ ...options, resultIntervals: 'recent' });
  process.on('exit', restoreTerminal);
  const session = new LiveSession({ handle, host: inkHost(render), baseline, baselineLabel, color }).start();
  // the screen says it is stopping; a second signal restores the terminal and exits at once
  const restoreSignals = installStopSignals(() => session.requestStop('signal'), { announce: false, beforeExit: restoreTerminal });
  // The terminal went away (window closed, ssh dropped): writes fail with EIO. Stop like a signal, keep what was
  // measured, and let the engine end its processes; frames go nowhere until the session ends.
  let gone = false;
  const onOutputError = () => {
    if (gone) return;
    gone = true;
    session.requestStop('signal');
  };
  process.stdout.on('error', onOutputError);
  try {
    const code = await session.closed;
    // the engine has finished (the session ends only after `done` settled); make sure of it before returning
    await handle.done.catch(() => undefined);
    return code;
  } finally {
    restoreSignals();
    restoreTerminal();
    process.off('exit', restoreTerminal);
  }
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
    const code = exitCodeForEnd(capture.run.endReason);
    if (code === EXIT.commandFailed) process.stderr.write(`rcuwalk: ${capture.run.error ?? 'the capture failed'}\n`);
    return code;
  } finally {
    unsubscribe();
    restore();
  }
}
